<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="bn">
<context>
    <name>AssistedMarker</name>
    <message>
        <source>Assisted by %1</source>
        <translation>%1-এর সহায়তায়</translation>
    </message>
</context>
<context>
    <name>AssistedNameScreen</name>
    <message>
        <source>Complete with a patient</source>
        <translation>রোগীর সাথে পূরণ করুন</translation>
    </message>
    <message>
        <source>Your name or staff username</source>
        <translation>আপনার নাম বা কর্মী ইউজারনেম</translation>
    </message>
    <message>
        <source>It is kept with the patient&apos;s answers, to show you completed them together. Then find the patient as at reception.</source>
        <translation>এটি রোগীর উত্তরের সাথে রাখা হয়, যাতে দেখা যায় আপনারা একসাথে সেগুলো পূরণ করেছেন। তারপর রিসেপশনের মতো করে রোগীকে খুঁজুন।</translation>
    </message>
    <message>
        <source>Problem with this name</source>
        <translation>এই নামে সমস্যা</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>বাতিল করুন</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>পরের</translation>
    </message>
    <message>
        <source>Type your name or staff username (up to %1 characters).</source>
        <translation>আপনার নাম বা কর্মী ইউজারনেম লিখুন (সর্বোচ্চ %1টি অক্ষর)।</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Before your appointment</source>
        <translation>আপনার অ্যাপয়েন্টমেন্টের আগে</translation>
    </message>
    <message>
        <source>Tap to start</source>
        <translation>শুরু করতে ছুঁয়ে দিন</translation>
    </message>
    <message>
        <source>Please ask at reception for this tablet. They will get it ready for you.</source>
        <translation>এই ট্যাবলেটের জন্য রিসেপশনে জিজ্ঞাসা করুন। তাঁরা এটি আপনার জন্য তৈরি করে দেবেন।</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>কর্মী</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>শুধু কর্মীদের জন্য</translation>
    </message>
    <message>
        <source>This tablet is not enrolled. Please see reception.</source>
        <translation>এই ট্যাবলেটটি নথিভুক্ত নয়। অনুগ্রহ করে রিসেপশনে যান।</translation>
    </message>
</context>
<context>
    <name>CheckInScreen</name>
    <message>
        <source>Let us find your appointment</source>
        <translation>চলুন, আপনার অ্যাপয়েন্টমেন্ট খুঁজি</translation>
    </message>
    <message>
        <source>What is your date of birth?</source>
        <translation>আপনার জন্ম তারিখ কী?</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>দিন</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>মাস</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>বছর</translation>
    </message>
    <message>
        <source>For example: 3 / 11 / 1956</source>
        <translation>যেমন: 3 / 11 / 1956</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>%1 লিখুন</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>মুছুন</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>এই উত্তরে সমস্যা আছে</translation>
    </message>
    <message>
        <source>I need help: see reception</source>
        <translation>আমার সাহায্য দরকার: রিসেপশনে যান</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>পরের</translation>
    </message>
    <message>
        <source>Please type the day, month and year in numbers.</source>
        <translation>দিন, মাস আর বছর সংখ্যায় লিখুন।</translation>
    </message>
    <message>
        <source>Please type the year with 4 numbers, like 1956.</source>
        <translation>বছরটি 4টি সংখ্যায় লিখুন, যেমন 1956।</translation>
    </message>
    <message>
        <source>That date does not exist. Please check the day and month.</source>
        <translation>এই তারিখটি হয় না। দিন আর মাস দেখে নিন।</translation>
    </message>
    <message>
        <source>Please check the year you were born.</source>
        <translation>আপনার জন্মের বছরটি দেখে নিন।</translation>
    </message>
    <message>
        <source>What is the first letter of your surname (family name)?</source>
        <translation>ইংরেজিতে আপনার পদবির (পারিবারিক নামের) প্রথম অক্ষর কী?</translation>
    </message>
    <message>
        <source>Letter %1</source>
        <translation>অক্ষর %1</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>পিছনে</translation>
    </message>
    <message>
        <source>We could not find your appointment. Please check and try again.</source>
        <translation>আমরা আপনার অ্যাপয়েন্টমেন্ট খুঁজে পাইনি। দেখে নিয়ে আবার চেষ্টা করুন।</translation>
    </message>
    <message>
        <source>You can try 1 more time.</source>
        <translation>আপনি আর 1 বার চেষ্টা করতে পারবেন।</translation>
    </message>
    <message>
        <source>You can try %1 more times.</source>
        <translation>আপনি আর %1 বার চেষ্টা করতে পারবেন।</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>এই ট্যাবলেটটি নথিভুক্ত করুন</translation>
    </message>
    <message>
        <source>This tablet is not enrolled with a clinic yet. Ask the clinic&apos;s administrator for the clinic&apos;s address and a one-time enrolment code. A code lasts 15 minutes.</source>
        <translation>এই ট্যাবলেটটি এখনও কোনো ক্লিনিকে নথিভুক্ত হয়নি। ক্লিনিকের অ্যাডমিনিস্ট্রেটরের কাছে ক্লিনিকের ঠিকানা এবং একবার ব্যবহারযোগ্য একটি নথিভুক্তির কোড চেয়ে নিন। একটি কোড 15 মিনিট কাজ করে।</translation>
    </message>
    <message>
        <source>Clinic address</source>
        <translation>ক্লিনিকের ঠিকানা</translation>
    </message>
    <message>
        <source>Problem with the clinic address</source>
        <translation>ক্লিনিকের ঠিকানায় সমস্যা আছে</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>নথিভুক্তির কোড</translation>
    </message>
    <message>
        <source>Problem with the enrolment code</source>
        <translation>নথিভুক্তির কোডে সমস্যা আছে</translation>
    </message>
    <message>
        <source>Tablet name (optional: if left empty, %1)</source>
        <translation>ট্যাবলেটের নাম (ঐচ্ছিক: খালি রাখলে %1)</translation>
    </message>
    <message>
        <source>Tablet name</source>
        <translation>ট্যাবলেটের নাম</translation>
    </message>
    <message>
        <source>Problem with the tablet name</source>
        <translation>ট্যাবলেটের নামে সমস্যা আছে</translation>
    </message>
    <message>
        <source>Problem with enrolment</source>
        <translation>নথিভুক্তিতে সমস্যা আছে</translation>
    </message>
    <message>
        <source>Enrolment progress</source>
        <translation>নথিভুক্তির অগ্রগতি</translation>
    </message>
    <message>
        <source>Type %1</source>
        <translation>%1 লিখুন</translation>
    </message>
    <message>
        <source>Start the kiosk</source>
        <translation>কিয়স্ক চালু করুন</translation>
    </message>
    <message>
        <source>Contacting the clinic…</source>
        <translation>ক্লিনিকের সাথে যোগাযোগ করা হচ্ছে…</translation>
    </message>
    <message>
        <source>Type the clinic&apos;s address, like https://clinic.example:8443.</source>
        <translation>ক্লিনিকের ঠিকানা লিখুন, যেমন: https://clinic.example:8443</translation>
    </message>
    <message>
        <source>The clinic&apos;s address must start with https:// and look like https://clinic.example:8443.</source>
        <translation>ক্লিনিকের ঠিকানা অবশ্যই https:// দিয়ে শুরু হতে হবে এবং দেখতে https://clinic.example:8443 এর মতো হতে হবে।</translation>
    </message>
    <message>
        <source>Type the enrolment code from the clinic.</source>
        <translation>ক্লিনিক থেকে পাওয়া নথিভুক্তির কোডটি লিখুন।</translation>
    </message>
    <message>
        <source>That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters and digits, a hyphen, then more letters and digits.</source>
        <translation>এটি নথিভুক্তির কোড নয়। কোড দেখতে এরকম: K7QF-3MZX8TPLW2H9, অর্থাৎ অক্ষর ও সংখ্যা, একটি হাইফেন, তারপর আরও অক্ষর ও সংখ্যা।</translation>
    </message>
    <message>
        <source>The tablet&apos;s name may have only letters, digits, spaces and punctuation.</source>
        <translation>ট্যাবলেটের নামে শুধু অক্ষর, সংখ্যা, ফাঁকা জায়গা এবং যতিচিহ্ন থাকতে পারে।</translation>
    </message>
    <message>
        <source>This tablet already has a device key or a clinic record. To enrol it again, IT must first move its device.key and clinic.json aside.</source>
        <translation>এই ট্যাবলেটে আগে থেকেই একটি ডিভাইস কী বা ক্লিনিকের রেকর্ড আছে। এটিকে আবার নথিভুক্ত করতে হলে আগে IT-কে এর device.key এবং clinic.json ফাইল অন্য জায়গায় সরিয়ে রাখতে হবে।</translation>
    </message>
    <message>
        <source>This tablet is now enrolled with the clinic at %1. It has the clinic&apos;s forms and will send answers to the clinic.</source>
        <translation>এই ট্যাবলেটটি এখন %1 ঠিকানার ক্লিনিকে নথিভুক্ত হয়েছে। এতে ক্লিনিকের ফর্মগুলো এসেছে এবং এটি উত্তরগুলো ক্লিনিকে পাঠাবে।</translation>
    </message>
    <message>
        <source>The clinic does not know this enrolment code. Check it, or ask for a new one.</source>
        <translation>ক্লিনিক এই নথিভুক্তির কোডটি চেনে না। কোডটি মিলিয়ে দেখুন, অথবা নতুন একটি কোড চেয়ে নিন।</translation>
    </message>
    <message>
        <source>This enrolment code has expired (codes last 15 minutes). Ask for a new one.</source>
        <translation>এই নথিভুক্তির কোডের মেয়াদ শেষ হয়ে গেছে (কোড 15 মিনিট কাজ করে)। নতুন একটি কোড চেয়ে নিন।</translation>
    </message>
    <message>
        <source>This enrolment code has already been used. Ask for a new one.</source>
        <translation>এই নথিভুক্তির কোডটি আগেই ব্যবহার করা হয়েছে। নতুন একটি কোড চেয়ে নিন।</translation>
    </message>
    <message>
        <source>The clinic did not accept the enrolment code. Check that it was typed exactly; if it was, something between this tablet and the clinic may be intercepting the connection: ask IT to check the network before trying again.</source>
        <translation>ক্লিনিক নথিভুক্তির কোডটি গ্রহণ করেনি। কোডটি হুবহু লেখা হয়েছে কি না মিলিয়ে দেখুন; যদি হয়ে থাকে, তাহলে এই ট্যাবলেট আর ক্লিনিকের মাঝখানে কিছু একটা সংযোগে আড়ি পাততে পারে: আবার চেষ্টা করার আগে IT-কে নেটওয়ার্ক পরীক্ষা করতে বলুন।</translation>
    </message>
    <message>
        <source>Cannot reach the clinic at %1. Check the address and that this tablet is on the clinic&apos;s network.</source>
        <translation>%1 ঠিকানায় ক্লিনিকের সাথে যোগাযোগ করা যাচ্ছে না। ঠিকানাটি মিলিয়ে দেখুন, আর দেখুন এই ট্যাবলেটটি ক্লিনিকের নেটওয়ার্কে আছে কি না।</translation>
    </message>
    <message>
        <source>The connection to the clinic may be intercepted: the certificate this tablet was shown is not the clinic&apos;s. Nothing was saved. Ask IT to check the network before trying again.</source>
        <translation>ক্লিনিকের সাথে সংযোগে কেউ আড়ি পাততে পারে: এই ট্যাবলেটকে যে সার্টিফিকেট দেখানো হয়েছে সেটি ক্লিনিকের নয়। কিছুই সংরক্ষণ করা হয়নি। আবার চেষ্টা করার আগে IT-কে নেটওয়ার্ক পরীক্ষা করতে বলুন।</translation>
    </message>
    <message>
        <source>The clinic&apos;s answer was not what this kiosk expects. Nothing was saved. Check that the clinic service and this kiosk are up to date.</source>
        <translation>ক্লিনিকের উত্তর এই কিয়স্কের প্রত্যাশামতো ছিল না। কিছুই সংরক্ষণ করা হয়নি। ক্লিনিকের সার্ভিস এবং এই কিয়স্ক দুটোই হালনাগাদ আছে কি না দেখে নিন।</translation>
    </message>
    <message>
        <source>The clinic refused to enrol this tablet: %1</source>
        <translation>ক্লিনিক এই ট্যাবলেটটি নথিভুক্ত করতে রাজি হয়নি: %1</translation>
    </message>
    <message>
        <source>Cannot save to the tablet&apos;s data folder (%1).</source>
        <translation>ট্যাবলেটের ডেটা ফোল্ডারে সংরক্ষণ করা যাচ্ছে না (%1)।</translation>
    </message>
    <message>
        <source>Enrolment failed because of a fault in the kiosk. Nothing was saved. Ask IT: the kiosk&apos;s log has the details.</source>
        <translation>কিয়স্কের একটি ত্রুটির কারণে নথিভুক্তি ব্যর্থ হয়েছে। কিছুই সংরক্ষণ করা হয়নি। IT-কে জানান: বিস্তারিত কিয়স্কের লগে আছে।</translation>
    </message>
</context>
<context>
    <name>FoundScreen</name>
    <message>
        <source>We found an appointment</source>
        <translation>আমরা একটি অ্যাপয়েন্টমেন্ট পেয়েছি</translation>
    </message>
    <message>
        <source>Your appointment is at %1 in the %2. Is that right?</source>
        <translation>আপনার অ্যাপয়েন্টমেন্ট %1-এ (%2)। এটা কি ঠিক?</translation>
    </message>
    <message>
        <source>No</source>
        <translation>না</translation>
    </message>
    <message>
        <source>Yes, that is my appointment</source>
        <translation>হ্যাঁ, এটাই আমার অ্যাপয়েন্টমেন্ট</translation>
    </message>
</context>
<context>
    <name>HandOverConfirmScreen</name>
    <message>
        <source>Is this the patient?</source>
        <translation>ইনিই কি সেই রোগী?</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>নাম</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>জন্ম তারিখ</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>অ্যাপয়েন্টমেন্ট</translation>
    </message>
    <message>
        <source>NHS number</source>
        <translation>NHS নম্বর</translation>
    </message>
    <message>
        <source>Hospital number</source>
        <translation>হাসপাতাল নম্বর</translation>
    </message>
    <message>
        <source>Ask the patient to tell you their name and date of birth.</source>
        <translation>রোগীকে তাঁর নাম আর জন্ম তারিখ বলতে বলুন।</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation>না, ফিরে যান</translation>
    </message>
    <message>
        <source>Yes: hand over the tablet</source>
        <translation>হ্যাঁ: ট্যাবলেটটি রোগীকে দিন</translation>
    </message>
</context>
<context>
    <name>HandOverScreen</name>
    <message>
        <source>Find the patient</source>
        <translation>রোগীকে খুঁজুন</translation>
    </message>
    <message>
        <source>NHS number or hospital number</source>
        <translation>NHS নম্বর বা হাসপাতাল নম্বর</translation>
    </message>
    <message>
        <source>Problem with this number</source>
        <translation>এই নম্বরে সমস্যা আছে</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>বাতিল করুন</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>খুঁজুন</translation>
    </message>
    <message>
        <source>This tablet has no clinic list for today. Load today&apos;s list first.</source>
        <translation>এই ট্যাবলেটে আজকের ক্লিনিকের তালিকা নেই। আগে আজকের তালিকা লোড করুন।</translation>
    </message>
    <message>
        <source>Type the patient&apos;s NHS number or hospital number.</source>
        <translation>রোগীর NHS নম্বর বা হাসপাতাল নম্বর লিখুন।</translation>
    </message>
    <message>
        <source>That is not a valid NHS number: the check digit is wrong. Check each digit.</source>
        <translation>এটি সঠিক NHS নম্বর নয়: চেক ডিজিট ভুল। প্রতিটি অঙ্ক দেখে নিন।</translation>
    </message>
    <message>
        <source>An NHS number has 10 digits. For a hospital number, type it as printed.</source>
        <translation>NHS নম্বরে 10টি অঙ্ক থাকে। হাসপাতাল নম্বর যেমন ছাপা আছে তেমনই লিখুন।</translation>
    </message>
    <message>
        <source>No one with that number is on today&apos;s clinic list.</source>
        <translation>আজকের ক্লিনিকের তালিকায় এই নম্বরের কেউ নেই।</translation>
    </message>
    <message>
        <source>That number is on today&apos;s list more than once. Check the list with the clinic.</source>
        <translation>এই নম্বরটি আজকের তালিকায় একাধিকবার আছে। ক্লিনিকের সাথে তালিকাটি মিলিয়ে দেখুন।</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>What Matters</source>
        <translation>কী গুরুত্বপূর্ণ</translation>
    </message>
    <message>
        <source>Sorry, something went wrong. Please see reception.</source>
        <translation>দুঃখিত, কিছু একটা ভুল হয়েছে। অনুগ্রহ করে রিসেপশনে যান।</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <source>Language</source>
        <translation>ভাষা</translation>
    </message>
</context>
<context>
    <name>LanguageScreen</name>
    <message>
        <source>Choose your language</source>
        <translation>আপনার ভাষা বেছে নিন</translation>
    </message>
    <message>
        <source>Can be read aloud</source>
        <translation>জোরে পড়ে শোনানো যায়</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>%1 ব্যবহার করুন</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>Type %1</source>
        <translation>%1 লিখুন</translation>
    </message>
    <message>
        <source>Capital</source>
        <translation>বড় হাতের অক্ষর</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>ফাঁকা জায়গা</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>মুছুন</translation>
    </message>
    <message>
        <source>Capital (on)</source>
        <translation>বড় হাতের অক্ষর (চালু)</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Staff only: enter the PIN</source>
        <translation>শুধু কর্মীদের জন্য: PIN দিন</translation>
    </message>
    <message>
        <source>Digits entered</source>
        <translation>দেওয়া অঙ্কগুলো</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>সব মুছুন</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ঠিক আছে</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>বাতিল করুন</translation>
    </message>
    <message>
        <source>No staff PIN is set on this tablet yet.</source>
        <translation>এই ট্যাবলেটে এখনও কোনো কর্মী PIN সেট করা হয়নি।</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>এই PIN ঠিক নয়।</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>অনেকবার ভুল PIN দেওয়া হয়েছে। %1 সেকেন্ড পরে আবার চেষ্টা করুন।</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>PIN যাচাই করা যায়নি।</translation>
    </message>
</context>
<context>
    <name>PrivacyScreen</name>
    <message>
        <source>Make the words easier to read</source>
        <translation>লেখা পড়া সহজ করুন</translation>
    </message>
    <message>
        <source>Normal text</source>
        <translation>সাধারণ লেখা</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>বড় লেখা</translation>
    </message>
    <message>
        <source>Extra large text</source>
        <translation>আরও বড় লেখা</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>উচ্চ কনট্রাস্ট</translation>
    </message>
    <message>
        <source>Your answers are private</source>
        <translation>আপনার উত্তর গোপন থাকবে</translation>
    </message>
    <message>
        <source>We will ask about your visit and how you feel. We do not ask your name, and your answers are not linked to you. You can skip any question.</source>
        <translation>আমরা আপনার এই ভিজিট আর আপনি কেমন বোধ করছেন, সে বিষয়ে জিজ্ঞাসা করব। আমরা আপনার নাম জিজ্ঞাসা করি না, আর আপনার উত্তর আপনার সাথে যুক্ত করা হয় না। আপনি যেকোনো প্রশ্ন বাদ দিতে পারেন।</translation>
    </message>
    <message>
        <source>We will ask what matters to you, about things in your life that affect your health, and how you feel. Only the staff caring for you today will see your answers. You can skip any question.</source>
        <translation>আমরা জিজ্ঞাসা করব আপনার কাছে কী গুরুত্বপূর্ণ, আপনার জীবনের কোন বিষয়গুলো আপনার স্বাস্থ্যের উপর প্রভাব ফেলে, আর আপনি কেমন বোধ করছেন। শুধু আজ যে কর্মীরা আপনার যত্ন নিচ্ছেন, তাঁরাই আপনার উত্তর দেখবেন। আপনি যেকোনো প্রশ্ন বাদ দিতে পারেন।</translation>
    </message>
    <message>
        <source>Start the questions</source>
        <translation>প্রশ্ন শুরু করুন</translation>
    </message>
</context>
<context>
    <name>QuestionScreen</name>
    <message>
        <source>Question %1 of %2</source>
        <translation>%2টির মধ্যে প্রশ্ন %1</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>জোরে পড়ে শোনান</translation>
    </message>
    <message>
        <source>Reads the question and its answers out loud. Tap again to stop.</source>
        <translation>প্রশ্ন আর তার উত্তরগুলো জোরে পড়ে শোনায়। থামাতে আবার ছুঁয়ে দিন।</translation>
    </message>
    <message>
        <source>Problem with this answer</source>
        <translation>এই উত্তরে সমস্যা আছে</translation>
    </message>
    <message>
        <source>I don&apos;t want to answer</source>
        <translation>আমি উত্তর দিতে চাই না</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>পিছনে</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>পরের</translation>
    </message>
    <message>
        <source>Stop reading</source>
        <translation>পড়া থামান</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Check your answers</source>
        <translation>আপনার উত্তরগুলো দেখে নিন</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>উত্তর দেওয়া হয়নি</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>বদলান</translation>
    </message>
    <message>
        <source>Change this answer</source>
        <translation>এই উত্তরটি বদলান</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>আমার উত্তর পাঠান</translation>
    </message>
</context>
<context>
    <name>SeeReceptionScreen</name>
    <message>
        <source>Please see reception</source>
        <translation>অনুগ্রহ করে রিসেপশনে যান</translation>
    </message>
    <message>
        <source>We could not find your appointment on this tablet. The staff at reception will help you.</source>
        <translation>আমরা এই ট্যাবলেটে আপনার অ্যাপয়েন্টমেন্ট খুঁজে পাইনি। রিসেপশনের কর্মীরা আপনাকে সাহায্য করবেন।</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>শেষ করুন</translation>
    </message>
</context>
<context>
    <name>StaffMenu</name>
    <message>
        <source>Staff</source>
        <translation>কর্মী</translation>
    </message>
    <message>
        <source>Hand the tablet to a patient</source>
        <translation>ট্যাবলেটটি রোগীকে দিন</translation>
    </message>
    <message>
        <source>Complete with a patient</source>
        <translation>রোগীর সাথে পূরণ করুন</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>কিয়স্ক বন্ধ করুন</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>শুরুতে ফিরে যান</translation>
    </message>
</context>
<context>
    <name>TextInput</name>
    <message>
        <source>Your answer</source>
        <translation>আপনার উত্তর</translation>
    </message>
</context>
<context>
    <name>ThanksScreen</name>
    <message>
        <source>Thank you</source>
        <translation>ধন্যবাদ</translation>
    </message>
    <message>
        <source>A member of staff will talk to you today.</source>
        <translation>আজ একজন কর্মী আপনার সাথে কথা বলবেন।</translation>
    </message>
    <message>
        <source>The person you see today will look at your answers with you.</source>
        <translation>আজ আপনি যাঁর সাথে দেখা করবেন, তিনি আপনার সাথে আপনার উত্তরগুলো দেখবেন।</translation>
    </message>
    <message>
        <source>Please give the tablet back to reception.</source>
        <translation>অনুগ্রহ করে ট্যাবলেটটি রিসেপশনে ফেরত দিন।</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>শেষ করুন</translation>
    </message>
</context>
<context>
    <name>TimeoutScreen</name>
    <message>
        <source>Are you still there?</source>
        <translation>আপনি কি এখনও আছেন?</translation>
    </message>
    <message>
        <source>To keep your answers private, this will close soon. Tap &quot;I&apos;m still here&quot; to carry on.</source>
        <translation>আপনার উত্তর গোপন রাখতে এটি শীঘ্রই বন্ধ হয়ে যাবে। চালিয়ে যেতে “আমি এখনও আছি” ছুঁয়ে দিন।</translation>
    </message>
    <message>
        <source>I&apos;m still here</source>
        <translation>আমি এখনও আছি</translation>
    </message>
</context>
</TS>
