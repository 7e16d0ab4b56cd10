"""A site's own licensed PAM-13-style form, supported without shipping any PAM text.

PAM-13 is proprietary: the product ships neither its statements nor its
conversion table. A site that holds a licence writes its own form and CSV table
into a folder of its own. This test builds a *synthetic* stand-in (placeholder
statements, an invented conversion table) with the published level bounds, and
checks the engine loads, guards and scores it, levels included, at the edges.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.engine import Form, FormError, FormLibrary, LicenceRequiredError, load_form
from tests.conftest import skip_or_fail

from .conftest import SHIPPED_FORMS

ITEMS = [f"statement_{n}" for n in range(1, 14)]

# Raw sums run 13 (all 1s) to 52 (all 4s). An invented, roughly linear table,
# with some raw scores pinned to values on and around the level edges.
EDGES = {29: 47.0, 30: 47.05, 31: 47.1, 35: 55.1, 36: 55.2, 42: 72.4, 43: 72.45, 44: 72.5}
CONVERSION = {raw: EDGES.get(raw, round((raw - 13) * 100 / 39, 1)) for raw in range(13, 53)}
EXPECTED_LEVEL = {29: 1, 30: 2, 31: 2, 35: 2, 36: 3, 42: 3, 43: 4, 44: 4, 13: 1, 52: 4}


def synthetic_pam_form() -> str:
    items = "".join(
        f"""\
  - id: {item}
    type: scale
    min: 1
    max: 4
    anchors:
      - {{value: 1, text: {{en: Disagree strongly}}}}
      - {{value: 4, text: {{en: Agree strongly}}}}
    text:
      en: Synthetic statement {n}
"""
        for n, item in enumerate(ITEMS, start=1)
    )
    return f"""\
# A synthetic stand-in for a site's licensed PAM-13 form: no licensed text.
format: 1
id: pam13
version: "1.0"
title: {{en: Synthetic activation measure}}
source:
  name: Synthetic test instrument
licence:
  name: Synthetic site licence (test only)
  site_licence_required: true
  proprietary: true
languages: {{en: validated}}
items:
{items}scores:
  - id: pam_raw
    kind: sum
    items: [{", ".join(ITEMS)}]
    min_answered: 10
  - id: pam_score
    kind: lookup
    of: pam_raw
    table_file: pam13-conversion.csv
  - id: pam_level
    kind: levels
    of: pam_score
    level_step: 0.1
    levels:
      - {{level: 1, min: 0, max: 47.0}}
      - {{level: 2, min: 47.1, max: 55.1}}
      - {{level: 3, min: 55.2, max: 72.4}}
      - {{level: 4, min: 72.5, max: 100}}
"""


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    site = tmp_path / "site_forms"
    site.mkdir()
    (site / "pam13.yaml").write_text(synthetic_pam_form(), encoding="utf-8")
    table = "raw,converted\n# synthetic conversion table written by the test\n" + "".join(
        f"{raw},{value}\n" for raw, value in CONVERSION.items()
    )
    (site / "pam13-conversion.csv").write_text(table, encoding="utf-8")
    return site


@pytest.fixture
def pam(site_dir: Path) -> Form:
    return load_form(site_dir / "pam13.yaml")


def answers_summing_to(raw: int, answered: int = 13) -> dict[str, int]:
    """Answers to the first ``answered`` statements (each 1-4) that add up to ``raw``."""
    assert answered <= raw <= 4 * answered
    values = [1] * answered
    extra = raw - answered
    for index in range(answered):
        step = min(3, extra)
        values[index] += step
        extra -= step
    return dict(zip(ITEMS, values, strict=False))


def test_the_synthetic_form_loads_and_needs_a_site_licence(pam: Form) -> None:
    assert pam.id == "pam13"
    assert pam.needs_site_licence
    assert pam.spec.licence.proprietary
    assert len(pam.items) == 13
    assert all(item.text["en"].startswith("Synthetic statement") for item in pam.spec.items)


@pytest.mark.parametrize("raw", sorted(EXPECTED_LEVEL))
def test_levels_at_the_edges(pam: Form, raw: int) -> None:
    scores = pam.evaluate(answers_summing_to(raw)).scores
    assert scores["pam_raw"] == raw
    assert scores["pam_score"] == CONVERSION[raw]
    assert scores["pam_level"] == EXPECTED_LEVEL[raw]


def test_every_raw_score_has_a_level(pam: Form) -> None:
    for raw in range(13, 53):
        scores = pam.evaluate(answers_summing_to(raw)).scores
        assert scores["pam_level"] in (1, 2, 3, 4), (raw, scores)


def test_too_few_answers_are_not_scored(pam: Form) -> None:
    ten = pam.evaluate(answers_summing_to(30, answered=10)).scores
    assert ten["pam_raw"] == 30  # ten answered statements are enough
    nine = pam.evaluate(answers_summing_to(30, answered=9)).scores
    assert nine == {"pam_raw": None, "pam_score": None, "pam_level": None}


@pytest.mark.control("H-18-C3")
def test_a_raw_sum_missing_from_the_table_is_not_scored(site_dir: Path) -> None:
    table = site_dir / "pam13-conversion.csv"
    table.write_text(
        "".join(f"{raw},{value}\n" for raw, value in CONVERSION.items() if raw != 30),
        encoding="utf-8",
    )
    form = load_form(site_dir / "pam13.yaml")
    scores = form.evaluate(answers_summing_to(30)).scores
    assert scores == {"pam_raw": 30, "pam_score": None, "pam_level": None}


@pytest.mark.control("H-18-C3")
def test_the_conversion_table_must_be_there(site_dir: Path) -> None:
    (site_dir / "pam13-conversion.csv").unlink()
    with pytest.raises(FormError) as caught:
        load_form(site_dir / "pam13.yaml")
    [problem] = caught.value.problems
    assert "pam13-conversion.csv" in problem.message
    text = (site_dir / "pam13.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.line == 1 + next(i for i, line in enumerate(text) if "table_file:" in line)


def test_loaded_beside_the_shipped_forms(site_dir: Path) -> None:
    library = FormLibrary.load(SHIPPED_FORMS, site_dir)
    form = library.get("pam13")
    assert form.path == site_dir / "pam13.yaml"
    assert form.evaluate(answers_summing_to(44)).scores["pam_level"] == 4
    assert library.by_hash(form.hash) is form


@pytest.mark.control("H-18-C3")
def test_a_pathway_with_the_form_needs_the_site_licence(site_dir: Path) -> None:
    (site_dir / "pathways.yaml").write_text(
        "format: 1\npathways:\n  - id: activation\n    title: Activation clinic\n"
        "    forms: [pam13]\n",
        encoding="utf-8",
    )
    library = FormLibrary.load(site_dir)
    with pytest.raises(LicenceRequiredError, match="kiosk forms enable pam13 --licence REF"):
        library.pathway_forms("activation", {})
    with pytest.raises(LicenceRequiredError):
        library.pathway_forms("activation", {"pam13": ""})
    forms = library.pathway_forms("activation", {"pam13": "SITE-LICENCE-123"})
    assert [f.id for f in forms] == ["pam13"]


@pytest.mark.control("H-18-C2")
def test_proprietary_needs_site_licence_required(site_dir: Path) -> None:
    path = site_dir / "pam13.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  site_licence_required: true\n", "  site_licence_required: false\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(FormError, match="a proprietary form must also set site_licence_required"):
        load_form(path)


# ---------------------------------------------------------------- nothing licensed is shipped


def shipped_files() -> list[Path]:
    return sorted(p for p in SHIPPED_FORMS.iterdir() if p.is_file())


def test_the_shipped_folder_exists() -> None:
    assert any(p.suffix == ".yaml" for p in shipped_files())


@pytest.mark.control("H-18-C2")
@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: p.name)
def test_no_shipped_form_is_proprietary_or_pam(path: Path) -> None:
    assert "pam" not in path.name.lower()
    if path.suffix != ".yaml":
        return
    text = path.read_text(encoding="utf-8")
    # Read the text itself, so that a file still being written is checked too.
    assert not re.search(r"^\s*proprietary:\s*(true|True|TRUE)\b", text, re.M), path
    ids = re.findall(r"^id:\s*['\"]?([A-Za-z0-9_]+)", text, re.M)
    assert not any(form_id.lower().startswith("pam") for form_id in ids), path


@pytest.mark.control("H-18-C2")
def test_no_loaded_shipped_form_is_proprietary() -> None:
    try:
        library = FormLibrary.load(SHIPPED_FORMS)
    except FormError as exc:  # another author's form may be half written
        skip_or_fail(f"the shipped forms do not all load yet: {exc.problems[0]}")
    for form in library.forms():
        assert not form.spec.licence.proprietary, form.id
        assert not form.id.startswith("pam"), form.id


def test_a_conversion_table_must_sit_beside_the_form(tmp_path: Path) -> None:
    """table_file names a file in the form's own folder; a path elsewhere is refused."""

    (tmp_path / "outside.csv").write_text("1,2\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "f.yaml").write_text(
        "id: f\nversion: '1'\ntitle: {en: F}\nsource: {name: s}\nlicence: {name: l}\n"
        "languages: {en: validated}\nitems:\n"
        "  - {id: a, type: scale, min: 1, max: 2, text: {en: A},\n"
        "     anchors: [{value: 1, text: {en: x}}]}\n"
        "scores:\n  - {id: conv, kind: lookup, of: a, table_file: ../outside.csv}\n",
        encoding="utf-8",
    )
    with pytest.raises(FormError) as caught:
        load_form(site / "f.yaml")
    assert [p.line for p in caught.value.problems] == [11]
    assert "file name in the form's own folder" in caught.value.problems[0].message
