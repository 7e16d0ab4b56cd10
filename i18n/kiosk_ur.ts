<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ur">
<context>
    <name>AssistedMarker</name>
    <message>
        <source>Assisted by %1</source>
        <translation>%1 کی مدد سے</translation>
    </message>
</context>
<context>
    <name>AssistedNameScreen</name>
    <message>
        <source>Complete with a patient</source>
        <translation>مریض کے ساتھ مکمل کریں</translation>
    </message>
    <message>
        <source>Your name or staff username</source>
        <translation>آپ کا نام یا عملے کا یوزر نیم</translation>
    </message>
    <message>
        <source>It is kept with the patient&apos;s answers, to show you completed them together. Then find the patient as at reception.</source>
        <translation>یہ مریض کے جوابات کے ساتھ رکھا جاتا ہے، یہ دکھانے کے لیے کہ آپ نے انہیں مل کر مکمل کیا۔ پھر مریض کو اسی طرح تلاش کریں جیسے استقبالیہ پر۔</translation>
    </message>
    <message>
        <source>Problem with this name</source>
        <translation>اس نام میں مسئلہ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>منسوخ کریں</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>آگے</translation>
    </message>
    <message>
        <source>Type your name or staff username (up to %1 characters).</source>
        <translation>اپنا نام یا عملے کا یوزر نیم لکھیں (زیادہ سے زیادہ %1 حروف)۔</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Before your appointment</source>
        <translation>آپ کی ملاقات سے پہلے</translation>
    </message>
    <message>
        <source>Tap to start</source>
        <translation>شروع کرنے کے لیے چھوئیں</translation>
    </message>
    <message>
        <source>Please ask at reception for this tablet. They will get it ready for you.</source>
        <translation>یہ ٹیبلیٹ لینے کے لیے استقبالیہ پر پوچھیں۔ وہ اسے آپ کے لیے تیار کر دیں گے۔</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>عملہ</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>صرف عملے کے لیے</translation>
    </message>
    <message>
        <source>This tablet is not enrolled. Please see reception.</source>
        <translation>یہ ٹیبلیٹ رجسٹرڈ نہیں ہے۔ براہ کرم استقبالیہ پر جائیں۔</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>Let us find your appointment</source>
        <translation>آئیں، آپ کی ملاقات کا وقت تلاش کریں</translation>
    </message>
    <message>
        <source>What is your date of birth?</source>
        <translation>آپ کی تاریخ پیدائش کیا ہے؟</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>دن</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>مہینہ</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>سال</translation>
    </message>
    <message>
        <source>For example: 3 / 11 / 1956</source>
        <translation>مثال کے طور پر: 3 / 11 / 1956</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>%1 لکھیں</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>مٹائیں</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>اس جواب میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>I need help: see reception</source>
        <translation>مجھے مدد چاہیے: استقبالیہ پر جائیں</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>آگے</translation>
    </message>
    <message>
        <source>Please type the day, month and year in numbers.</source>
        <translation>دن، مہینہ اور سال نمبروں میں لکھیں۔</translation>
    </message>
    <message>
        <source>Please type the year with 4 numbers, like 1956.</source>
        <translation>سال 4 نمبروں میں لکھیں، جیسے 1956۔</translation>
    </message>
    <message>
        <source>That date does not exist. Please check the day and month.</source>
        <translation>یہ تاریخ موجود نہیں ہے۔ دن اور مہینہ چیک کریں۔</translation>
    </message>
    <message>
        <source>Please check the year you were born.</source>
        <translation>اپنی پیدائش کا سال چیک کریں۔</translation>
    </message>
    <message>
        <source>What is the first letter of your surname (family name)?</source>
        <translation>انگریزی میں آپ کے خاندانی نام کا پہلا حرف کیا ہے؟</translation>
    </message>
    <message>
        <source>Letter %1</source>
        <translation>حرف %1</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>پیچھے</translation>
    </message>
    <message>
        <source>We could not find your appointment. Please check and try again.</source>
        <translation>ہمیں آپ کی ملاقات کا وقت نہیں ملا۔ براہ کرم چیک کریں اور دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>You can try 1 more time.</source>
        <translation>آپ 1 بار اور کوشش کر سکتے ہیں۔</translation>
    </message>
    <message>
        <source>You can try %1 more times.</source>
        <translation>آپ %1 بار اور کوشش کر سکتے ہیں۔</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>اس ٹیبلیٹ کو رجسٹر کریں</translation>
    </message>
    <message>
        <source>This tablet is not enrolled with a clinic yet. Ask the clinic&apos;s administrator for the clinic&apos;s address and a one-time enrolment code. A code lasts 15 minutes.</source>
        <translation>یہ ٹیبلیٹ ابھی کسی کلینک کے ساتھ رجسٹر نہیں ہے۔ کلینک کے منتظم سے کلینک کا پتہ اور ایک بار استعمال ہونے والا رجسٹریشن کوڈ مانگیں۔ کوڈ 15 منٹ تک کارآمد رہتا ہے۔</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>کلینک کا پتہ</translation>
    </message>
    <message>
        <source>Problem with the clinic address</source>
        <translation>کلینک کے پتے میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>رجسٹریشن کوڈ</translation>
    </message>
    <message>
        <source>Problem with the enrolment code</source>
        <translation>رجسٹریشن کوڈ میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>Tablet name (optional: if left empty, %1)</source>
        <translation>ٹیبلیٹ کا نام (اختیاری: خالی چھوڑنے پر %1)</translation>
    </message>
    <message>
        <source>Tablet name</source>
        <translation>ٹیبلیٹ کا نام</translation>
    </message>
    <message>
        <source>Problem with the tablet name</source>
        <translation>ٹیبلیٹ کے نام میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>Problem with enrolment</source>
        <translation>رجسٹریشن میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>Enrolment progress</source>
        <translation>رجسٹریشن کی پیش رفت</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>%1 لکھیں</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>کیوسک شروع کریں</translation>
    </message>
    <message>
        <source>Contacting the clinic…</source>
        <translation>کلینک سے رابطہ ہو رہا ہے…</translation>
    </message>
    <message>
        <source>Type the clinic&apos;s address, like https://clinic.example:8443.</source>
        <translation>کلینک کا پتہ لکھیں، مثلاً: https://clinic.example:8443</translation>
    </message>
    <message>
        <source>The clinic&apos;s address must start with https:// and look like https://clinic.example:8443.</source>
        <translation>کلینک کا پتہ https:// سے شروع ہونا چاہیے اور https://clinic.example:8443 جیسا ہونا چاہیے۔</translation>
    </message>
    <message>
        <source>Type the enrolment code from the clinic.</source>
        <translation>کلینک سے ملنے والا رجسٹریشن کوڈ لکھیں۔</translation>
    </message>
    <message>
        <source>That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and digits, a hyphen, then more letters and digits.</source>
        <translation>یہ رجسٹریشن کوڈ نہیں ہے۔ کوڈ اس طرح کا ہوتا ہے: K7QF-3MZX8TPLW2H9، یعنی حروف اور ہندسے، ایک ہائفن، پھر مزید حروف اور ہندسے۔</translation>
    </message>
    <message>
        <source>The tablet&apos;s name may have only letters, digits, spaces and punctuation.</source>
        <translation>ٹیبلیٹ کے نام میں صرف حروف، ہندسے، خالی جگہیں اور رموزِ اوقاف ہو سکتے ہیں۔</translation>
    </message>
    <message>
        <source>This tablet already has a device key or a clinic record. To enrol it again, IT must first move its device.key and clinic.json aside.</source>
        <translation>اس ٹیبلیٹ میں پہلے سے ڈیوائس کی کلید یا کلینک کا ریکارڈ موجود ہے۔ اسے دوبارہ رجسٹر کرنے کے لیے پہلے IT کو اس کی device.key اور clinic.json فائلیں کسی اور جگہ منتقل کرنی ہوں گی۔</translation>
    </message>
    <message>
        <source>This tablet is now enrolled with the clinic at %1. It has the clinic&apos;s forms and will send answers to the clinic.</source>
        <translation>یہ ٹیبلیٹ اب %1 والے کلینک کے ساتھ رجسٹر ہو گیا ہے۔ اس میں کلینک کے فارم آ گئے ہیں اور یہ جوابات کلینک کو بھیجے گا۔</translation>
    </message>
    <message>
        <source>The clinic does not know this enrolment code. Check it, or ask for a new one.</source>
        <translation>کلینک اس رجسٹریشن کوڈ کو نہیں پہچانتا۔ اسے چیک کریں، یا نیا کوڈ مانگیں۔</translation>
    </message>
    <message>
        <source>This enrolment code has expired (codes last 15 minutes). Ask for a new one.</source>
        <translation>اس رجسٹریشن کوڈ کی میعاد ختم ہو گئی ہے (کوڈ 15 منٹ تک کارآمد رہتے ہیں)۔ نیا کوڈ مانگیں۔</translation>
    </message>
    <message>
        <source>This enrolment code has already been used. Ask for a new one.</source>
        <translation>یہ رجسٹریشن کوڈ پہلے ہی استعمال ہو چکا ہے۔ نیا کوڈ مانگیں۔</translation>
    </message>
    <message>
        <source>The clinic did not accept the enrolment code. Check that it was typed exactly; if it was, something between this tablet and the clinic may be intercepting the connection: ask IT to check the network before trying again.</source>
        <translation>کلینک نے رجسٹریشن کوڈ قبول نہیں کیا۔ چیک کریں کہ کوڈ بالکل درست لکھا گیا تھا؛ اگر ہاں، تو ہو سکتا ہے کہ اس ٹیبلیٹ اور کلینک کے درمیان کوئی چیز کنکشن میں مداخلت کر رہی ہو: دوبارہ کوشش کرنے سے پہلے IT سے نیٹ ورک چیک کروائیں۔</translation>
    </message>
    <message>
        <source>Cannot reach the clinic at %1. Check the address and that this tablet is on the clinic&apos;s network.</source>
        <translation>%1 پر کلینک تک رسائی نہیں ہو سکی۔ پتہ چیک کریں، اور یہ بھی کہ یہ ٹیبلیٹ کلینک کے نیٹ ورک پر ہے۔</translation>
    </message>
    <message>
        <source>The connection to the clinic may be intercepted: the certificate this tablet was shown is not the clinic&apos;s. Nothing was saved. Ask IT to check the network before trying again.</source>
        <translation>ہو سکتا ہے کہ کلینک کے ساتھ کنکشن میں مداخلت کی جا رہی ہو: اس ٹیبلیٹ کو دکھایا گیا سرٹیفکیٹ کلینک کا نہیں ہے۔ کچھ محفوظ نہیں کیا گیا۔ دوبارہ کوشش کرنے سے پہلے IT سے نیٹ ورک چیک کروائیں۔</translation>
    </message>
    <message>
        <source>The clinic&apos;s answer was not what this kiosk expects. Nothing was saved. Check that the clinic service and this kiosk are up to date.</source>
        <translation>کلینک کا جواب ویسا نہیں تھا جیسا یہ کیوسک توقع کرتا ہے۔ کچھ محفوظ نہیں کیا گیا۔ چیک کریں کہ کلینک کی سروس اور یہ کیوسک دونوں تازہ ترین ہیں۔</translation>
    </message>
    <message>
        <source>The clinic refused to enrol this tablet: %1</source>
        <translation>کلینک نے اس ٹیبلیٹ کو رجسٹر کرنے سے انکار کر دیا: %1</translation>
    </message>
    <message>
        <source>Cannot save to the tablet&apos;s data folder (%1).</source>
        <translation>ٹیبلیٹ کے ڈیٹا فولڈر میں محفوظ نہیں کیا جا سکا (%1)۔</translation>
    </message>
    <message>
        <source>Enrolment failed because of a fault in the kiosk. Nothing was saved. Ask IT: the kiosk&apos;s log has the details.</source>
        <translation>کیوسک میں خرابی کی وجہ سے رجسٹریشن نہیں ہو سکی۔ کچھ محفوظ نہیں کیا گیا۔ IT سے رابطہ کریں: تفصیلات کیوسک کے لاگ میں ہیں۔</translation>
    </message>
</context>
<context>
    <name>FoundScreen</name>
    <message>
        <source>We found an appointment</source>
        <translation>ہمیں ایک ملاقات کا وقت ملا ہے</translation>
    </message>
    <message>
        <source>Your appointment is at %1 in the %2. Is that right?</source>
        <translation>آپ کی ملاقات %1 بجے ہے (%2)۔ کیا یہ درست ہے؟</translation>
    </message>
    <message>
        <source>No</source>
        <translation>نہیں</translation>
    </message>
    <message>
        <source>Yes, that is my appointment</source>
        <translation>ہاں، یہ میری ملاقات ہے</translation>
    </message>
</context>
<context>
    <name>HandOverConfirmScreen</name>
    <message>
        <source>Is this the patient?</source>
        <translation>کیا یہ وہی مریض ہے؟</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>تاریخ پیدائش</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>ملاقات</translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation>NHS نمبر</translation>
    </message>
    <message>
        <source>Hospital number</source>
        <translation>ہسپتال نمبر</translation>
    </message>
    <message>
        <source>Ask the patient to tell you their name and date of birth.</source>
        <translation>مریض سے ان کا نام اور تاریخ پیدائش بتانے کو کہیں۔</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>نہیں، واپس جائیں</translation>
    </message>
    <message>
        <source>Yes: hand over the tablet</source>
        <translation>ہاں: ٹیبلیٹ مریض کو دیں</translation>
    </message>
</context>
<context>
    <name>HandOverScreen</name>
    <message>
        <source>Find the patient</source>
        <translation>مریض تلاش کریں</translation>
    </message>
    <message>
        <source>NHS number or hospital number</source>
        <translation>NHS نمبر یا ہسپتال نمبر</translation>
    </message>
    <message>
        <source>Problem with this number</source>
        <translation>اس نمبر میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>منسوخ کریں</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>تلاش کریں</translation>
    </message>
    <message>
        <source>This tablet has no clinic list for today. Load today&apos;s list first.</source>
        <translation>اس ٹیبلیٹ پر آج کی کلینک کی فہرست نہیں ہے۔ پہلے آج کی فہرست لوڈ کریں۔</translation>
    </message>
    <message>
        <source>Type the patient&apos;s NHS number or hospital number.</source>
        <translation>مریض کا NHS نمبر یا ہسپتال نمبر لکھیں۔</translation>
    </message>
    <message>
        <source>That is not a valid NHS number: the check digit is wrong. Check each digit.</source>
        <translation>یہ درست NHS نمبر نہیں ہے: چیک ڈیجٹ غلط ہے۔ ہر ہندسہ چیک کریں۔</translation>
    </message>
    <message>
        <source>An NHS number has 10 digits. For a hospital number, type it as printed.</source>
        <translation>NHS نمبر میں 10 ہندسے ہوتے ہیں۔ ہسپتال نمبر ویسے ہی لکھیں جیسے چھپا ہوا ہے۔</translation>
    </message>
    <message>
        <source>No one with that number is on today&apos;s clinic list.</source>
        <translation>آج کی کلینک کی فہرست میں اس نمبر کا کوئی شخص نہیں ہے۔</translation>
    </message>
    <message>
        <source>That number is on today&apos;s list more than once. Check the list with the clinic.</source>
        <translation>یہ نمبر آج کی فہرست میں ایک سے زیادہ بار ہے۔ کلینک کے ساتھ فہرست چیک کریں۔</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>What Matters</source>
        <translation>کیا اہم ہے</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Please see reception.</source>
        <translation>معاف کیجیے، کچھ غلط ہو گیا۔ براہ کرم استقبالیہ پر جائیں۔</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <source>Language</source>
        <translation>زبان</translation>
    </message>
</context>
<context>
    <name>LanguageScreen</name>
    <message>
        <source>Choose your language</source>
        <translation>اپنی زبان چنیں</translation>
    </message>
    <message>
        <source>Can be read aloud</source>
        <translation>بلند آواز سے پڑھا جا سکتا ہے</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>%1 استعمال کریں</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Type %1</source>
        <translation>%1 لکھیں</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>بڑا حرف</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>خالی جگہ</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>مٹائیں</translation>
    </message>
    <message>
        <source>Capital (on)</source>
        <translation>بڑا حرف (چالو)</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the PIN</source>
        <translation>صرف عملے کے لیے: PIN درج کریں</translation>
    </message>
    <message>
        <source>Digits entered</source>
        <translation>درج کیے گئے ہندسے</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>صاف کریں</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ٹھیک ہے</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>منسوخ کریں</translation>
    </message>
    <message>
        <source>No staff PIN is set on this tablet yet.</source>
        <translation>اس ٹیبلیٹ پر ابھی تک عملے کا کوئی PIN مقرر نہیں ہے۔</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>یہ PIN درست نہیں ہے۔</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>بہت زیادہ غلط PIN۔ %1 سیکنڈ بعد دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>PIN چیک نہیں ہو سکا۔</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <source>Make the words easier to read</source>
        <translation>الفاظ کو پڑھنا آسان بنائیں</translation>
    </message>
    <message>
        <source>Normal text</source>
        <translation>عام تحریر</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>بڑی تحریر</translation>
    </message>
    <message>
        <source>Extra large text</source>
        <translation>بہت بڑی تحریر</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>ہائی کنٹراسٹ</translation>
    </message>
    <message>
        <source>Your answers are private</source>
        <translation>آپ کے جوابات نجی ہیں</translation>
    </message>
    <message>
        <source>We will ask about your visit and how you feel. We do not ask your name, and your answers are not linked to you. You can skip any question.</source>
        <translation>ہم آپ کے دورے کے بارے میں اور آپ کیسا محسوس کرتے ہیں، یہ پوچھیں گے۔ ہم آپ کا نام نہیں پوچھتے، اور آپ کے جوابات آپ سے نہیں جوڑے جاتے۔ آپ کوئی بھی سوال چھوڑ سکتے ہیں۔</translation>
    </message>
    <message>
        <source>We will ask what matters to you, about things in your life that affect your health, and how you feel. Only the staff caring for you today will see your answers. You can skip any question.</source>
        <translation>ہم پوچھیں گے کہ آپ کے لیے کیا اہم ہے، آپ کی زندگی کی ان باتوں کے بارے میں جو آپ کی صحت پر اثر ڈالتی ہیں، اور آپ کیسا محسوس کرتے ہیں۔ آپ کے جوابات صرف وہ عملہ دیکھے گا جو آج آپ کی دیکھ بھال کر رہا ہے۔ آپ کوئی بھی سوال چھوڑ سکتے ہیں۔</translation>
    </message>
    <message>
        <source>Start the questions</source>
        <translation>سوالات شروع کریں</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>%2 میں سے سوال %1</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>بلند آواز سے پڑھیں</translation>
    </message>
    <message>
        <source>Reads the question and its answers out loud. Tap again to stop.</source>
        <translation>سوال اور اس کے جوابات بلند آواز سے پڑھتا ہے۔ روکنے کے لیے دوبارہ چھوئیں۔</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>اس جواب میں مسئلہ ہے</translation>
    </message>
    <message>
        <source>I don&apos;t want to answer</source>
        <translation>میں جواب نہیں دینا چاہتا/چاہتی</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>پیچھے</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>آگے</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>پڑھنا بند کریں</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Check your answers</source>
        <translation>اپنے جوابات چیک کریں</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>جواب نہیں دیا</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>تبدیل کریں</translation>
    </message>
    <message>
        <source>Change this answer</source>
        <translation>یہ جواب تبدیل کریں</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>میرے جوابات بھیجیں</translation>
    </message>
</context>
<context>
    <name>SeeReceptionScreen</name>
    <message>
        <source>Please see reception</source>
        <translation>براہ کرم استقبالیہ پر جائیں</translation>
    </message>
    <message>
        <source>We could not find your appointment on this tablet. The staff at reception will help you.</source>
        <translation>ہمیں اس ٹیبلیٹ پر آپ کی ملاقات کا وقت نہیں ملا۔ استقبالیہ کا عملہ آپ کی مدد کرے گا۔</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>ختم کریں</translation>
    </message>
</context>
<context>
    <name>StaffMenu</name>
    <message>
        <source>Staff</source>
        <translation>عملہ</translation>
    </message>
    <message>
        <source>Hand the tablet to a patient</source>
        <translation>ٹیبلیٹ مریض کو دیں</translation>
    </message>
    <message>
        <source>Complete with a patient</source>
        <translation>مریض کے ساتھ مکمل کریں</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>کیوسک بند کریں</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>شروع پر واپس جائیں</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Your answer</source>
        <translation>آپ کا جواب</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you</source>
        <translation>شکریہ</translation>
    </message>
    <message>
        <source>A member of staff will talk to you today.</source>
        <translation>عملے کا کوئی رکن آج آپ سے بات کرے گا۔</translation>
    </message>
    <message>
        <source>The person you see today will look at your answers with you.</source>
        <translation>آج آپ جس سے ملیں گے، وہ آپ کے ساتھ آپ کے جوابات دیکھیں گے۔</translation>
    </message>
    <message>
        <source>Please give the tablet back to reception.</source>
        <translation>براہ کرم ٹیبلیٹ استقبالیہ پر واپس کر دیں۔</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>ختم کریں</translation>
    </message>
</context>
<context>
    <name>TimeoutScreen</name>
    <message>
        <source>Are you still there?</source>
        <translation>کیا آپ ابھی یہاں ہیں؟</translation>
    </message>
    <message>
        <source>To keep your answers private, this will close soon. Tap &quot;I&apos;m still here&quot; to carry on.</source>
        <translation>آپ کے جوابات نجی رکھنے کے لیے یہ جلد بند ہو جائے گا۔ جاری رکھنے کے لیے “میں ابھی یہاں ہوں” کو چھوئیں۔</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>میں ابھی یہاں ہوں</translation>
    </message>
</context>
</TS>
