<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cy">
<context>
    <name>AssistedMarker</name>
    <message>
        <source>Assisted by %1</source>
        <translation>Gyda chymorth %1</translation>
    </message>
</context>
<context>
    <name>AssistedNameScreen</name>
    <message>
        <source>Complete with a patient</source>
        <translation>Cwblhau gyda chlaf</translation>
    </message>
    <message>
        <source>Your name or staff username</source>
        <translation>Eich enw neu eich enw defnyddiwr staff</translation>
    </message>
    <message>
        <source>It is kept with the patient&apos;s answers, to show you completed them together. Then find the patient as at reception.</source>
        <translation>Caiff ei gadw gydag atebion y claf, i ddangos i chi eu cwblhau gyda&apos;ch gilydd. Yna dewch o hyd i&apos;r claf fel yn y dderbynfa.</translation>
    </message>
    <message>
        <source>Problem with this name</source>
        <translation>Problem gyda&apos;r enw hwn</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Canslo</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nesaf</translation>
    </message>
    <message>
        <source>Type your name or staff username (up to %1 characters).</source>
        <translation>Teipiwch eich enw neu eich enw defnyddiwr staff (hyd at %1 nod).</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Before your appointment</source>
        <translation>Cyn eich apwyntiad</translation>
    </message>
    <message>
        <source>Tap to start</source>
        <translation>Tapiwch i ddechrau</translation>
    </message>
    <message>
        <source>Please ask at reception for this tablet. They will get it ready for you.</source>
        <translation>Gofynnwch yn y dderbynfa am y llechen hon. Byddan nhw&apos;n ei pharatoi i chi.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>Staff yn unig</translation>
    </message>
    <message>
        <source>This tablet is not enrolled. Please see reception.</source>
        <translation>Dydy&apos;r llechen hon ddim wedi&apos;i chofrestru. Ewch i&apos;r dderbynfa.</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>Let us find your appointment</source>
        <translation>Gadewch i ni ddod o hyd i&apos;ch apwyntiad</translation>
    </message>
    <message>
        <source>What is your date of birth?</source>
        <translation>Beth yw eich dyddiad geni?</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Diwrnod</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mis</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Blwyddyn</translation>
    </message>
    <message>
        <source>For example: 3 / 11 / 1956</source>
        <translation>Er enghraifft: 3 / 11 / 1956</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>Teipio %1</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Dileu</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>Problem gyda&apos;r ateb hwn</translation>
    </message>
    <message>
        <source>I need help: see reception</source>
        <translation>Mae angen help arna i: ewch i&apos;r dderbynfa</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nesaf</translation>
    </message>
    <message>
        <source>Please type the day, month and year in numbers.</source>
        <translation>Teipiwch y diwrnod, y mis a&apos;r flwyddyn mewn rhifau.</translation>
    </message>
    <message>
        <source>Please type the year with 4 numbers, like 1956.</source>
        <translation>Teipiwch y flwyddyn gyda 4 rhif, fel 1956.</translation>
    </message>
    <message>
        <source>That date does not exist. Please check the day and month.</source>
        <translation>Dydy&apos;r dyddiad hwnnw ddim yn bod. Gwiriwch y diwrnod a&apos;r mis.</translation>
    </message>
    <message>
        <source>Please check the year you were born.</source>
        <translation>Gwiriwch y flwyddyn y cawsoch chi eich geni.</translation>
    </message>
    <message>
        <source>What is the first letter of your surname (family name)?</source>
        <translation>Beth yw llythyren gyntaf eich cyfenw (enw teulu)?</translation>
    </message>
    <message>
        <source>Letter %1</source>
        <translation>Llythyren %1</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <source>We could not find your appointment. Please check and try again.</source>
        <translation>Doedden ni ddim yn gallu dod o hyd i&apos;ch apwyntiad. Gwiriwch a thriwch eto.</translation>
    </message>
    <message>
        <source>You can try 1 more time.</source>
        <translation>Gallwch chi drio unwaith eto.</translation>
    </message>
    <message>
        <source>You can try %1 more times.</source>
        <translation>Cynigion ar ôl: %1.</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>Cofrestru&apos;r llechen hon</translation>
    </message>
    <message>
        <source>This tablet is not enrolled with a clinic yet. Ask the clinic&apos;s administrator for the clinic&apos;s address and a one-time enrolment code. A code lasts 15 minutes.</source>
        <translation>Dydy&apos;r llechen hon ddim wedi&apos;i chofrestru gyda chlinig eto. Gofynnwch i weinyddwr y clinig am gyfeiriad y clinig a chod cofrestru untro. Mae cod yn para 15 munud.</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>Cyfeiriad y clinig</translation>
    </message>
    <message>
        <source>Problem with the clinic address</source>
        <translation>Problem gyda chyfeiriad y clinig</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Cod cofrestru</translation>
    </message>
    <message>
        <source>Problem with the enrolment code</source>
        <translation>Problem gyda&apos;r cod cofrestru</translation>
    </message>
    <message>
        <source>Tablet name (optional: if left empty, %1)</source>
        <translation>Enw&apos;r llechen (dewisol: os yw&apos;n wag, %1)</translation>
    </message>
    <message>
        <source>Tablet name</source>
        <translation>Enw&apos;r llechen</translation>
    </message>
    <message>
        <source>Problem with the tablet name</source>
        <translation>Problem gydag enw&apos;r llechen</translation>
    </message>
    <message>
        <source>Problem with enrolment</source>
        <translation>Problem gyda&apos;r cofrestru</translation>
    </message>
    <message>
        <source>Enrolment progress</source>
        <translation>Cynnydd y cofrestru</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>Teipio %1</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>Dechrau&apos;r ciosg</translation>
    </message>
    <message>
        <source>Contacting the clinic…</source>
        <translation>Yn cysylltu â&apos;r clinig…</translation>
    </message>
    <message>
        <source>Type the clinic&apos;s address, like https://clinic.example:8443.</source>
        <translation>Teipiwch gyfeiriad y clinig, fel https://clinic.example:8443.</translation>
    </message>
    <message>
        <source>The clinic&apos;s address must start with https:// and look like https://clinic.example:8443.</source>
        <translation>Rhaid i gyfeiriad y clinig ddechrau gyda https:// ac edrych fel https://clinic.example:8443.</translation>
    </message>
    <message>
        <source>Type the enrolment code from the clinic.</source>
        <translation>Teipiwch y cod cofrestru a gawsoch gan y clinig.</translation>
    </message>
    <message>
        <source>That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and digits, a hyphen, then more letters and digits.</source>
        <translation>Dydy hwnnw ddim yn god cofrestru. Mae cod yn edrych fel K7QF-3MZX8TPLW2H9: llythrennau a digidau, cysylltnod, yna rhagor o lythrennau a digidau.</translation>
    </message>
    <message>
        <source>The tablet&apos;s name may have only letters, digits, spaces and punctuation.</source>
        <translation>Dim ond llythrennau, digidau, bylchau ac atalnodau all fod yn enw&apos;r llechen.</translation>
    </message>
    <message>
        <source>This tablet already has a device key or a clinic record. To enrol it again, IT must first move its device.key and clinic.json aside.</source>
        <translation>Mae gan y llechen hon allwedd dyfais neu gofnod clinig yn barod. I&apos;w chofrestru eto, rhaid i&apos;r adran TG symud ei device.key a&apos;i clinic.json o&apos;r neilltu yn gyntaf.</translation>
    </message>
    <message>
        <source>This tablet is now enrolled with the clinic at %1. It has the clinic&apos;s forms and will send answers to the clinic.</source>
        <translation>Mae&apos;r llechen hon bellach wedi&apos;i chofrestru gyda&apos;r clinig yn %1. Mae ffurflenni&apos;r clinig ganddi a bydd yn anfon atebion i&apos;r clinig.</translation>
    </message>
    <message>
        <source>The clinic does not know this enrolment code. Check it, or ask for a new one.</source>
        <translation>Dydy&apos;r clinig ddim yn adnabod y cod cofrestru hwn. Gwiriwch ef, neu gofynnwch am un newydd.</translation>
    </message>
    <message>
        <source>This enrolment code has expired (codes last 15 minutes). Ask for a new one.</source>
        <translation>Mae&apos;r cod cofrestru hwn wedi dod i ben (mae codau&apos;n para 15 munud). Gofynnwch am un newydd.</translation>
    </message>
    <message>
        <source>This enrolment code has already been used. Ask for a new one.</source>
        <translation>Mae&apos;r cod cofrestru hwn wedi&apos;i ddefnyddio&apos;n barod. Gofynnwch am un newydd.</translation>
    </message>
    <message>
        <source>The clinic did not accept the enrolment code. Check that it was typed exactly; if it was, something between this tablet and the clinic may be intercepting the connection: ask IT to check the network before trying again.</source>
        <translation>Wnaeth y clinig ddim derbyn y cod cofrestru. Gwiriwch iddo gael ei deipio&apos;n union; os felly, efallai fod rhywbeth rhwng y llechen hon a&apos;r clinig yn rhyng-gipio&apos;r cysylltiad: gofynnwch i&apos;r adran TG wirio&apos;r rhwydwaith cyn rhoi cynnig arall arni.</translation>
    </message>
    <message>
        <source>Cannot reach the clinic at %1. Check the address and that this tablet is on the clinic&apos;s network.</source>
        <translation>Methu cyrraedd y clinig yn %1. Gwiriwch y cyfeiriad, a bod y llechen hon ar rwydwaith y clinig.</translation>
    </message>
    <message>
        <source>The connection to the clinic may be intercepted: the certificate this tablet was shown is not the clinic&apos;s. Nothing was saved. Ask IT to check the network before trying again.</source>
        <translation>Efallai fod y cysylltiad â&apos;r clinig yn cael ei ryng-gipio: nid tystysgrif y clinig yw&apos;r dystysgrif a ddangoswyd i&apos;r llechen hon. Chafodd dim byd ei gadw. Gofynnwch i&apos;r adran TG wirio&apos;r rhwydwaith cyn rhoi cynnig arall arni.</translation>
    </message>
    <message>
        <source>The clinic&apos;s answer was not what this kiosk expects. Nothing was saved. Check that the clinic service and this kiosk are up to date.</source>
        <translation>Doedd ateb y clinig ddim fel mae&apos;r ciosg hwn yn ei ddisgwyl. Chafodd dim byd ei gadw. Gwiriwch fod gwasanaeth y clinig a&apos;r ciosg hwn yn gyfredol.</translation>
    </message>
    <message>
        <source>The clinic refused to enrol this tablet: %1</source>
        <translation>Gwrthododd y clinig gofrestru&apos;r llechen hon: %1</translation>
    </message>
    <message>
        <source>Cannot save to the tablet&apos;s data folder (%1).</source>
        <translation>Methu cadw yn ffolder data&apos;r llechen (%1).</translation>
    </message>
    <message>
        <source>Enrolment failed because of a fault in the kiosk. Nothing was saved. Ask IT: the kiosk&apos;s log has the details.</source>
        <translation>Methodd y cofrestru oherwydd nam yn y ciosg. Chafodd dim byd ei gadw. Gofynnwch i&apos;r adran TG: mae&apos;r manylion yng nghofnod y ciosg.</translation>
    </message>
</context>
<context>
    <name>FoundScreen</name>
    <message>
        <source>We found an appointment</source>
        <translation>Rydyn ni wedi dod o hyd i apwyntiad</translation>
    </message>
    <message>
        <source>Your appointment is at %1 in the %2. Is that right?</source>
        <translation>Mae eich apwyntiad am %1 (%2). Ydy hynny&apos;n iawn?</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Na</translation>
    </message>
    <message>
        <source>Yes, that is my appointment</source>
        <translation>Ie, dyna fy apwyntiad i</translation>
    </message>
</context>
<context>
    <name>HandOverConfirmScreen</name>
    <message>
        <source>Is this the patient?</source>
        <translation>Ai hwn yw&apos;r claf?</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Enw</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Dyddiad geni</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Apwyntiad</translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation>Rhif GIG</translation>
    </message>
    <message>
        <source>Hospital number</source>
        <translation>Rhif ysbyty</translation>
    </message>
    <message>
        <source>Ask the patient to tell you their name and date of birth.</source>
        <translation>Gofynnwch i&apos;r claf ddweud eu henw a&apos;u dyddiad geni wrthych chi.</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>Na, yn ôl</translation>
    </message>
    <message>
        <source>Yes: hand over the tablet</source>
        <translation>Ie: rhoi&apos;r llechen i&apos;r claf</translation>
    </message>
</context>
<context>
    <name>HandOverScreen</name>
    <message>
        <source>Find the patient</source>
        <translation>Dod o hyd i&apos;r claf</translation>
    </message>
    <message>
        <source>NHS number or hospital number</source>
        <translation>Rhif GIG neu rif ysbyty</translation>
    </message>
    <message>
        <source>Problem with this number</source>
        <translation>Problem gyda&apos;r rhif hwn</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Canslo</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Chwilio</translation>
    </message>
    <message>
        <source>This tablet has no clinic list for today. Load today&apos;s list first.</source>
        <translation>Does gan y llechen hon ddim rhestr clinig ar gyfer heddiw. Llwythwch restr heddiw yn gyntaf.</translation>
    </message>
    <message>
        <source>Type the patient&apos;s NHS number or hospital number.</source>
        <translation>Teipiwch rif GIG neu rif ysbyty&apos;r claf.</translation>
    </message>
    <message>
        <source>That is not a valid NHS number: the check digit is wrong. Check each digit.</source>
        <translation>Dydy hwnnw ddim yn rhif GIG dilys: mae&apos;r digid gwirio yn anghywir. Gwiriwch bob digid.</translation>
    </message>
    <message>
        <source>An NHS number has 10 digits. For a hospital number, type it as printed.</source>
        <translation>Mae gan rif GIG 10 digid. Teipiwch rif ysbyty fel y mae wedi&apos;i argraffu.</translation>
    </message>
    <message>
        <source>No one with that number is on today&apos;s clinic list.</source>
        <translation>Does neb â&apos;r rhif hwnnw ar restr clinig heddiw.</translation>
    </message>
    <message>
        <source>That number is on today&apos;s list more than once. Check the list with the clinic.</source>
        <translation>Mae&apos;r rhif hwnnw ar restr heddiw fwy nag unwaith. Gwiriwch y rhestr gyda&apos;r clinig.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>What Matters</source>
        <translation>Beth sy&apos;n Bwysig</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Please see reception.</source>
        <translation>Mae&apos;n ddrwg gennym, aeth rhywbeth o&apos;i le. Ewch i&apos;r dderbynfa.</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <source>Language</source>
        <translation>Iaith</translation>
    </message>
</context>
<context>
    <name>LanguageScreen</name>
    <message>
        <source>Choose your language</source>
        <translation>Dewiswch eich iaith</translation>
    </message>
    <message>
        <source>Can be read aloud</source>
        <translation>Gellir ei ddarllen yn uchel</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>Defnyddio %1</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Type %1</source>
        <translation>Teipio %1</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>Priflythyren</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Bwlch</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Dileu</translation>
    </message>
    <message>
        <source>Capital (on)</source>
        <translation>Priflythyren (ymlaen)</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the PIN</source>
        <translation>Staff yn unig: rhowch y PIN</translation>
    </message>
    <message>
        <source>Digits entered</source>
        <translation>Digidau a roddwyd</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clirio</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Iawn</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Canslo</translation>
    </message>
    <message>
        <source>No staff PIN is set on this tablet yet.</source>
        <translation>Does dim PIN staff wedi&apos;i osod ar y llechen hon eto.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Dydy&apos;r PIN hwnnw ddim yn gywir.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>Gormod o PINau anghywir. Triwch eto ymhen %1 eiliad.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>Doedd dim modd gwirio&apos;r PIN.</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <source>Make the words easier to read</source>
        <translation>Gwneud y geiriau&apos;n haws eu darllen</translation>
    </message>
    <message>
        <source>Normal text</source>
        <translation>Testun arferol</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Testun mawr</translation>
    </message>
    <message>
        <source>Extra large text</source>
        <translation>Testun mawr iawn</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Cyferbyniad uchel</translation>
    </message>
    <message>
        <source>Your answers are private</source>
        <translation>Mae eich atebion yn breifat</translation>
    </message>
    <message>
        <source>We will ask about your visit and how you feel. We do not ask your name, and your answers are not linked to you. You can skip any question.</source>
        <translation>Byddwn ni&apos;n gofyn am eich ymweliad a sut rydych chi&apos;n teimlo. Dydyn ni ddim yn gofyn eich enw, a dydy eich atebion ddim yn gysylltiedig â chi. Gallwch chi hepgor unrhyw gwestiwn.</translation>
    </message>
    <message>
        <source>We will ask what matters to you, about things in your life that affect your health, and how you feel. Only the staff caring for you today will see your answers. You can skip any question.</source>
        <translation>Byddwn ni&apos;n gofyn beth sy&apos;n bwysig i chi, am bethau yn eich bywyd sy&apos;n effeithio ar eich iechyd, a sut rydych chi&apos;n teimlo. Dim ond y staff sy&apos;n gofalu amdanoch chi heddiw fydd yn gweld eich atebion. Gallwch chi hepgor unrhyw gwestiwn.</translation>
    </message>
    <message>
        <source>Start the questions</source>
        <translation>Dechrau&apos;r cwestiynau</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>Cwestiwn %1 o %2</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>Darllen yn uchel</translation>
    </message>
    <message>
        <source>Reads the question and its answers out loud. Tap again to stop.</source>
        <translation>Mae&apos;n darllen y cwestiwn a&apos;i atebion yn uchel. Tapiwch eto i stopio.</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>Problem gyda&apos;r ateb hwn</translation>
    </message>
    <message>
        <source>I don&apos;t want to answer</source>
        <translation>Dydw i ddim eisiau ateb</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Yn ôl</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Nesaf</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>Stopio darllen</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Check your answers</source>
        <translation>Gwiriwch eich atebion</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Heb ateb</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Newid</translation>
    </message>
    <message>
        <source>Change this answer</source>
        <translation>Newid yr ateb hwn</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>Anfon fy atebion</translation>
    </message>
</context>
<context>
    <name>SeeReceptionScreen</name>
    <message>
        <source>Please see reception</source>
        <translation>Ewch i&apos;r dderbynfa</translation>
    </message>
    <message>
        <source>We could not find your appointment on this tablet. The staff at reception will help you.</source>
        <translation>Doedden ni ddim yn gallu dod o hyd i&apos;ch apwyntiad ar y llechen hon. Bydd y staff yn y dderbynfa yn eich helpu chi.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Gorffen</translation>
    </message>
</context>
<context>
    <name>StaffMenu</name>
    <message>
        <source>Staff</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>Hand the tablet to a patient</source>
        <translation>Rhoi&apos;r llechen i glaf</translation>
    </message>
    <message>
        <source>Complete with a patient</source>
        <translation>Cwblhau gyda chlaf</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>Cau&apos;r ciosg</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>Yn ôl i&apos;r dechrau</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Your answer</source>
        <translation>Eich ateb</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you</source>
        <translation>Diolch</translation>
    </message>
    <message>
        <source>A member of staff will talk to you today.</source>
        <translation>Bydd aelod o staff yn siarad â chi heddiw.</translation>
    </message>
    <message>
        <source>The person you see today will look at your answers with you.</source>
        <translation>Bydd y person y byddwch chi&apos;n ei weld heddiw yn edrych ar eich atebion gyda chi.</translation>
    </message>
    <message>
        <source>Please give the tablet back to reception.</source>
        <translation>Rhowch y llechen yn ôl i&apos;r dderbynfa.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Gorffen</translation>
    </message>
</context>
<context>
    <name>TimeoutScreen</name>
    <message>
        <source>Are you still there?</source>
        <translation>Ydych chi yno o hyd?</translation>
    </message>
    <message>
        <source>To keep your answers private, this will close soon. Tap &quot;I&apos;m still here&quot; to carry on.</source>
        <translation>I gadw eich atebion yn breifat, bydd hyn yn cau cyn bo hir. Tapiwch “Rydw i yma o hyd” i barhau.</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>Rydw i yma o hyd</translation>
    </message>
</context>
</TS>
