<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl">
<context>
    <name>AssistedMarker</name>
    <message>
        <source>Assisted by %1</source>
        <translation>Z pomocą: %1</translation>
    </message>
</context>
<context>
    <name>AssistedNameScreen</name>
    <message>
        <source>Complete with a patient</source>
        <translation>Wypełnij razem z pacjentem</translation>
    </message>
    <message>
        <source>Your name or staff username</source>
        <translation>Twoje imię i nazwisko lub nazwa użytkownika personelu</translation>
    </message>
    <message>
        <source>It is kept with the patient&apos;s answers, to show you completed them together. Then find the patient as at reception.</source>
        <translation>Zostanie zapisane z odpowiedziami pacjenta, aby pokazać, że wypełniliście je razem. Następnie znajdź pacjenta tak jak w recepcji.</translation>
    </message>
    <message>
        <source>Problem with this name</source>
        <translation>Problem z tym imieniem</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Dalej</translation>
    </message>
    <message>
        <source>Type your name or staff username (up to %1 characters).</source>
        <translation>Wpisz swoje imię i nazwisko lub nazwę użytkownika personelu (do %1 znaków).</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Before your appointment</source>
        <translation>Przed wizytą</translation>
    </message>
    <message>
        <source>Tap to start</source>
        <translation>Dotknij, aby zacząć</translation>
    </message>
    <message>
        <source>Please ask at reception for this tablet. They will get it ready for you.</source>
        <translation>Poproś w recepcji o ten tablet. Przygotują go dla ciebie.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personel</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>Tylko dla personelu</translation>
    </message>
    <message>
        <source>This tablet is not enrolled. Please see reception.</source>
        <translation>Ten tablet nie jest zarejestrowany. Zgłoś się do recepcji.</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>Let us find your appointment</source>
        <translation>Znajdźmy twoją wizytę</translation>
    </message>
    <message>
        <source>What is your date of birth?</source>
        <translation>Jaka jest twoja data urodzenia?</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Rok</translation>
    </message>
    <message>
        <source>For example: 3 / 11 / 1956</source>
        <translation>Na przykład: 3 / 11 / 1956</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>Wpisz %1</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>Problem z tą odpowiedzią</translation>
    </message>
    <message>
        <source>I need help: see reception</source>
        <translation>Potrzebuję pomocy recepcji</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Dalej</translation>
    </message>
    <message>
        <source>Please type the day, month and year in numbers.</source>
        <translation>Wpisz dzień, miesiąc i rok cyframi.</translation>
    </message>
    <message>
        <source>Please type the year with 4 numbers, like 1956.</source>
        <translation>Wpisz rok 4 cyframi, na przykład 1956.</translation>
    </message>
    <message>
        <source>That date does not exist. Please check the day and month.</source>
        <translation>Taka data nie istnieje. Sprawdź dzień i miesiąc.</translation>
    </message>
    <message>
        <source>Please check the year you were born.</source>
        <translation>Sprawdź rok urodzenia.</translation>
    </message>
    <message>
        <source>What is the first letter of your surname (family name)?</source>
        <translation>Jaka jest pierwsza litera twojego nazwiska?</translation>
    </message>
    <message>
        <source>Letter %1</source>
        <translation>Litera %1</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Wstecz</translation>
    </message>
    <message>
        <source>We could not find your appointment. Please check and try again.</source>
        <translation>Nie udało się znaleźć twojej wizyty. Sprawdź i spróbuj jeszcze raz.</translation>
    </message>
    <message>
        <source>You can try 1 more time.</source>
        <translation>Możesz spróbować jeszcze 1 raz.</translation>
    </message>
    <message>
        <source>You can try %1 more times.</source>
        <translation>Możesz spróbować jeszcze %1 razy.</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>Zarejestruj ten tablet</translation>
    </message>
    <message>
        <source>This tablet is not enrolled with a clinic yet. Ask the clinic&apos;s administrator for the clinic&apos;s address and a one-time enrolment code. A code lasts 15 minutes.</source>
        <translation>Ten tablet nie jest jeszcze zarejestrowany w żadnej klinice. Poproś administratora kliniki o adres kliniki i jednorazowy kod rejestracji. Kod jest ważny 15 minut.</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>Adres kliniki</translation>
    </message>
    <message>
        <source>Problem with the clinic address</source>
        <translation>Problem z adresem kliniki</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Kod rejestracji</translation>
    </message>
    <message>
        <source>Problem with the enrolment code</source>
        <translation>Problem z kodem rejestracji</translation>
    </message>
    <message>
        <source>Tablet name (optional: if left empty, %1)</source>
        <translation>Nazwa tabletu (opcjonalnie: jeśli pole zostanie puste, %1)</translation>
    </message>
    <message>
        <source>Tablet name</source>
        <translation>Nazwa tabletu</translation>
    </message>
    <message>
        <source>Problem with the tablet name</source>
        <translation>Problem z nazwą tabletu</translation>
    </message>
    <message>
        <source>Problem with enrolment</source>
        <translation>Problem z rejestracją</translation>
    </message>
    <message>
        <source>Enrolment progress</source>
        <translation>Postęp rejestracji</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>Wpisz %1</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>Uruchom kiosk</translation>
    </message>
    <message>
        <source>Contacting the clinic…</source>
        <translation>Łączenie z kliniką…</translation>
    </message>
    <message>
        <source>Type the clinic&apos;s address, like https://clinic.example:8443.</source>
        <translation>Wpisz adres kliniki, np. https://clinic.example:8443.</translation>
    </message>
    <message>
        <source>The clinic&apos;s address must start with https:// and look like https://clinic.example:8443.</source>
        <translation>Adres kliniki musi zaczynać się od https:// i wyglądać jak https://clinic.example:8443.</translation>
    </message>
    <message>
        <source>Type the enrolment code from the clinic.</source>
        <translation>Wpisz kod rejestracji otrzymany z kliniki.</translation>
    </message>
    <message>
        <source>That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and digits, a hyphen, then more letters and digits.</source>
        <translation>To nie jest kod rejestracji. Kod wygląda tak: K7QF-3MZX8TPLW2H9, czyli litery i cyfry, łącznik, a potem kolejne litery i cyfry.</translation>
    </message>
    <message>
        <source>The tablet&apos;s name may have only letters, digits, spaces and punctuation.</source>
        <translation>Nazwa tabletu może zawierać tylko litery, cyfry, spacje i znaki interpunkcyjne.</translation>
    </message>
    <message>
        <source>This tablet already has a device key or a clinic record. To enrol it again, IT must first move its device.key and clinic.json aside.</source>
        <translation>Ten tablet ma już klucz urządzenia lub zapis kliniki. Aby zarejestrować go ponownie, dział IT musi najpierw przenieść w inne miejsce jego pliki device.key i clinic.json.</translation>
    </message>
    <message>
        <source>This tablet is now enrolled with the clinic at %1. It has the clinic&apos;s forms and will send answers to the clinic.</source>
        <translation>Ten tablet jest teraz zarejestrowany w klinice pod adresem %1. Ma formularze kliniki i będzie wysyłać do niej odpowiedzi.</translation>
    </message>
    <message>
        <source>The clinic does not know this enrolment code. Check it, or ask for a new one.</source>
        <translation>Klinika nie zna tego kodu rejestracji. Sprawdź go albo poproś o nowy.</translation>
    </message>
    <message>
        <source>This enrolment code has expired (codes last 15 minutes). Ask for a new one.</source>
        <translation>Ten kod rejestracji wygasł (kody są ważne 15 minut). Poproś o nowy.</translation>
    </message>
    <message>
        <source>This enrolment code has already been used. Ask for a new one.</source>
        <translation>Ten kod rejestracji został już użyty. Poproś o nowy.</translation>
    </message>
    <message>
        <source>The clinic did not accept the enrolment code. Check that it was typed exactly; if it was, something between this tablet and the clinic may be intercepting the connection: ask IT to check the network before trying again.</source>
        <translation>Klinika nie przyjęła kodu rejestracji. Sprawdź, czy został wpisany dokładnie; jeśli tak, coś między tym tabletem a kliniką może przechwytywać połączenie: przed ponowną próbą poproś dział IT o sprawdzenie sieci.</translation>
    </message>
    <message>
        <source>Cannot reach the clinic at %1. Check the address and that this tablet is on the clinic&apos;s network.</source>
        <translation>Nie można połączyć się z kliniką pod adresem %1. Sprawdź adres i to, czy ten tablet jest w sieci kliniki.</translation>
    </message>
    <message>
        <source>The connection to the clinic may be intercepted: the certificate this tablet was shown is not the clinic&apos;s. Nothing was saved. Ask IT to check the network before trying again.</source>
        <translation>Połączenie z kliniką może być przechwytywane: certyfikat pokazany temu tabletowi nie jest certyfikatem kliniki. Nic nie zostało zapisane. Przed ponowną próbą poproś dział IT o sprawdzenie sieci.</translation>
    </message>
    <message>
        <source>The clinic&apos;s answer was not what this kiosk expects. Nothing was saved. Check that the clinic service and this kiosk are up to date.</source>
        <translation>Odpowiedź kliniki nie jest taka, jakiej oczekuje ten kiosk. Nic nie zostało zapisane. Sprawdź, czy usługa kliniki i ten kiosk są aktualne.</translation>
    </message>
    <message>
        <source>The clinic refused to enrol this tablet: %1</source>
        <translation>Klinika odmówiła zarejestrowania tego tabletu: %1</translation>
    </message>
    <message>
        <source>Cannot save to the tablet&apos;s data folder (%1).</source>
        <translation>Nie można zapisać w folderze danych tabletu (%1).</translation>
    </message>
    <message>
        <source>Enrolment failed because of a fault in the kiosk. Nothing was saved. Ask IT: the kiosk&apos;s log has the details.</source>
        <translation>Rejestracja nie powiodła się z powodu błędu w kiosku. Nic nie zostało zapisane. Zgłoś to działowi IT: szczegóły są w dzienniku kiosku.</translation>
    </message>
</context>
<context>
    <name>FoundScreen</name>
    <message>
        <source>We found an appointment</source>
        <translation>Znaleźliśmy wizytę</translation>
    </message>
    <message>
        <source>Your appointment is at %1 in the %2. Is that right?</source>
        <translation>Twoja wizyta jest o %1 (%2). Czy to się zgadza?</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Yes, that is my appointment</source>
        <translation>Tak, to moja wizyta</translation>
    </message>
</context>
<context>
    <name>HandOverConfirmScreen</name>
    <message>
        <source>Is this the patient?</source>
        <translation>Czy to ten pacjent?</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Imię i nazwisko</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Data urodzenia</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Wizyta</translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation>Numer NHS</translation>
    </message>
    <message>
        <source>Hospital number</source>
        <translation>Numer szpitalny</translation>
    </message>
    <message>
        <source>Ask the patient to tell you their name and date of birth.</source>
        <translation>Poproś pacjenta, aby podał imię, nazwisko i datę urodzenia.</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Nie, wróć</translation>
    </message>
    <message>
        <source>Yes: hand over the tablet</source>
        <translation>Tak: przekaż tablet</translation>
    </message>
</context>
<context>
    <name>HandOverScreen</name>
    <message>
        <source>Find the patient</source>
        <translation>Znajdź pacjenta</translation>
    </message>
    <message>
        <source>NHS number or hospital number</source>
        <translation>Numer NHS lub numer szpitalny</translation>
    </message>
    <message>
        <source>Problem with this number</source>
        <translation>Problem z tym numerem</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Szukaj</translation>
    </message>
    <message>
        <source>This tablet has no clinic list for today. Load today&apos;s list first.</source>
        <translation>Ten tablet nie ma dzisiejszej listy pacjentów kliniki. Najpierw wczytaj dzisiejszą listę.</translation>
    </message>
    <message>
        <source>Type the patient&apos;s NHS number or hospital number.</source>
        <translation>Wpisz numer NHS lub numer szpitalny pacjenta.</translation>
    </message>
    <message>
        <source>That is not a valid NHS number: the check digit is wrong. Check each digit.</source>
        <translation>To nie jest prawidłowy numer NHS: cyfra kontrolna się nie zgadza. Sprawdź każdą cyfrę.</translation>
    </message>
    <message>
        <source>An NHS number has 10 digits. For a hospital number, type it as printed.</source>
        <translation>Numer NHS ma 10 cyfr. Numer szpitalny wpisz tak, jak jest wydrukowany.</translation>
    </message>
    <message>
        <source>No one with that number is on today&apos;s clinic list.</source>
        <translation>Na dzisiejszej liście kliniki nie ma nikogo z tym numerem.</translation>
    </message>
    <message>
        <source>That number is on today&apos;s list more than once. Check the list with the clinic.</source>
        <translation>Ten numer jest na dzisiejszej liście więcej niż raz. Sprawdź listę z kliniką.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>What Matters</source>
        <translation>Co jest ważne</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Please see reception.</source>
        <translation>Przepraszamy, coś poszło nie tak. Zgłoś się do recepcji.</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <source>Language</source>
        <translation>Język</translation>
    </message>
</context>
<context>
    <name>LanguageScreen</name>
    <message>
        <source>Choose your language</source>
        <translation>Wybierz swój język</translation>
    </message>
    <message>
        <source>Can be read aloud</source>
        <translation>Można odczytać na głos</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>Użyj: %1</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Type %1</source>
        <translation>Wpisz %1</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>Wielka litera</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Spacja</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Capital (on)</source>
        <translation>Wielka litera (włączona)</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the PIN</source>
        <translation>Tylko dla personelu: wpisz PIN</translation>
    </message>
    <message>
        <source>Digits entered</source>
        <translation>Wpisane cyfry</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Wyczyść</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>No staff PIN is set on this tablet yet.</source>
        <translation>Na tym tablecie nie ustawiono jeszcze PIN-u personelu.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Ten PIN jest nieprawidłowy.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>Zbyt wiele błędnych PIN-ów. Spróbuj ponownie za %1 s.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>Nie udało się sprawdzić PIN-u.</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <source>Make the words easier to read</source>
        <translation>Ułatw sobie czytanie</translation>
    </message>
    <message>
        <source>Normal text</source>
        <translation>Zwykły tekst</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Duży tekst</translation>
    </message>
    <message>
        <source>Extra large text</source>
        <translation>Bardzo duży tekst</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Wysoki kontrast</translation>
    </message>
    <message>
        <source>Your answers are private</source>
        <translation>Twoje odpowiedzi są poufne</translation>
    </message>
    <message>
        <source>We will ask about your visit and how you feel. We do not ask your name, and your answers are not linked to you. You can skip any question.</source>
        <translation>Zapytamy o twoją wizytę i samopoczucie. Nie pytamy o imię ani nazwisko, a twoje odpowiedzi nie są z tobą powiązane. Możesz pominąć każde pytanie.</translation>
    </message>
    <message>
        <source>We will ask what matters to you, about things in your life that affect your health, and how you feel. Only the staff caring for you today will see your answers. You can skip any question.</source>
        <translation>Zapytamy, co jest dla ciebie ważne, o sprawy w twoim życiu, które wpływają na twoje zdrowie, i o twoje samopoczucie. Twoje odpowiedzi zobaczy tylko personel, który dziś się tobą opiekuje. Możesz pominąć każde pytanie.</translation>
    </message>
    <message>
        <source>Start the questions</source>
        <translation>Przejdź do pytań</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>Pytanie %1 z %2</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>Czytaj na głos</translation>
    </message>
    <message>
        <source>Reads the question and its answers out loud. Tap again to stop.</source>
        <translation>Czyta na głos pytanie i odpowiedzi. Dotknij jeszcze raz, aby zatrzymać.</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>Problem z tą odpowiedzią</translation>
    </message>
    <message>
        <source>I don&apos;t want to answer</source>
        <translation>Nie chcę odpowiadać</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Wstecz</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Dalej</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>Przestań czytać</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Check your answers</source>
        <translation>Sprawdź swoje odpowiedzi</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Bez odpowiedzi</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Zmień</translation>
    </message>
    <message>
        <source>Change this answer</source>
        <translation>Zmień tę odpowiedź</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>Wyślij moje odpowiedzi</translation>
    </message>
</context>
<context>
    <name>SeeReceptionScreen</name>
    <message>
        <source>Please see reception</source>
        <translation>Zgłoś się do recepcji</translation>
    </message>
    <message>
        <source>We could not find your appointment on this tablet. The staff at reception will help you.</source>
        <translation>Nie udało się znaleźć twojej wizyty na tym tablecie. Personel w recepcji ci pomoże.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Zakończ</translation>
    </message>
</context>
<context>
    <name>StaffMenu</name>
    <message>
        <source>Staff</source>
        <translation>Personel</translation>
    </message>
    <message>
        <source>Hand the tablet to a patient</source>
        <translation>Przekaż tablet pacjentowi</translation>
    </message>
    <message>
        <source>Complete with a patient</source>
        <translation>Wypełnij razem z pacjentem</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>Zamknij kiosk</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>Wróć na początek</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Your answer</source>
        <translation>Twoja odpowiedź</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you</source>
        <translation>Dziękujemy</translation>
    </message>
    <message>
        <source>A member of staff will talk to you today.</source>
        <translation>Ktoś z personelu porozmawia z tobą dzisiaj.</translation>
    </message>
    <message>
        <source>The person you see today will look at your answers with you.</source>
        <translation>Osoba, z którą dziś się spotkasz, przejrzy z tobą twoje odpowiedzi.</translation>
    </message>
    <message>
        <source>Please give the tablet back to reception.</source>
        <translation>Oddaj tablet w recepcji.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Zakończ</translation>
    </message>
</context>
<context>
    <name>TimeoutScreen</name>
    <message>
        <source>Are you still there?</source>
        <translation>Czy nadal tu jesteś?</translation>
    </message>
    <message>
        <source>To keep your answers private, this will close soon. Tap &quot;I&apos;m still here&quot; to carry on.</source>
        <translation>Aby twoje odpowiedzi pozostały poufne, to okno wkrótce się zamknie. Dotknij „Nadal tu jestem”, aby kontynuować.</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>Nadal tu jestem</translation>
    </message>
</context>
</TS>
