"""Every item type's answers: the canonical form, and each rejection's stable code."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from kiosk.engine import AnswerError, Form

from .conftest import FormWriter, scale_item

TODAY = dt.date(2024, 6, 15)

ALL_TYPES = (
    """\
items:
  - id: welcome
    type: info
    text: {en: Welcome}
  - id: colour
    type: single_choice
    text: {en: "Favourite colour?"}
    options:
      - {code: red, text: {en: Red}}
      - {code: blue, text: {en: Blue}}
  - id: colour_or_not
    type: single_choice
    prefer_not: true
    text: {en: "Favourite colour?"}
    options:
      - {code: red, text: {en: Red}}
      - {code: blue, text: {en: Blue}}
  - id: needs
    type: multi_choice
    text: {en: "What do you need?"}
    options:
      - {code: bsl, text: {en: BSL interpreter}}
      - {code: easy_read, text: {en: Easy read}}
      - {code: wheelchair, text: {en: Wheelchair access}}
      - {code: none, exclusive: true, text: {en: None of these}}
  - id: needs_or_not
    type: multi_choice
    prefer_not: true
    text: {en: "What do you need?"}
    options:
      - {code: bsl, text: {en: BSL interpreter}}
      - {code: easy_read, text: {en: Easy read}}
  - id: agree
    type: yes_no
    text: {en: "Agree?"}
"""
    + scale_item("pain", 0, 10)
    + scale_item("pain_or_not", 1, 5, "prefer_not: true\n")
    + """\
  - id: count
    type: integer
    text: {en: "How many?"}
    validation: {min: 0, max: 20}
  - id: anything
    type: integer
    text: {en: "Any number?"}
  - id: name
    type: short_text
    text: {en: "Name?"}
  - id: initials
    type: short_text
    text: {en: "Initials?"}
    validation: {max_length: 3, pattern: '[A-Z]+'}
  - id: story
    type: long_text
    text: {en: Tell us}
  - id: short_story
    type: long_text
    text: {en: Tell us briefly}
    validation: {max_length: 10}
  - id: any_date
    type: date
    text: {en: "Any date?"}
  - id: appointment
    type: date
    text: {en: "When was your last appointment?"}
    validation: {min: '2024-01-01', max: today}
  - id: next_visit
    type: date
    text: {en: "When is your next visit?"}
    validation: {min: today}
  - id: nhs
    type: nhs_number
    sensitive: true
    prefer_not: false
    text: {en: "NHS number?"}
  - id: postcode
    type: postcode
    sensitive: true
    text: {en: "Postcode?"}
"""
)


@pytest.fixture
def form(forms: FormWriter) -> Form:
    return forms.load(ALL_TYPES)


def normal(form: Form, item_id: str, raw: object) -> object:
    return form.normalise(item_id, raw, today=TODAY)


def rejected(form: Form, item_id: str, raw: object) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        form.normalise(item_id, raw, today=TODAY)
    error = caught.value
    assert error.item_id == item_id
    assert str(error).startswith(f"{item_id}: ")
    return error


# ---------------------------------------------------------------- any item


def test_none_is_unanswered_for_every_item(form: Form) -> None:
    for item_id in form.items:
        assert normal(form, item_id, None) is None


def test_unknown_item(form: Form) -> None:
    error = rejected(form, "favourite_food", "chips")
    assert error.code == "unknown_item"
    assert "is not an item of form 'test_form'" in error.message


def test_unknown_item_in_a_whole_response(form: Form) -> None:
    with pytest.raises(AnswerError) as caught:
        form.evaluate({"colour": "red", "favourite_food": "chips"}, today=TODAY)
    assert (caught.value.item_id, caught.value.code) == ("favourite_food", "unknown_item")


@pytest.mark.parametrize("raw", ["", "ok", 0, False, [], "prefer_not"])
def test_info_items_take_no_answer(form: Form, raw: object) -> None:
    assert rejected(form, "welcome", raw).code == "not_a_question"


# ---------------------------------------------------------------- choices


def test_single_choice(form: Form) -> None:
    assert normal(form, "colour", "red") == "red"
    assert rejected(form, "colour", "green").code == "not_an_option"
    assert rejected(form, "colour", "RED").code == "not_an_option"
    assert rejected(form, "colour", ["red"]).code == "not_an_option"
    assert rejected(form, "colour", 1).code == "not_an_option"
    assert (
        "'green' is not one of its options (red, blue)" in rejected(form, "colour", "green").message
    )


def test_yes_no(form: Form) -> None:
    assert normal(form, "agree", "yes") == "yes"
    assert normal(form, "agree", "no") == "no"
    assert normal(form, "agree", "prefer_not") == "prefer_not"  # always offered
    for raw in (True, False, "Yes", "y", 1):
        assert rejected(form, "agree", raw).code == "not_an_option"


def test_prefer_not_only_where_offered(form: Form) -> None:
    assert normal(form, "colour_or_not", "prefer_not") == "prefer_not"
    assert normal(form, "pain_or_not", "prefer_not") == "prefer_not"
    assert normal(form, "needs_or_not", "prefer_not") == "prefer_not"
    assert normal(form, "needs_or_not", ["prefer_not"]) == ["prefer_not"]
    assert rejected(form, "colour", "prefer_not").code == "not_an_option"
    assert rejected(form, "pain", "prefer_not").code == "not_a_number"
    assert rejected(form, "needs", ["prefer_not"]).code == "not_an_option"
    assert rejected(form, "count", "prefer_not").code == "not_a_number"
    assert rejected(form, "any_date", "prefer_not").code == "not_a_date"
    # Sensitive items offer it unless the form withdraws it.
    assert normal(form, "postcode", "prefer_not") == "prefer_not"
    assert rejected(form, "nhs", "prefer_not").code == "not_an_nhs_number"


def test_multi_choice(form: Form) -> None:
    assert normal(form, "needs", ["bsl"]) == ["bsl"]
    # kept in the order of the options, whatever order they arrive in
    assert normal(form, "needs", ["wheelchair", "bsl"]) == ["bsl", "wheelchair"]
    assert normal(form, "needs", ["none"]) == ["none"]
    assert normal(form, "needs", []) is None  # nothing chosen is unanswered


def test_multi_choice_rejections(form: Form) -> None:
    assert rejected(form, "needs", ["bsl", "ramp"]).code == "not_an_option"
    assert "'ramp' is not one of its options" in rejected(form, "needs", ["ramp"]).message
    assert rejected(form, "needs", ["bsl", "bsl"]).code == "repeated_option"
    error = rejected(form, "needs", ["bsl", "none"])
    assert error.code == "exclusive_option"
    assert "'none' cannot be chosen with other options" in error.message
    assert rejected(form, "needs_or_not", ["bsl", "prefer_not"]).code == "exclusive_option"
    assert rejected(form, "needs", "bsl").code == "not_a_list"
    assert rejected(form, "needs", ("bsl",)).code == "not_a_list"
    assert rejected(form, "needs", [1]).code == "not_a_list"
    assert rejected(form, "needs", {"bsl": True}).code == "not_a_list"


# ---------------------------------------------------------------- numbers


def test_scale(form: Form) -> None:
    assert normal(form, "pain", 0) == 0
    assert normal(form, "pain", 10) == 10
    assert normal(form, "pain", "7") == 7
    assert normal(form, "pain", 7.0) == 7
    assert type(normal(form, "pain", 7.0)) is int
    for raw in (-1, 11, "11", 1_000_000):
        error = rejected(form, "pain", raw)
        assert error.code == "out_of_range"
    assert "11 is outside its scale of 0 to 10" in rejected(form, "pain", 11).message
    assert normal(form, "pain_or_not", 1) == 1
    assert rejected(form, "pain_or_not", 0).code == "out_of_range"


@pytest.mark.parametrize(
    "raw", [True, False, 7.5, "7.5", "seven", "", [7], float("nan"), float("inf")]
)
def test_scale_takes_whole_numbers(form: Form, raw: object) -> None:
    assert rejected(form, "pain", raw).code == "not_a_number"


def test_integer(form: Form) -> None:
    assert normal(form, "count", 12) == 12
    assert normal(form, "count", "12") == 12
    assert normal(form, "count", " 12 ") == 12
    assert normal(form, "count", 0) == 0
    assert normal(form, "count", 20.0) == 20
    assert normal(form, "anything", -5) == -5
    assert normal(form, "anything", "-5") == -5
    assert normal(form, "anything", 999_999_999) == 999_999_999


def test_integer_rejections(form: Form) -> None:
    assert rejected(form, "count", True).code == "not_a_number"
    assert rejected(form, "count", False).code == "not_a_number"
    assert rejected(form, "count", "12.5").code == "not_a_number"
    assert rejected(form, "count", "1e3").code == "not_a_number"
    assert rejected(form, "count", "twelve").code == "not_a_number"
    below = rejected(form, "count", -1)
    assert (below.code, below.message) == ("out_of_range", "-1 is below the minimum of 0")
    above = rejected(form, "count", 21)
    assert (above.code, above.message) == ("out_of_range", "21 is above the maximum of 20")
    # huge numbers are refused whatever their form: text of more than 9 digits, or an int
    assert rejected(form, "anything", "1234567890").code == "not_a_number"
    assert rejected(form, "anything", 10**400).code == "out_of_range"
    assert rejected(form, "anything", -(10**10)).code == "out_of_range"


# ---------------------------------------------------------------- text


def test_short_text_tidies_spaces(form: Form) -> None:
    assert normal(form, "name", "  Ann   Smith \n") == "Ann Smith"
    assert normal(form, "name", "Ann\tSmith") == "Ann Smith"


def test_long_text_keeps_lines(form: Form) -> None:
    assert normal(form, "story", "  Line one\n\nLine two\twith a tab  ") == (
        "Line one\n\nLine two\twith a tab"
    )
    assert normal(form, "story", "Windows\r\nline ends\r\n") == "Windows\nline ends"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t \n", "\x00\x07", "\u2028\ufeff"])
def test_whitespace_only_is_unanswered(form: Form, raw: str) -> None:
    assert normal(form, "name", raw) is None
    assert normal(form, "story", raw) is None


def test_control_characters_are_removed(form: Form) -> None:
    assert normal(form, "story", "be\x00ll\x07 \x1b[31mred\x7f\x85\u2029") == "bell [31mred"
    assert normal(form, "name", "Ann\x00 Smith\ufeff") == "Ann Smith"


def test_text_is_nfc_normalised(form: Form) -> None:
    decomposed = "Zoe\u0308 Cafe\u0301"
    assert normal(form, "name", decomposed) == "Zoë Café"
    assert normal(form, "name", decomposed) == unicodedata.normalize("NFC", decomposed)
    # a control character between a letter and its accent does not stop them combining
    assert normal(form, "story", "Cafe\x00\u0301") == "Café"


@pytest.mark.control("H-21-C2")
@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        "Robert'); DROP TABLE patients;--",
        "' OR '1'='1",
        "{{7*7}} ${jndi:ldap://x} %s %n",
        '=HYPERLINK("http://x","click")',
        "../../etc/passwd",
        "😀 مرحبا שלום 中文",
    ],
)
def test_hostile_text_is_kept_verbatim_as_text(form: Form, hostile: str) -> None:
    assert normal(form, "story", hostile) == hostile
    assert normal(form, "name", hostile) == hostile
    result = form.evaluate({"story": hostile}, today=TODAY)
    assert result.answers["story"] == hostile


def test_text_max_length(form: Form) -> None:
    assert normal(form, "short_story", "x" * 10) == "x" * 10
    assert normal(form, "short_story", "  " + "x" * 10 + "  ") == "x" * 10  # after stripping
    error = rejected(form, "short_story", "x" * 11)
    assert error.code == "too_long"
    assert error.message == "is 11 characters long; the most allowed is 10"
    # defaults: 200 for short text, 2000 for long text
    assert normal(form, "name", "x" * 200) == "x" * 200
    assert rejected(form, "name", "x" * 201).code == "too_long"
    assert normal(form, "story", "x" * 2000) == "x" * 2000
    assert rejected(form, "story", "x" * 2001).code == "too_long"


def test_text_pattern(form: Form) -> None:
    assert normal(form, "initials", "AB") == "AB"
    assert rejected(form, "initials", "ab").code == "pattern"
    assert rejected(form, "initials", "AB1").code == "pattern"  # the whole answer must match
    assert rejected(form, "initials", "ABCD").code == "too_long"


@pytest.mark.parametrize("raw", [12, 1.5, ["a"], {"a": 1}, b"bytes", True])
def test_text_takes_text(form: Form, raw: object) -> None:
    assert rejected(form, "story", raw).code == "not_text"


# ---------------------------------------------------------------- dates


def test_dates(form: Form) -> None:
    assert normal(form, "any_date", "2023-02-28") == "2023-02-28"
    assert normal(form, "any_date", " 2024-02-29 ") == "2024-02-29"  # a leap day
    assert normal(form, "any_date", dt.date(2020, 1, 31)) == "2020-01-31"


@pytest.mark.parametrize(
    "raw", ["2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10", "0000-01-01"]
)
def test_dates_that_do_not_exist(form: Form, raw: str) -> None:
    error = rejected(form, "any_date", raw)
    assert error.code == "not_a_date"
    assert "is not a real date" in error.message


@pytest.mark.parametrize(
    "raw", ["30/02/2023", "2023-2-3", "20230203", "today", "", 20230203, ["2023-01-01"]]
)
def test_dates_in_the_wrong_format(form: Form, raw: object) -> None:
    error = rejected(form, "any_date", raw)
    assert error.code == "not_a_date"
    assert "takes a date as YYYY-MM-DD" in error.message


def test_date_bounds(form: Form) -> None:
    assert normal(form, "appointment", "2024-01-01") == "2024-01-01"  # min is inclusive
    assert normal(form, "appointment", TODAY.isoformat()) == TODAY.isoformat()  # max: today
    early = rejected(form, "appointment", "2023-12-31")
    assert (early.code, early.message) == ("out_of_range", "2023-12-31 is before 2024-01-01")
    late = rejected(form, "appointment", "2024-06-16")
    assert (late.code, late.message) == ("out_of_range", "2024-06-16 is after 2024-06-15")
    assert normal(form, "next_visit", "2030-01-01") == "2030-01-01"
    assert rejected(form, "next_visit", "2024-06-14").code == "out_of_range"


def test_today_defaults_to_the_real_date(form: Form) -> None:
    today = dt.date.today()
    assert form.normalise("appointment", today.isoformat()) == today.isoformat()
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(AnswerError):
        form.normalise("appointment", tomorrow.isoformat())


# ---------------------------------------------------------------- NHS number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4698194180", "4698194180"),
        ("9434765919", "9434765919"),
        ("469 819 4180", "4698194180"),
        ("943-476-5919", "9434765919"),
        (" 943 476 5919 ", "9434765919"),
        (4698194180, "4698194180"),
    ],
)
def test_nhs_number(form: Form, raw: object, expected: str) -> None:
    assert normal(form, "nhs", raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "4000000001",  # wrong check digit
        "4698194181",
        "469819418",  # nine digits
        "46981941800",  # eleven digits
        "469819418O",  # a letter O
        "ABCDEFGHIJ",
        "",
        True,
        4698194180.0,
        ["4698194180"],
    ],
)
def test_invalid_nhs_numbers(form: Form, raw: object) -> None:
    assert rejected(form, "nhs", raw).code == "not_an_nhs_number"


# ---------------------------------------------------------------- postcode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        (" e1  6an ", "E1 6AN"),
        ("m1 1ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_postcode(form: Form, raw: str, expected: str) -> None:
    assert normal(form, "postcode", raw) == expected


@pytest.mark.parametrize(
    "raw", ["QQ1 1AA", "not a postcode", "SW1A", "SW1A 1A", "12345", "SW1A 1AAA", "", "V1 1AA"]
)
def test_invalid_postcodes(form: Form, raw: str) -> None:
    error = rejected(form, "postcode", raw)
    assert error.code == "not_a_postcode"


def test_postcode_must_be_text(form: Form) -> None:
    assert rejected(form, "postcode", 12345).code == "not_a_postcode"


# ---------------------------------------------------------------- whole responses


def test_evaluate_returns_canonical_answers(form: Form) -> None:
    result = form.evaluate(
        {
            "colour": "blue",
            "needs": ["wheelchair", "bsl"],
            "pain": "3",
            "name": "  Ann  ",
            "nhs": "469 819 4180",
            "postcode": "sw1a1aa",
            "any_date": dt.date(2024, 1, 2),
            "story": "   ",
        },
        today=TODAY,
    )
    assert dict(result.answers) == {
        "colour": "blue",
        "needs": ["bsl", "wheelchair"],
        "pain": 3,
        "name": "Ann",
        "nhs": "4698194180",
        "postcode": "SW1A 1AA",
        "any_date": "2024-01-02",
    }
