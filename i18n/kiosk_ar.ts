<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AssistedMarker</name>
    <message>
        <source>Assisted by %1</source>
        <translation>بمساعدة %1</translation>
    </message>
</context>
<context>
    <name>AssistedNameScreen</name>
    <message>
        <source>Complete with a patient</source>
        <translation>أكمِل مع مريض</translation>
    </message>
    <message>
        <source>Your name or staff username</source>
        <translation>اسمك أو اسم المستخدم الخاص بالموظفين</translation>
    </message>
    <message>
        <source>It is kept with the patient&apos;s answers, to show you completed them together. Then find the patient as at reception.</source>
        <translation>يُحفظ مع إجابات المريض، ليُظهر أنكما أكملتماها معًا. ثم ابحث عن المريض كما في الاستقبال.</translation>
    </message>
    <message>
        <source>Problem with this name</source>
        <translation>مشكلة في هذا الاسم</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>Type your name or staff username (up to %1 characters).</source>
        <translation>اكتب اسمك أو اسم المستخدم الخاص بالموظفين (حتى %1 حرفًا).</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Before your appointment</source>
        <translation>قبل موعدك</translation>
    </message>
    <message>
        <source>Tap to start</source>
        <translation>المس الشاشة للبدء</translation>
    </message>
    <message>
        <source>Please ask at reception for this tablet. They will get it ready for you.</source>
        <translation>اطلب هذا الجهاز اللوحي من الاستقبال. سيجهزونه لك.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>للموظفين فقط</translation>
    </message>
    <message>
        <source>This tablet is not enrolled. Please see reception.</source>
        <translation>هذا الجهاز اللوحي غير مسجل. يرجى مراجعة الاستقبال.</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>Let us find your appointment</source>
        <translation>لنبحث عن موعدك</translation>
    </message>
    <message>
        <source>What is your date of birth?</source>
        <translation>ما تاريخ ميلادك؟</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>الشهر</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>السنة</translation>
    </message>
    <message>
        <source>For example: 3 / 11 / 1956</source>
        <translation>مثال: 3 / 11 / 1956</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>اكتب %1</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>توجد مشكلة في هذه الإجابة</translation>
    </message>
    <message>
        <source>I need help: see reception</source>
        <translation>أحتاج إلى مساعدة: راجع الاستقبال</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>Please type the day, month and year in numbers.</source>
        <translation>اكتب اليوم والشهر والسنة بالأرقام.</translation>
    </message>
    <message>
        <source>Please type the year with 4 numbers, like 1956.</source>
        <translation>اكتب السنة بـ 4 أرقام، مثل 1956.</translation>
    </message>
    <message>
        <source>That date does not exist. Please check the day and month.</source>
        <translation>هذا التاريخ غير موجود. تحقق من اليوم والشهر.</translation>
    </message>
    <message>
        <source>Please check the year you were born.</source>
        <translation>تحقق من سنة ميلادك.</translation>
    </message>
    <message>
        <source>What is the first letter of your surname (family name)?</source>
        <translation>ما أول حرف من اسم عائلتك بالإنجليزية؟</translation>
    </message>
    <message>
        <source>Letter %1</source>
        <translation>الحرف %1</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>We could not find your appointment. Please check and try again.</source>
        <translation>لم نجد موعدك. يرجى التحقق والمحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>You can try 1 more time.</source>
        <translation>يمكنك المحاولة مرة واحدة أخرى.</translation>
    </message>
    <message>
        <source>You can try %1 more times.</source>
        <translation>عدد المحاولات المتبقية: %1.</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>سجّل هذا الجهاز اللوحي</translation>
    </message>
    <message>
        <source>This tablet is not enrolled with a clinic yet. Ask the clinic&apos;s administrator for the clinic&apos;s address and a one-time enrolment code. A code lasts 15 minutes.</source>
        <translation>هذا الجهاز اللوحي غير مسجل لدى أي عيادة بعد. اطلب من مسؤول العيادة عنوان العيادة ورمز تسجيل يُستخدم مرة واحدة. يبقى الرمز صالحًا 15 دقيقة.</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>عنوان العيادة</translation>
    </message>
    <message>
        <source>Problem with the clinic address</source>
        <translation>توجد مشكلة في عنوان العيادة</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>رمز التسجيل</translation>
    </message>
    <message>
        <source>Problem with the enrolment code</source>
        <translation>توجد مشكلة في رمز التسجيل</translation>
    </message>
    <message>
        <source>Tablet name (optional: if left empty, %1)</source>
        <translation>اسم الجهاز اللوحي (اختياري: إن تُرك فارغًا، %1)</translation>
    </message>
    <message>
        <source>Tablet name</source>
        <translation>اسم الجهاز اللوحي</translation>
    </message>
    <message>
        <source>Problem with the tablet name</source>
        <translation>توجد مشكلة في اسم الجهاز اللوحي</translation>
    </message>
    <message>
        <source>Problem with enrolment</source>
        <translation>توجد مشكلة في التسجيل</translation>
    </message>
    <message>
        <source>Enrolment progress</source>
        <translation>تقدّم التسجيل</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>اكتب %1</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>شغّل الكشك</translation>
    </message>
    <message>
        <source>Contacting the clinic…</source>
        <translation>جارٍ الاتصال بالعيادة…</translation>
    </message>
    <message>
        <source>Type the clinic&apos;s address, like https://clinic.example:8443.</source>
        <translation>اكتب عنوان العيادة، مثل: https://clinic.example:8443</translation>
    </message>
    <message>
        <source>The clinic&apos;s address must start with https:// and look like https://clinic.example:8443.</source>
        <translation>يجب أن يبدأ عنوان العيادة بـ https:// وأن يكون مثل https://clinic.example:8443.</translation>
    </message>
    <message>
        <source>Type the enrolment code from the clinic.</source>
        <translation>اكتب رمز التسجيل الذي حصلت عليه من العيادة.</translation>
    </message>
    <message>
        <source>That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and digits, a hyphen, then more letters and digits.</source>
        <translation>هذا ليس رمز تسجيل. يبدو الرمز هكذا: K7QF-3MZX8TPLW2H9، أي حروف وأرقام، ثم شرطة، ثم مزيد من الحروف والأرقام.</translation>
    </message>
    <message>
        <source>The tablet&apos;s name may have only letters, digits, spaces and punctuation.</source>
        <translation>لا يجوز أن يحتوي اسم الجهاز اللوحي إلا على حروف وأرقام ومسافات وعلامات ترقيم.</translation>
    </message>
    <message>
        <source>This tablet already has a device key or a clinic record. To enrol it again, IT must first move its device.key and clinic.json aside.</source>
        <translation>لدى هذا الجهاز اللوحي مفتاح جهاز أو سجل عيادة بالفعل. لتسجيله مرة أخرى، يجب على قسم تقنية المعلومات أولًا نقل الملفين device.key و clinic.json إلى مكان آخر.</translation>
    </message>
    <message>
        <source>This tablet is now enrolled with the clinic at %1. It has the clinic&apos;s forms and will send answers to the clinic.</source>
        <translation>أصبح هذا الجهاز اللوحي مسجلًا الآن لدى العيادة على العنوان %1. وصلت إليه نماذج العيادة، وسيرسل الإجابات إلى العيادة.</translation>
    </message>
    <message>
        <source>The clinic does not know this enrolment code. Check it, or ask for a new one.</source>
        <translation>لا تعرف العيادة رمز التسجيل هذا. تحقق منه، أو اطلب رمزًا جديدًا.</translation>
    </message>
    <message>
        <source>This enrolment code has expired (codes last 15 minutes). Ask for a new one.</source>
        <translation>انتهت صلاحية رمز التسجيل هذا (تبقى الرموز صالحة 15 دقيقة). اطلب رمزًا جديدًا.</translation>
    </message>
    <message>
        <source>This enrolment code has already been used. Ask for a new one.</source>
        <translation>سبق استخدام رمز التسجيل هذا. اطلب رمزًا جديدًا.</translation>
    </message>
    <message>
        <source>The clinic did not accept the enrolment code. Check that it was typed exactly; if it was, something between this tablet and the clinic may be intercepting the connection: ask IT to check the network before trying again.</source>
        <translation>لم تقبل العيادة رمز التسجيل. تحقق من أنه كُتب بدقة؛ فإن كان كذلك، فقد يكون هناك شيء بين هذا الجهاز اللوحي والعيادة يعترض الاتصال: اطلب من قسم تقنية المعلومات فحص الشبكة قبل المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>Cannot reach the clinic at %1. Check the address and that this tablet is on the clinic&apos;s network.</source>
        <translation>تعذّر الوصول إلى العيادة على %1. تحقق من العنوان ومن أن هذا الجهاز اللوحي متصل بشبكة العيادة.</translation>
    </message>
    <message>
        <source>The connection to the clinic may be intercepted: the certificate this tablet was shown is not the clinic&apos;s. Nothing was saved. Ask IT to check the network before trying again.</source>
        <translation>قد يكون الاتصال بالعيادة معترَضًا: الشهادة التي عُرضت على هذا الجهاز اللوحي ليست شهادة العيادة. لم يُحفظ أي شيء. اطلب من قسم تقنية المعلومات فحص الشبكة قبل المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>The clinic&apos;s answer was not what this kiosk expects. Nothing was saved. Check that the clinic service and this kiosk are up to date.</source>
        <translation>لم تكن إجابة العيادة كما يتوقع هذا الكشك. لم يُحفظ أي شيء. تحقق من أن خدمة العيادة وهذا الكشك محدّثان.</translation>
    </message>
    <message>
        <source>The clinic refused to enrol this tablet: %1</source>
        <translation>رفضت العيادة تسجيل هذا الجهاز اللوحي: %1</translation>
    </message>
    <message>
        <source>Cannot save to the tablet&apos;s data folder (%1).</source>
        <translation>تعذّر الحفظ في مجلد بيانات الجهاز اللوحي (%1).</translation>
    </message>
    <message>
        <source>Enrolment failed because of a fault in the kiosk. Nothing was saved. Ask IT: the kiosk&apos;s log has the details.</source>
        <translation>فشل التسجيل بسبب خلل في الكشك. لم يُحفظ أي شيء. اسأل قسم تقنية المعلومات: التفاصيل في سجل الكشك.</translation>
    </message>
</context>
<context>
    <name>FoundScreen</name>
    <message>
        <source>We found an appointment</source>
        <translation>وجدنا موعدًا</translation>
    </message>
    <message>
        <source>Your appointment is at %1 in the %2. Is that right?</source>
        <translation>موعدك الساعة %1 (%2). هل هذا صحيح؟</translation>
    </message>
    <message>
        <source>No</source>
        <translation>لا</translation>
    </message>
    <message>
        <source>Yes, that is my appointment</source>
        <translation>نعم، هذا موعدي</translation>
    </message>
</context>
<context>
    <name>HandOverConfirmScreen</name>
    <message>
        <source>Is this the patient?</source>
        <translation>هل هذا هو المريض؟</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>تاريخ الميلاد</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>الموعد</translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation>رقم NHS</translation>
    </message>
    <message>
        <source>Hospital number</source>
        <translation>رقم المستشفى</translation>
    </message>
    <message>
        <source>Ask the patient to tell you their name and date of birth.</source>
        <translation>اطلب من المريض أن يخبرك باسمه وتاريخ ميلاده.</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>لا، رجوع</translation>
    </message>
    <message>
        <source>Yes: hand over the tablet</source>
        <translation>نعم: سلّم الجهاز اللوحي</translation>
    </message>
</context>
<context>
    <name>HandOverScreen</name>
    <message>
        <source>Find the patient</source>
        <translation>ابحث عن المريض</translation>
    </message>
    <message>
        <source>NHS number or hospital number</source>
        <translation>رقم NHS أو رقم المستشفى</translation>
    </message>
    <message>
        <source>Problem with this number</source>
        <translation>توجد مشكلة في هذا الرقم</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>بحث</translation>
    </message>
    <message>
        <source>This tablet has no clinic list for today. Load today&apos;s list first.</source>
        <translation>لا توجد على هذا الجهاز اللوحي قائمة العيادة لليوم. حمّل قائمة اليوم أولًا.</translation>
    </message>
    <message>
        <source>Type the patient&apos;s NHS number or hospital number.</source>
        <translation>اكتب رقم NHS أو رقم المستشفى الخاص بالمريض.</translation>
    </message>
    <message>
        <source>That is not a valid NHS number: the check digit is wrong. Check each digit.</source>
        <translation>هذا ليس رقم NHS صالحًا: رقم التحقق خاطئ. تحقق من كل رقم.</translation>
    </message>
    <message>
        <source>An NHS number has 10 digits. For a hospital number, type it as printed.</source>
        <translation>يتكون رقم NHS من 10 أرقام. اكتب رقم المستشفى كما هو مطبوع.</translation>
    </message>
    <message>
        <source>No one with that number is on today&apos;s clinic list.</source>
        <translation>لا يوجد أحد بهذا الرقم في قائمة العيادة اليوم.</translation>
    </message>
    <message>
        <source>That number is on today&apos;s list more than once. Check the list with the clinic.</source>
        <translation>هذا الرقم موجود في قائمة اليوم أكثر من مرة. راجع القائمة مع العيادة.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>What Matters</source>
        <translation>ما يهمك</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Please see reception.</source>
        <translation>عذرًا، حدث خطأ. يرجى مراجعة الاستقبال.</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <source>Language</source>
        <translation>اللغة</translation>
    </message>
</context>
<context>
    <name>LanguageScreen</name>
    <message>
        <source>Choose your language</source>
        <translation>اختر لغتك</translation>
    </message>
    <message>
        <source>Can be read aloud</source>
        <translation>يمكن قراءته بصوت عالٍ</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>استخدم %1</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Type %1</source>
        <translation>اكتب %1</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>حرف كبير</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>مسافة</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Capital (on)</source>
        <translation>حرف كبير (مفعّل)</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the PIN</source>
        <translation>للموظفين فقط: أدخل رمز PIN</translation>
    </message>
    <message>
        <source>Digits entered</source>
        <translation>الأرقام المدخلة</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>No staff PIN is set on this tablet yet.</source>
        <translation>لم يُعيَّن رمز PIN للموظفين على هذا الجهاز اللوحي بعد.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>رمز PIN هذا غير صحيح.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>محاولات خاطئة كثيرة. حاول مرة أخرى بعد %1 ثانية.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>تعذّر التحقق من رمز PIN.</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <source>Make the words easier to read</source>
        <translation>اجعل الكلمات أسهل للقراءة</translation>
    </message>
    <message>
        <source>Normal text</source>
        <translation>نص عادي</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>نص كبير</translation>
    </message>
    <message>
        <source>Extra large text</source>
        <translation>نص كبير جدًا</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>تباين عالٍ</translation>
    </message>
    <message>
        <source>Your answers are private</source>
        <translation>إجاباتك سرية</translation>
    </message>
    <message>
        <source>We will ask about your visit and how you feel. We do not ask your name, and your answers are not linked to you. You can skip any question.</source>
        <translation>سنسألك عن زيارتك وعن شعورك. لا نسأل عن اسمك، ولا ترتبط إجاباتك بك. يمكنك تخطي أي سؤال.</translation>
    </message>
    <message>
        <source>We will ask what matters to you, about things in your life that affect your health, and how you feel. Only the staff caring for you today will see your answers. You can skip any question.</source>
        <translation>سنسألك عمّا يهمك، وعن أمور في حياتك تؤثر في صحتك، وعن شعورك. لن يرى إجاباتك إلا الموظفون الذين يعتنون بك اليوم. يمكنك تخطي أي سؤال.</translation>
    </message>
    <message>
        <source>Start the questions</source>
        <translation>ابدأ الأسئلة</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>السؤال %1 من %2</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>اقرأ بصوت عالٍ</translation>
    </message>
    <message>
        <source>Reads the question and its answers out loud. Tap again to stop.</source>
        <translation>يقرأ السؤال وإجاباته بصوت عالٍ. المس مرة أخرى للإيقاف.</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>توجد مشكلة في هذه الإجابة</translation>
    </message>
    <message>
        <source>I don&apos;t want to answer</source>
        <translation>لا أريد أن أجيب</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>التالي</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>أوقف القراءة</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Check your answers</source>
        <translation>راجع إجاباتك</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>بلا إجابة</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>تغيير</translation>
    </message>
    <message>
        <source>Change this answer</source>
        <translation>غيّر هذه الإجابة</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>أرسل إجاباتي</translation>
    </message>
</context>
<context>
    <name>SeeReceptionScreen</name>
    <message>
        <source>Please see reception</source>
        <translation>يرجى مراجعة الاستقبال</translation>
    </message>
    <message>
        <source>We could not find your appointment on this tablet. The staff at reception will help you.</source>
        <translation>لم نجد موعدك على هذا الجهاز اللوحي. سيساعدك الموظفون في الاستقبال.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>إنهاء</translation>
    </message>
</context>
<context>
    <name>StaffMenu</name>
    <message>
        <source>Staff</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Hand the tablet to a patient</source>
        <translation>سلّم الجهاز اللوحي إلى مريض</translation>
    </message>
    <message>
        <source>Complete with a patient</source>
        <translation>أكمِل مع مريض</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>أغلق الكشك</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>العودة إلى البداية</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Your answer</source>
        <translation>إجابتك</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you</source>
        <translation>شكرًا لك</translation>
    </message>
    <message>
        <source>A member of staff will talk to you today.</source>
        <translation>سيتحدث معك أحد الموظفين اليوم.</translation>
    </message>
    <message>
        <source>The person you see today will look at your answers with you.</source>
        <translation>سيراجع الشخص الذي ستقابله اليوم إجاباتك معك.</translation>
    </message>
    <message>
        <source>Please give the tablet back to reception.</source>
        <translation>يرجى إعادة الجهاز اللوحي إلى الاستقبال.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>إنهاء</translation>
    </message>
</context>
<context>
    <name>TimeoutScreen</name>
    <message>
        <source>Are you still there?</source>
        <translation>هل ما زلت هنا؟</translation>
    </message>
    <message>
        <source>To keep your answers private, this will close soon. Tap &quot;I&apos;m still here&quot; to carry on.</source>
        <translation>للحفاظ على سرية إجاباتك، سيُغلق هذا قريبًا. المس «ما زلت هنا» للمتابعة.</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>ما زلت هنا</translation>
    </message>
</context>
</TS>
