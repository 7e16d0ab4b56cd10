"""The project's own limits on a form file are checked on the text, before any YAML
parser, so a hostile file gets our message and line whatever PyYAML or libyaml is
installed (libyaml now refuses deep nesting itself, with its own words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.engine import yamlsource
from kiosk.engine.yamllimits import (
    MAX_ANCHORS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LimitExceeded,
    _Scan,
    check_limits,
)
from kiosk.engine.yamlsource import YamlProblems, load_yaml

pytestmark = pytest.mark.security
ROOT = Path(__file__).resolve().parents[2]
DEEP = f"nested more than {MAX_DEPTH} levels deep"


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any use of the YAML parser fails the test: the limits must answer first."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML parser was reached")

    monkeypatch.setattr(yamlsource, "_Loader", refuse)


def problem_of(text: str) -> tuple[int, str]:
    with pytest.raises(YamlProblems) as caught:
        load_yaml(text, "form.yaml")
    [problem] = caught.value.problems
    return problem.line, problem.message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 1001, 50_000])
def test_deep_flow_nesting_gets_our_message_before_the_parser(depth: int, no_parser) -> None:
    text = "id: x\nitems: []\nextra: " + "[" * depth + "]" * depth + "\n"
    assert problem_of(text) == (3, f"YAML syntax error: {DEEP}")


def test_deep_flow_nesting_gets_our_message_from_the_real_parser_too() -> None:
    text = "id: x\nextra: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n"
    assert problem_of(text) == (2, f"YAML syntax error: {DEEP}")


def test_deep_block_indentation_is_refused_at_its_line(no_parser) -> None:
    lines = [" " * level + f"k{level}:" for level in range(MAX_DEPTH + 5)]
    line, message = problem_of("\n".join(lines) + " 1\n")
    assert line == MAX_DEPTH + 1
    assert DEEP in message


def test_a_long_run_of_dashes_is_refused(no_parser) -> None:
    line, message = problem_of("id: x\nextra:\n  " + "- " * 5000 + "1\n")
    assert (line, DEEP in message) == (3, True)


def test_too_many_aliases_are_refused_before_they_are_expanded(no_parser) -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ANCHORS + 1)) + "]\n"
    assert problem_of(text) == (2, f"the file has more than {MAX_ANCHORS} aliases (*name)")


def test_too_many_anchors_are_refused(no_parser) -> None:
    text = "".join(f"k{i}: &a{i} {i}\n" for i in range(MAX_ANCHORS + 1))
    assert problem_of(text) == (
        MAX_ANCHORS + 1,
        f"the file has more than {MAX_ANCHORS} anchors (&name)",
    )


def test_a_file_that_is_too_large_is_refused_whatever_its_source(no_parser) -> None:
    text = "text: " + "x" * MAX_FILE_BYTES + "\n"
    line, message = problem_of(text)
    assert line == 1 and "a form file must be under 2 MB" in message


@pytest.mark.parametrize(
    "text",
    [
        'text: "' + "[" * 300 + '"\n',
        "text: '" + "{" * 300 + " it''s [fine'\n",
        "text: |\n  " + "[" * 300 + "\n  - - - - -\nnext: 1\n",
        "text: >-\n  " + "*a " * 2000 + "\nnext: 1\n",
        "# " + "[" * 300 + "\ntext: 1 # " + "{" * 300 + "\n",
        'text: "a multi-line\n  ' + "[" * 300 + '\n  quoted scalar"\nnext: 1\n',
        "text: Don't panic " + "&" * 2000 + "\n",
    ],
)
def test_brackets_and_marks_inside_text_are_not_structure(text: str) -> None:
    check_limits(text, "form.yaml")  # raises nothing


def test_an_apostrophe_in_plain_text_does_not_hide_what_follows() -> None:
    text = "a: Don't worry\nb: " + "[" * 500 + "]" * 500 + "\n"
    with pytest.raises(LimitExceeded) as caught:
        check_limits(text, "form.yaml")
    assert caught.value.problem.line == 2


def test_the_shipped_forms_are_far_inside_the_limits() -> None:
    for path in sorted((ROOT / "forms").glob("*.yaml")):
        scan = _Scan(str(path))
        deepest = 0
        original = scan._depth

        def measure(number: int, scan: _Scan = scan, original=original) -> None:
            nonlocal deepest
            deepest = max(deepest, len(scan.indents) + scan.flow)
            original(number)

        scan._depth = measure  # type: ignore[method-assign]
        scan.run(path.read_text(encoding="utf-8"))
        assert 3 <= deepest <= MAX_DEPTH // 5, f"{path.name} nests {deepest} levels"
        assert scan.anchors == scan.aliases == 0
