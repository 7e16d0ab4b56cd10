"""The `kiosk forms` commands, end to end, as other tools call them: as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p.stem for p in (ROOT / "forms").glob("*.yaml") if p.stem != "pathways")


@pytest.fixture
def kiosk(tmp_path: Path):
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data")}
    env.pop("KIOSK_SITE_FORMS_DIR", None)
    env.pop("KIOSK_FORMS_DIR", None)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=tmp_path,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    return run


def write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- check


@pytest.mark.control("H-01-C2")
def test_every_shipped_form_passes_check(kiosk) -> None:
    result = kiosk("forms", "check")
    assert result.returncode == 0, result.stdout
    assert f"ok: {len(SHIPPED)} forms and 1 pathway files checked" in result.stdout


BROKEN = """\
format: 1
id: broken
version: "1.0"
title: {en: Broken}
source: {name: test}
licence: {name: test}
languages: {en: validated}
items:
  - id: first
    type: yes_no
    text: {en: "First?"}
  - id: second
    type: yes_no
    text: {en: "Second?"}
    enable_when: first = 'maybe'
  - id: third
    type: sliding_scale
    text: {en: "Third?"}
"""


def test_check_reports_each_problem_as_path_line_message(kiosk, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = kiosk("forms", "check", "broken.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "broken.yaml:17: items[third].type: unknown item type 'sliding_scale' (known: info, "
        "single_choice, multi_choice, yes_no, scale, integer, short_text, long_text, date, "
        "nhs_number, postcode)"
    ]
    # Once the shape is right, the reference problem is reported at its own line.
    fixed = BROKEN.replace("sliding_scale", "yes_no")
    (tmp_path / "broken.yaml").write_text(fixed, encoding="utf-8")
    result = kiosk("forms", "check", "broken.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "broken.yaml:15: enable_when: 'maybe' is not an option of 'first' "
        "(options: yes, no, prefer_not)"
    ]


def test_check_reports_yaml_syntax_errors_and_missing_files(kiosk, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: x\nitems: [\n  - a\n", encoding="utf-8")
    result = kiosk("forms", "check", "bad.yaml", "nowhere.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("bad.yaml:") and "YAML syntax error" in lines[0]
    assert lines[1] == "nowhere.yaml:1: no such file or folder"


def test_check_finds_a_pathway_naming_an_unknown_form(kiosk, tmp_path: Path) -> None:
    (tmp_path / "pathways.yaml").write_text(
        "pathways:\n  - id: renal\n    title: Renal\n    forms: [ons4, no_such_form]\n",
        encoding="utf-8",
    )
    result = kiosk("forms", "check", "pathways.yaml")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "pathways.yaml:4: pathway 'renal' names form 'no_such_form', which is not loaded"
    ]


# ---------------------------------------------------------------- score


def test_score_prints_the_documented_json(kiosk, tmp_path: Path) -> None:
    answers = write(
        tmp_path / "a.json", {"ends_meet": "yes", "feel_unsafe": "yes", "wants_help": "yes"}
    )
    result = kiosk("forms", "score", "social_welfare", "--answers", answers)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"form", "version", "hash", "scores", "bands", "flags", "enabled"}
    assert out["form"] == "social_welfare"
    assert out["hash"].startswith("sha256:")
    assert out["scores"] == {"screen_positive": 1}
    assert [(f["id"], f["severity"]) for f in out["flags"]] == [
        ("feel_unsafe", "urgent"),
        ("wants_help", "high"),
        ("ends_meet", "routine"),
    ]
    assert all(f["reason"] for f in out["flags"])
    assert out["enabled"][-1] == "wants_help"


def test_score_reads_standard_input_and_bands(kiosk) -> None:
    stdin = json.dumps({"life_satisfaction": 4, "worthwhile": 9, "happiness": 7, "anxiety": 6})
    result = kiosk("forms", "score", "ons4", "--answers", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["bands"] == {
        "life_satisfaction": "low",
        "worthwhile": "very_high",
        "happiness": "high",
        "anxiety": "high",
    }
    assert {f["id"] for f in out["flags"]} == {"high_anxiety", "low_life_satisfaction"}


@pytest.mark.parametrize(
    ("form", "answers", "names"),
    [
        ("social_welfare", {"no_such_item": "yes"}, "no_such_item"),
        ("social_welfare", {"ends_meet": "maybe"}, "ends_meet"),
        ("ons4", {"anxiety": 11}, "anxiety"),
        ("ons4", {"happiness": "very"}, "happiness"),
        ("social_welfare", {"ends_meet": "no", "wants_help": "yes"}, "wants_help"),
    ],
    ids=["unknown item", "not an option", "out of range", "not a number", "disabled item"],
)
def test_an_answer_the_form_does_not_allow_exits_2_naming_the_item(
    kiosk, tmp_path: Path, form: str, answers: dict, names: str
) -> None:
    result = kiosk("forms", "score", form, "--answers", write(tmp_path / "a.json", answers))
    assert result.returncode == 2
    assert names in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["no_such_form", "--answers", "-"], "{}", "no form with id 'no_such_form'"),
        (["ons4", "--answers", "-"], "{not json", "is not valid JSON"),
        (["ons4", "--answers", "-"], "[1, 2]", "must hold a JSON object"),
        (["ons4", "--answers", "missing.json"], "", "cannot read answers file"),
    ],
)
def test_score_input_problems_are_one_plain_line(kiosk, args, stdin, message) -> None:
    result = kiosk("forms", "score", *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr


# ---------------------------------------------------------------- list, enable


def test_list_shows_every_form_and_licence_status(kiosk) -> None:
    result = kiosk("forms", "list")
    assert result.returncode == 0
    for form_id in SHIPPED:
        assert form_id in result.stdout
    rows = {r["id"]: r for r in json.loads(kiosk("forms", "list", "--json").stdout)}
    assert rows["ons4"]["enabled"] is True
    assert "Open Government Licence" in rows["ons4"]["licence"]
    assert rows["mycaw"]["enabled"] is False
    assert rows["mycaw"]["licence"].startswith("disabled: needs a site licence")
    assert rows["ons4"]["languages"] == {
        "en": "validated",
        **dict.fromkeys(("cy", "pl", "ur", "bn", "ar"), "draft"),
    }


@pytest.mark.control("H-18-C1")
def test_mycaw_is_enabled_only_with_a_licence_reference(kiosk) -> None:
    assert kiosk("forms", "enable", "mycaw").returncode == 2  # --licence is required
    result = kiosk("forms", "enable", "mycaw", "--licence", "MM-0042")
    assert result.returncode == 0
    rows = {r["id"]: r for r in json.loads(kiosk("forms", "list", "--json").stdout)}
    assert rows["mycaw"] == {**rows["mycaw"], "enabled": True, "licence": "licensed: MM-0042"}
    # The follow-up form is part of the same licensed instrument.
    assert rows["mycaw_followup"]["enabled"] is True
    assert "mycaw, mycaw_followup enabled under site licence MM-0042" in result.stdout
    assert kiosk("forms", "disable", "mycaw").returncode == 0
    rows = {r["id"]: r for r in json.loads(kiosk("forms", "list", "--json").stdout)}
    assert rows["mycaw"]["enabled"] is False


def test_enable_unknown_form_is_an_error(kiosk) -> None:
    result = kiosk("forms", "enable", "nope", "--licence", "X")
    assert result.returncode == 2
    assert "no form with id 'nope'" in result.stderr


# ---------------------------------------------------------------- try, schema


def test_try_walks_a_pathway_with_skip_logic(kiosk) -> None:
    # what_matters: press Enter through everything; social_welfare: 1 = Yes to the first
    # question, then Enter (skip) to the rest, then 1 = Yes to "want to talk to someone".
    lines = ["" for _ in range(40)]
    result = kiosk("forms", "try", "cardiology", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stdout
    assert "Do you want to talk to someone who may be able to help?" not in result.stdout
    assert "no flags" in result.stdout


def test_try_raises_a_flag_from_typed_answers(kiosk) -> None:
    result = kiosk("forms", "try", "survey", stdin="1\n" + "\n" * 5 + "1\n" + "\n" * 40)
    assert result.returncode == 0, result.stdout
    assert "Do you want to talk to someone who may be able to help?" in result.stdout
    assert "FLAG [HIGH] wants_help" in result.stdout
    assert "FLAG [ROUTINE] ends_meet" in result.stdout


def test_schema_is_json_schema(kiosk) -> None:
    schema = json.loads(kiosk("forms", "schema").stdout)
    assert schema["title"] == "FormSpec"
    assert "items" in schema["properties"]
