"""The fixed words of the patient's take-away sheet, in each language we have.

English is the source, written for the product in plain English (reading age
about 9) from the NHS "It's okay to ask" prompts. Every other language is a
**draft** until a qualified translator has checked it against the English and
its status here is changed to "validated". A language that is not here, or a
key a language lacks, falls back to English; the patient's own words are
always printed as they typed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Status = Literal["source", "draft", "validated"]
Direction = Literal["ltr", "rtl"]

KEYS = (
    "title",
    "intro",
    "h_my_words",
    "q_main_concern",
    "q_hope_to_achieve",
    "q_why_important",
    "q_own_question",
    "no_answers",
    "h_questions",
    "questions_intro",
    "ask_options",
    "ask_benefits_risks",
    "ask_what_next",
    "ask_who_to_contact",
    "ask_more_information",
    "chosen",
    "h_after",
    "after_change_mind",
    "after_ask_more",
    "after_explain",
    "h_notes",
    "footer",
)

# The NHS "It's okay to ask" questions, in the order the sheet lists them.
ASK_KEYS = (
    "ask_options",
    "ask_benefits_risks",
    "ask_what_next",
    "ask_who_to_contact",
    "ask_more_information",
)


@dataclass(frozen=True)
class SheetLanguage:
    code: str
    name: str  # in English, for staff
    direction: Direction
    status: Status
    text: MappingProxyType[str, str]


def _language(
    code: str, name: str, direction: Direction, status: Status, text: dict[str, str]
) -> SheetLanguage:
    unknown = set(text) - set(KEYS)
    if unknown:
        raise ValueError(f"sheet text for {code} has unknown keys: {sorted(unknown)}")
    return SheetLanguage(code, name, direction, status, MappingProxyType(text))


ENGLISH = _language(
    "en",
    "English",
    "ltr",
    "source",
    {
        "title": "What matters to me",
        "intro": (
            "You answered these questions before your appointment. This sheet is for you to keep."
        ),
        "h_my_words": "What I said",
        "q_main_concern": "My main worry or problem",
        "q_hope_to_achieve": "What I would like from my appointment",
        "q_why_important": "Why this matters to me",
        "q_own_question": "My own question",
        "no_answers": (
            "You did not write any answers today. You can still use the questions below."
        ),
        "h_questions": "Questions to ask",
        "questions_intro": (
            "By the end of your appointment, you should know the answers to these questions."
        ),
        "ask_options": "What are my options?",
        "ask_benefits_risks": "What are the benefits and risks of each option for me?",
        "ask_what_next": "What happens next?",
        "ask_who_to_contact": "Who do I contact if I have questions after I leave?",
        "ask_more_information": "Where can I go to get more information?",
        "chosen": "You wanted to ask this.",
        "h_after": "After your appointment",
        "after_change_mind": "It's okay to change your mind.",
        "after_ask_more": "It's okay to go back and ask more.",
        "after_explain": (
            "You can ask the professional to explain things differently, again, "
            "or to write information down."
        ),
        "h_notes": "Notes",
        "footer": "It's okay to ask.",
    },
)

WELSH = _language(
    "cy",
    "Welsh",
    "ltr",
    "draft",
    {
        "title": "Beth sy'n bwysig i mi",
        "intro": (
            "Fe wnaethoch chi ateb y cwestiynau hyn cyn eich apwyntiad. "
            "Mae'r daflen hon i chi ei chadw."
        ),
        "h_my_words": "Beth ddywedais i",
        "q_main_concern": "Fy mhrif bryder neu broblem",
        "q_hope_to_achieve": "Beth hoffwn i ei gael o fy apwyntiad",
        "q_why_important": "Pam mae hyn yn bwysig i mi",
        "q_own_question": "Fy nghwestiwn fy hun",
        "no_answers": (
            "Wnaethoch chi ddim ysgrifennu atebion heddiw. "
            "Gallwch chi ddefnyddio'r cwestiynau isod o hyd."
        ),
        "h_questions": "Cwestiynau i'w gofyn",
        "questions_intro": (
            "Erbyn diwedd eich apwyntiad, dylech chi wybod yr atebion i'r cwestiynau hyn."
        ),
        "ask_options": "Beth yw fy opsiynau?",
        "ask_benefits_risks": "Beth yw manteision a risgiau pob opsiwn i mi?",
        "ask_what_next": "Beth sy'n digwydd nesaf?",
        "ask_who_to_contact": "Â phwy ddylwn i gysylltu os oes gen i gwestiynau ar ôl gadael?",
        "ask_more_information": "Ble galla i gael rhagor o wybodaeth?",
        "chosen": "Roeddech chi eisiau gofyn hyn.",
        "h_after": "Ar ôl eich apwyntiad",
        "after_change_mind": "Mae'n iawn newid eich meddwl.",
        "after_ask_more": "Mae'n iawn mynd yn ôl a gofyn mwy.",
        "after_explain": (
            "Gallwch chi ofyn i'r gweithiwr proffesiynol esbonio pethau mewn ffordd wahanol, "
            "eto, neu ysgrifennu'r wybodaeth i lawr."
        ),
        "h_notes": "Nodiadau",
        "footer": "Mae'n iawn gofyn.",
    },
)

POLISH = _language(
    "pl",
    "Polish",
    "ltr",
    "draft",
    {
        "title": "Co jest dla mnie ważne",
        "intro": "Te odpowiedzi zostały podane przed wizytą. Zachowaj tę kartkę dla siebie.",
        "h_my_words": "Moje odpowiedzi",
        "q_main_concern": "Mój główny problem lub zmartwienie",
        "q_hope_to_achieve": "Czego oczekuję od tej wizyty",
        "q_why_important": "Dlaczego to jest dla mnie ważne",
        "q_own_question": "Moje własne pytanie",
        "no_answers": (
            "Dzisiaj nie wpisano żadnych odpowiedzi. Nadal możesz skorzystać z pytań poniżej."
        ),
        "h_questions": "Pytania, które warto zadać",
        "questions_intro": "Pod koniec wizyty warto znać odpowiedzi na te pytania.",
        "ask_options": "Jakie mam możliwości?",
        "ask_benefits_risks": "Jakie są korzyści i zagrożenia każdej z tych możliwości dla mnie?",
        "ask_what_next": "Co będzie dalej?",
        "ask_who_to_contact": "Z kim mogę się skontaktować, jeśli po wyjściu będę mieć pytania?",
        "ask_more_information": "Gdzie mogę znaleźć więcej informacji?",
        "chosen": "To pytanie zostało zaznaczone.",
        "h_after": "Po wizycie",
        "after_change_mind": "Możesz zmienić zdanie.",
        "after_ask_more": "Możesz wrócić i zadać więcej pytań.",
        "after_explain": (
            "Możesz poprosić specjalistę, aby wyjaśnił coś inaczej albo jeszcze raz, "
            "lub żeby zapisał informacje."
        ),
        "h_notes": "Notatki",
        "footer": "Możesz pytać.",
    },
)

URDU = _language(
    "ur",
    "Urdu",
    "rtl",
    "draft",
    {
        "title": "میرے لیے کیا اہم ہے",
        "intro": (
            "آپ نے اپنی ملاقات سے پہلے ان سوالوں کے جواب دیے۔ یہ کاغذ آپ کے رکھنے کے لیے ہے۔"
        ),
        "h_my_words": "میں نے کیا کہا",
        "q_main_concern": "میری سب سے بڑی فکر یا مسئلہ",
        "q_hope_to_achieve": "مجھے اپنی ملاقات سے کیا چاہیے",
        "q_why_important": "یہ میرے لیے کیوں اہم ہے",
        "q_own_question": "میرا اپنا سوال",
        "no_answers": (
            "آپ نے آج کوئی جواب نہیں لکھا۔ آپ پھر بھی نیچے دیے گئے سوال استعمال کر سکتے ہیں۔"
        ),
        "h_questions": "پوچھنے کے لیے سوال",
        "questions_intro": "ملاقات کے آخر تک آپ کو ان سوالوں کے جواب معلوم ہونے چاہئیں۔",
        "ask_options": "میرے پاس کیا اختیارات ہیں؟",
        "ask_benefits_risks": "میرے لیے ہر اختیار کے فائدے اور خطرے کیا ہیں؟",
        "ask_what_next": "آگے کیا ہوگا؟",
        "ask_who_to_contact": "یہاں سے جانے کے بعد اگر میرے کوئی سوال ہوں تو میں کس سے رابطہ کروں؟",
        "ask_more_information": "مجھے مزید معلومات کہاں سے مل سکتی ہیں؟",
        "chosen": "آپ یہ پوچھنا چاہتے تھے۔",
        "h_after": "ملاقات کے بعد",
        "after_change_mind": "اپنا ارادہ بدلنا ٹھیک ہے۔",
        "after_ask_more": "واپس جا کر مزید پوچھنا ٹھیک ہے۔",
        "after_explain": (
            "آپ ماہر سے کہہ سکتے ہیں کہ وہ باتیں کسی اور طریقے سے یا دوبارہ سمجھائیں، "
            "یا معلومات لکھ کر دیں۔"
        ),
        "h_notes": "نوٹس",
        "footer": "پوچھنا ٹھیک ہے۔",
    },
)

BENGALI = _language(
    "bn",
    "Bengali",
    "ltr",
    "draft",
    {
        "title": "আমার কাছে কী গুরুত্বপূর্ণ",
        "intro": ("অ্যাপয়েন্টমেন্টের আগে আপনি এই প্রশ্নগুলোর উত্তর দিয়েছেন। এই কাগজটি আপনার কাছে রাখার জন্য।"),
        "h_my_words": "আমি যা বলেছি",
        "q_main_concern": "আমার প্রধান চিন্তা বা সমস্যা",
        "q_hope_to_achieve": "অ্যাপয়েন্টমেন্ট থেকে আমি কী চাই",
        "q_why_important": "এটা আমার কাছে কেন গুরুত্বপূর্ণ",
        "q_own_question": "আমার নিজের প্রশ্ন",
        "no_answers": ("আজ আপনি কোনো উত্তর লেখেননি। তবুও নিচের প্রশ্নগুলো ব্যবহার করতে পারেন।"),
        "h_questions": "যে প্রশ্নগুলো করতে পারেন",
        "questions_intro": "অ্যাপয়েন্টমেন্টের শেষে আপনার এই প্রশ্নগুলোর উত্তর জানা উচিত।",
        "ask_options": "আমার কী কী বিকল্প আছে?",
        "ask_benefits_risks": "আমার জন্য প্রতিটি বিকল্পের সুবিধা ও ঝুঁকি কী?",
        "ask_what_next": "এরপর কী হবে?",
        "ask_who_to_contact": "চলে যাওয়ার পরে প্রশ্ন থাকলে আমি কার সাথে যোগাযোগ করব?",
        "ask_more_information": "আরও তথ্য কোথায় পেতে পারি?",
        "chosen": "আপনি এটা জিজ্ঞেস করতে চেয়েছিলেন।",
        "h_after": "অ্যাপয়েন্টমেন্টের পরে",
        "after_change_mind": "মত বদলানো ঠিক আছে।",
        "after_ask_more": "আবার গিয়ে আরও জিজ্ঞেস করা ঠিক আছে।",
        "after_explain": (
            "আপনি পেশাদার ব্যক্তিকে অন্যভাবে বা আবার বুঝিয়ে বলতে, অথবা তথ্য লিখে দিতে বলতে পারেন।"
        ),
        "h_notes": "নোট",
        "footer": "প্রশ্ন করা ঠিক আছে।",
    },
)

ARABIC = _language(
    "ar",
    "Arabic",
    "rtl",
    "draft",
    {
        "title": "ما هو مهم بالنسبة لي",
        "intro": "أجبت عن هذه الأسئلة قبل موعدك. هذه الورقة لك لتحتفظ بها.",
        "h_my_words": "ما قلته",
        "q_main_concern": "أكبر همّ أو مشكلة عندي",
        "q_hope_to_achieve": "ما أريده من موعدي",
        "q_why_important": "لماذا هذا مهم بالنسبة لي",
        "q_own_question": "سؤالي الخاص",
        "no_answers": "لم تكتب أي إجابات اليوم. لا يزال بإمكانك استخدام الأسئلة أدناه.",
        "h_questions": "أسئلة يمكنك طرحها",
        "questions_intro": "في نهاية موعدك، يجب أن تعرف إجابات هذه الأسئلة.",
        "ask_options": "ما هي الخيارات المتاحة لي؟",
        "ask_benefits_risks": "ما هي فوائد ومخاطر كل خيار بالنسبة لي؟",
        "ask_what_next": "ماذا سيحدث بعد ذلك؟",
        "ask_who_to_contact": "بمن أتصل إذا كانت لدي أسئلة بعد أن أغادر؟",
        "ask_more_information": "أين يمكنني الحصول على مزيد من المعلومات؟",
        "chosen": "أردت أن تسأل هذا.",
        "h_after": "بعد موعدك",
        "after_change_mind": "لا بأس أن تغيّر رأيك.",
        "after_ask_more": "لا بأس أن تعود وتسأل المزيد.",
        "after_explain": (
            "يمكنك أن تطلب من المختص أن يشرح الأمور بطريقة مختلفة أو مرة أخرى، "
            "أو أن يكتب المعلومات لك."
        ),
        "h_notes": "ملاحظات",
        "footer": "لا بأس أن تسأل.",
    },
)

CATALOGUE: MappingProxyType[str, SheetLanguage] = MappingProxyType(
    {lang.code: lang for lang in (ENGLISH, WELSH, POLISH, URDU, BENGALI, ARABIC)}
)


def sheet_language(code: str | None) -> SheetLanguage:
    """The sheet text for a language code ("ur", "pl", "en-GB"); English when we have none."""
    if not code:
        return ENGLISH
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return CATALOGUE.get(base, ENGLISH)


def text(language: SheetLanguage, key: str) -> tuple[str, SheetLanguage]:
    """A key's words and the language they are in (English where the language lacks it)."""
    if key in language.text:
        return language.text[key], language
    return ENGLISH.text[key], ENGLISH
