"""The clinical safety file stays true to the code.

The hazard log (docs/clinical-safety/hazard-log.md) is read in its fixed format:
every hazard must have controls, every control a verification, every test it
names must exist and carry ``@pytest.mark.control("<control id>")`` (on itself,
its class or its module's ``pytestmark``; read with ast, so a test renamed, moved
or stripped of its marker is caught), no test may carry a control marker the log
does not list it under, and every risk must be the one the plan's matrix gives. The
safety case must agree with the log, and no link in the file may be broken.
The checker is shown to fail on small broken logs and documents.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.release

ROOT = Path(__file__).resolve().parents[1]
SAFETY = ROOT / "docs" / "clinical-safety"
HAZARD_LOG = SAFETY / "hazard-log.md"
PLAN = SAFETY / "risk-management-plan.md"
SAFETY_CASE = SAFETY / "safety-case.md"
SECURITY = ROOT / "docs" / "security.md"
MIN_HAZARDS = 15

SEVERITY = {1: "Minor", 2: "Significant", 3: "Considerable", 4: "Major", 5: "Catastrophic"}
LIKELIHOOD = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
# DCB0129's matrix: RISK[likelihood][severity - 1].
RISK = {
    5: (3, 4, 4, 5, 5),
    4: (2, 3, 3, 4, 5),
    3: (2, 2, 3, 3, 4),
    2: (1, 2, 2, 3, 4),
    1: (1, 1, 2, 2, 3),
}
FIELDS = (
    "Hazard",
    "Causes",
    "Effect on the patient",
    "Initial risk",
    "Controls",
    "Residual risk",
    "Deploying organisation",
    "Status",
)
OPTIONAL = {"Deploying organisation"}

_HEADING = re.compile(r"^## (?P<id>H-\d+): (?P<title>\S.*)$")
_FIELD = re.compile(r"^- \*\*(?P<name>[^*]+):\*\*(?: (?P<value>.*))?$")
_CONTROL = re.compile(r"^  - \*\*(?P<id>H-\d+-C\d+)\*\* (?P<text>\S.*)$")
_TEST = re.compile(r"^    - test: `(?P<node>[^`]*)`$")
_MANUAL = re.compile(r"^    - manual: (?P<text>\S.*)$")
_RISK = re.compile(
    r"^severity (?P<s>\d) \((?P<sn>[A-Za-z ]+)\), "
    r"likelihood (?P<l>\d) \((?P<ln>[A-Za-z ]+)\), risk (?P<r>\d)$"
)
_NODE = re.compile(r"^(?P<path>tests/[\w/.-]+\.py)::(?P<name>(?:Test\w*::)?test_\w*)$")
_LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class Control:
    id: str
    text: str
    line: int
    tests: list[tuple[str, int]] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)


@dataclass
class Hazard:
    id: str
    title: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    controls: list[Control] = field(default_factory=list)


@dataclass(frozen=True)
class Risk:
    severity: int
    likelihood: int
    risk: int


# ---------------------------------------------------------------- the checker


def _dotted(node: ast.expr) -> str:
    """``pytest.mark.control`` for the expression ``pytest.mark.control``."""
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _marked_controls(marks: list[ast.expr]) -> set[str]:
    """The ids in every ``pytest.mark.control("H-NN-CN", ...)`` among ``marks``."""
    ids: set[str] = set()
    for mark in marks:
        if isinstance(mark, ast.List | ast.Tuple):
            ids |= _marked_controls(list(mark.elts))
        elif isinstance(mark, ast.Call) and _dotted(mark.func).endswith("mark.control"):
            ids.update(
                arg.value
                for arg in mark.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return ids


def _pytestmark(body: list[ast.stmt]) -> set[str]:
    """The control ids of a module's or class's ``pytestmark = ...``."""
    ids: set[str] = set()
    for statement in body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
                ids |= _marked_controls([statement.value])
    return ids


@cache
def controls_of_tests(path: Path) -> dict[str, frozenset[str]]:
    """``test_x`` for each module-level test function, ``TestY::test_x`` for each method,
    with the control ids its markers name (its own, its class's and its module's)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an old escape sequence in a test is not our concern
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _pytestmark(tree.body)
    found: dict[str, frozenset[str]] = {}
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions) and node.name.startswith("test"):
            found[node.name] = frozenset(module | _marked_controls(node.decorator_list))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            shared = module | _pytestmark(node.body) | _marked_controls(node.decorator_list)
            for member in node.body:
                if isinstance(member, functions) and member.name.startswith("test"):
                    own = _marked_controls(member.decorator_list)
                    found[f"{node.name}::{member.name}"] = frozenset(shared | own)
    return found


def defined_tests(path: Path) -> frozenset[str]:
    """``test_x`` for each module-level test function, ``TestY::test_x`` for each method."""
    return frozenset(controls_of_tests(path))


def missing_test(node: str, root: Path) -> str | None:
    """Why the pytest node id ``node`` names no test under ``root``, or None if it does."""
    match = _NODE.match(node)
    if match is None:
        return "is not a node id of the form tests/path/test_file.py::test_name"
    path = root / match["path"]
    if not path.is_file():
        return f"names {match['path']}, which does not exist"
    if match["name"] not in defined_tests(path):
        return f"names {match['name']}, which {match['path']} does not define"
    return None


def unmarked_test(node: str, control_id: str, root: Path) -> str | None:
    """Why the test ``node`` (which exists) does not carry the marker of ``control_id``."""
    match = _NODE.match(node)
    assert match is not None
    if control_id in controls_of_tests(root / match["path"])[match["name"]]:
        return None
    return (
        f'does not carry @pytest.mark.control("{control_id}") (on the test, its class '
        "or its module's pytestmark)"
    )


def stray_markers(hazards: list[Hazard], root: Path) -> list[str]:
    """Every control marker on a test under ``root``/tests that the log does not list
    under that control: a control renumbered or a test dropped from the log."""
    listed = {(c.id, node) for h in hazards for c in h.controls for node, _line in c.tests}
    problems = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        relative = path.relative_to(root).as_posix()
        for name, ids in controls_of_tests(path).items():
            for control_id in sorted(ids):
                if (control_id, f"{relative}::{name}") not in listed:
                    problems.append(
                        f"{relative}::{name} is marked control({control_id!r}), but the "
                        f"hazard log does not list it under {control_id}"
                    )
    return problems


def parse_risk(value: str) -> Risk | None:
    match = _RISK.match(value)
    if match is None:
        return None
    severity, likelihood = int(match["s"]), int(match["l"])
    if SEVERITY.get(severity) != match["sn"] or LIKELIHOOD.get(likelihood) != match["ln"]:
        return None
    return Risk(severity, likelihood, int(match["r"]))


def read_log(text: str, label: str = "hazard-log.md") -> tuple[list[Hazard], list[str]]:
    """The hazards of a log in the fixed format, and every line that breaks the format."""
    hazards: list[Hazard] = []
    problems: list[str] = []
    hazard: Hazard | None = None
    control: Control | None = None
    order: list[str] = []
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{label}:{number}"
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("## "):
            heading = _HEADING.match(line)
            hazard, control, order = None, None, []
            if heading is not None:
                hazard = Hazard(heading["id"], heading["title"], number)
                hazards.append(hazard)
            elif line.startswith("## H-"):
                problems.append(f"{where}: a hazard heading is '## H-NN: title'")
            continue
        if hazard is None or not line.strip():
            continue
        if (found := _FIELD.match(line)) is not None:
            name, control = found["name"], None
            if name not in FIELDS:
                problems.append(f"{where}: {hazard.id} has an unknown field '{name}'")
            elif name in hazard.fields:
                problems.append(f"{where}: {hazard.id} gives '{name}' twice")
            else:
                if order and FIELDS.index(name) < FIELDS.index(order[-1]):
                    problems.append(f"{where}: {hazard.id}: '{name}' comes after '{order[-1]}'")
                hazard.fields[name] = (found["value"] or "").strip()
                order.append(name)
        elif (found := _CONTROL.match(line)) is not None:
            if not order or order[-1] != "Controls":
                problems.append(f"{where}: {found['id']} is not under '- **Controls:**'")
            control = Control(found["id"], found["text"], number)
            hazard.controls.append(control)
        elif (found := _TEST.match(line) or _MANUAL.match(line)) is not None:
            if control is None:
                problems.append(f"{where}: a verification outside any control")
            elif "node" in found.groupdict():
                control.tests.append((found["node"], number))
            else:
                control.manual.append(found["text"])
        else:
            problems.append(f"{where}: not in the hazard log's format: {line.strip()[:60]}")
    return hazards, problems


def check_log(
    text: str, root: Path = ROOT, *, label: str = "hazard-log.md", min_hazards: int = MIN_HAZARDS
) -> tuple[list[Hazard], list[str]]:
    """The hazards, and every problem: format, ids, risks, controls and the tests named."""
    hazards, problems = read_log(text, label)
    if len(hazards) < min_hazards:
        problems.append(f"{label}: {len(hazards)} hazards; at least {min_hazards} are needed")
    seen: set[str] = set()
    for position, hazard in enumerate(hazards, 1):
        where = f"{label}:{hazard.line}: {hazard.id}"
        if hazard.id in seen:
            problems.append(f"{where} is used twice")
        seen.add(hazard.id)
        if hazard.id != f"H-{position:02d}":
            problems.append(f"{where} is out of sequence: H-{position:02d} was expected")
        if "Controls" not in hazard.fields:
            problems.append(f"{where} has no '- **Controls:**' field")
        for name in FIELDS:
            if name not in OPTIONAL and name != "Controls" and not hazard.fields.get(name):
                problems.append(f"{where} has no '{name}'")
        initial = parse_risk(hazard.fields.get("Initial risk", ""))
        residual = parse_risk(hazard.fields.get("Residual risk", ""))
        for name, risk in (("initial", initial), ("residual", residual)):
            if risk is None:
                problems.append(
                    f"{where}: the {name} risk is not 'severity S (Name), "
                    "likelihood L (Name), risk R' with the plan's names"
                )
            elif risk.risk != RISK[risk.likelihood][risk.severity - 1]:
                expected = RISK[risk.likelihood][risk.severity - 1]
                problems.append(
                    f"{where}: the {name} risk is {risk.risk}, but the matrix gives {expected}"
                )
        if initial is not None and residual is not None and residual.risk > initial.risk:
            problems.append(f"{where}: the residual risk is higher than the initial risk")
        if residual is not None and residual.risk >= 4:
            problems.append(f"{where}: a residual risk of {residual.risk} is unacceptable")
        status = hazard.fields.get("Status", "")
        if status and not re.match(r"^(Closed|Open)\b", status):
            problems.append(f"{where}: the status must start with Closed or Open")
        if not hazard.controls:
            problems.append(f"{where} has no controls")
        for number, control in enumerate(hazard.controls, 1):
            if control.id != f"{hazard.id}-C{number}":
                problems.append(
                    f"{label}:{control.line}: {control.id} should be {hazard.id}-C{number}"
                )
            if not control.tests and not control.manual:
                problems.append(f"{label}:{control.line}: {control.id} has no verification")
            for node, line in control.tests:
                reason = missing_test(node, root) or unmarked_test(node, control.id, root)
                if reason is not None:
                    problems.append(f"{label}:{line}: {control.id}: {node} {reason}")
    return hazards, problems


def broken_links(path: Path) -> list[str]:
    """Every relative Markdown link in ``path`` whose file does not exist."""
    problems = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
        if fenced:
            continue
        for found in _LINK.finditer(line):
            target = found["target"]
            if _SCHEME.match(target) or target.startswith("#"):
                continue
            if not (path.parent / target.split("#", 1)[0]).exists():
                problems.append(f"{path.name}:{number}: {target} does not exist")
    return problems


def section(text: str, heading: str) -> str:
    """The text under ``heading`` (a whole Markdown heading line) up to the next heading."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


# ---------------------------------------------------------------- the real file


@pytest.fixture(scope="module")
def log() -> list[Hazard]:
    hazards, problems = check_log(HAZARD_LOG.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)
    return hazards


def test_the_hazard_log_is_complete_and_every_test_it_names_exists(log: list[Hazard]) -> None:
    assert len(log) >= MIN_HAZARDS
    assert all(hazard.controls for hazard in log)
    assert all(control.tests or control.manual for h in log for control in h.controls)


def test_every_control_marker_in_the_tests_names_a_control_listing_that_test(
    log: list[Hazard],
) -> None:
    assert stray_markers(log, ROOT) == []


def test_every_hazard_has_at_least_one_automated_test(log: list[Hazard]) -> None:
    without = [h.id for h in log if not any(control.tests for control in h.controls)]
    assert without == []


def test_the_plan_scores_with_the_same_scales_and_matrix(log: list[Hazard]) -> None:
    plan = PLAN.read_text(encoding="utf-8")
    for heading, scale in (("### Severity", SEVERITY), ("### Likelihood", LIKELIHOOD)):
        rows = re.findall(r"^\| (\d) \| ([A-Za-z ]+?) \|", section(plan, heading), re.M)
        assert {int(score): name for score, name in rows} == scale, heading
    matrix = re.findall(
        r"^\| (\d) ([A-Za-z ]+?) \| (\d) \| (\d) \| (\d) \| (\d) \| (\d) \|$",
        section(plan, "### Risk matrix"),
        re.M,
    )
    assert {int(row[0]): tuple(int(v) for v in row[2:]) for row in matrix} == RISK
    assert all(LIKELIHOOD[int(row[0])] == row[1] for row in matrix)


def test_the_safety_case_agrees_with_the_log(log: list[Hazard]) -> None:
    case = SAFETY_CASE.read_text(encoding="utf-8")
    counted = re.search(r"(\d+) hazards, H-01 to (H-\d+)", case)
    assert counted is not None
    assert (int(counted[1]), counted[2]) == (len(log), log[-1].id)
    table = dict(re.findall(r"^\| (H-\d+) [^|]*\| (\d) \|", case, re.M))
    residual = {}
    for hazard in log:
        risk = parse_risk(hazard.fields["Residual risk"])
        assert risk is not None
        residual[hazard.id] = str(risk.risk)
    assert table == residual
    manual_part = case.split("- **Manual checks**", 1)[1].split("\n- **", 1)[0]
    named = set(re.findall(r"H-\d+-C\d+", manual_part))
    assert named == {c.id for h in log for c in h.controls if c.manual}


@pytest.mark.parametrize(
    "path", [*sorted(SAFETY.glob("*.md")), SECURITY], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_link_points_at_a_file_that_exists(path: Path) -> None:
    assert broken_links(path) == []


# ---------------------------------------------------------------- the checker can fail

GOOD_NODE = "tests/test_clinical_safety.py::test_the_checker_reports_a_test_that_does_not_exist"
BRACKETED = "tests/test_docs.py::test_every_item_type_is_documented[scale]"
OFF_MATRIX = "severity 4 (Major), likelihood 3 (Medium), risk 2"
MISNAMED = "severity 3 (Major), likelihood 1 (Very low), risk 2"
UNACCEPTABLE = "severity 3 (Considerable), likelihood 5 (Very high), risk 4"


def fake_log(*hazards: str) -> str:
    return "# Hazard log\n\nIntroduction, not a hazard.\n\n" + "\n".join(hazards)


def fake_hazard(
    hazard_id: str = "H-01",
    *,
    controls: str | None = None,
    initial: str = "severity 3 (Considerable), likelihood 3 (Medium), risk 3",
    residual: str = "severity 3 (Considerable), likelihood 1 (Very low), risk 2",
) -> str:
    if controls is None:
        controls = f"  - **{hazard_id}-C1** A control.\n    - test: `{GOOD_NODE}`\n"
    return (
        f"## {hazard_id}: A hazard\n\n"
        "- **Hazard:** Something goes wrong.\n"
        "- **Causes:** A cause.\n"
        "- **Effect on the patient:** Harm.\n"
        f"- **Initial risk:** {initial}\n"
        "- **Controls:**\n"
        f"{controls}"
        f"- **Residual risk:** {residual}\n"
        "- **Status:** Closed\n"
    )


# A tree with the tests the fake logs name: marked with their controls in the three
# places a marker may sit (the test, its class, its module's pytestmark).
FAKE_TESTS = {
    "tests/test_clinical_safety.py": (
        "import pytest\n\n"
        "@pytest.mark.control('H-01-C1', 'H-02-C1', 'H-03-C1')\n"
        "@pytest.mark.parametrize('x', [1])\n"
        "def test_the_checker_reports_a_test_that_does_not_exist(x):\n    pass\n\n"
        "def test_unmarked():\n    pass\n\n"
        "@pytest.mark.control('H-01-C2')\n"
        "def test_marked_for_another_control():\n    pass\n\n"
        "@pytest.mark.control('H-01-C1')\n"
        "class TestMarkedClass:\n    def test_method(self):\n        pass\n\n"
        "class TestPlainClass:\n"
        "    pytestmark = [pytest.mark.slow, pytest.mark.control('H-01-C1')]\n"
        "    def test_method(self):\n        pass\n"
    ),
    "tests/sub/test_module_marked.py": (
        "import pytest\n\npytestmark = pytest.mark.control('H-01-C1')\n\n"
        "def test_anything():\n    pass\n"
    ),
}


@pytest.fixture(scope="module")
def fake_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fake")
    for relative, text in FAKE_TESTS.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def problems_of(text: str, root: Path) -> list[str]:
    return check_log(text, root, label="fake.md", min_hazards=1)[1]


def test_a_small_good_log_passes(fake_root: Path) -> None:
    hazards, problems = check_log(
        fake_log(fake_hazard(), fake_hazard("H-02")), fake_root, min_hazards=2
    )
    assert problems == []
    assert [h.id for h in hazards] == ["H-01", "H-02"]
    assert hazards[0].controls[0].tests == [(GOOD_NODE, 13)]


def test_the_checker_reports_a_test_that_does_not_exist(fake_root: Path) -> None:
    controls = (
        "  - **H-01-C1** A control.\n"
        f"    - test: `{GOOD_NODE}`\n"
        "    - test: `tests/test_clinical_safety.py::test_that_nobody_wrote`\n"
        "    - test: `tests/no_such_folder/test_gone.py::test_anything`\n"
        f"    - test: `{BRACKETED}`\n"
    )
    problems = problems_of(fake_log(fake_hazard(controls=controls)), fake_root)
    assert len(problems) == 3, problems
    assert (
        "test_that_nobody_wrote, which tests/test_clinical_safety.py does not define"
        in (problems[0])
    )
    assert "tests/no_such_folder/test_gone.py, which does not exist" in problems[1]
    assert "is not a node id" in problems[2]
    assert all(p.startswith("fake.md:") and "H-01-C1" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (fake_log(fake_hazard(), fake_hazard("H-01")), "H-01 is used twice"),
        (fake_log(fake_hazard(), fake_hazard("H-03")), "H-02 was expected"),
        (fake_log(fake_hazard(controls="")), "H-01 has no controls"),
        (fake_log(fake_hazard(controls="  - **H-01-C1** Untested.\n")), "has no verification"),
        (fake_log(fake_hazard(controls="  - **H-01-C2** Out.\n    - manual: x\n")), "be H-01-C1"),
        (fake_log(fake_hazard(initial=OFF_MATRIX)), "risk is 2, but the matrix gives 3"),
        (fake_log(fake_hazard(residual=MISNAMED)), "the residual risk is not"),
        (fake_log(fake_hazard(residual=UNACCEPTABLE)), "a residual risk of 4 is unacceptable"),
        (fake_log(fake_hazard().replace("Status:** Closed", "Status:** Done")), "Closed or Open"),
        (fake_log(fake_hazard().replace("- **Causes:** A cause.\n", "")), "has no 'Causes'"),
        (fake_log(fake_hazard().replace("- **Hazard:**", "- Hazard:")), "not in the hazard log's"),
        (fake_log(fake_hazard()), "1 hazards; at least 15 are needed"),
    ],
    ids=[
        "duplicate",
        "gap",
        "no controls",
        "no verification",
        "control numbering",
        "risk off the matrix",
        "wrong severity name",
        "unacceptable residual",
        "status",
        "missing field",
        "not the format",
        "too few",
    ],
)
def test_the_checker_reports_a_broken_log(fake_root: Path, text: str, expected: str) -> None:
    minimum = MIN_HAZARDS if expected.startswith("1 hazards") else 1
    problems = check_log(text, fake_root, label="fake.md", min_hazards=minimum)[1]
    assert any(expected in problem for problem in problems), problems


def test_a_control_marker_on_the_test_its_class_or_its_module_counts(fake_root: Path) -> None:
    controls = "  - **H-01-C1** A control.\n" + "".join(
        f"    - test: `{node}`\n"
        for node in (
            GOOD_NODE,
            "tests/test_clinical_safety.py::TestMarkedClass::test_method",
            "tests/test_clinical_safety.py::TestPlainClass::test_method",
            "tests/sub/test_module_marked.py::test_anything",
        )
    )
    assert problems_of(fake_log(fake_hazard(controls=controls)), fake_root) == []


@pytest.mark.parametrize(
    "name", ["test_unmarked", "test_marked_for_another_control"], ids=["none", "another"]
)
def test_the_checker_reports_a_test_without_its_controls_marker(fake_root: Path, name: str) -> None:
    """A test that exists is not enough: it must carry the marker naming the control."""
    controls = f"  - **H-01-C1** A control.\n    - test: `tests/test_clinical_safety.py::{name}`\n"
    [problem] = problems_of(fake_log(fake_hazard(controls=controls)), fake_root)
    assert problem.startswith("fake.md:13: H-01-C1: ")
    assert f'{name} does not carry @pytest.mark.control("H-01-C1")' in problem


def test_the_checker_reports_a_marker_the_log_does_not_list(fake_root: Path) -> None:
    hazards, problems = check_log(fake_log(fake_hazard()), fake_root, min_hazards=1)
    assert problems == []
    stray = stray_markers(hazards, fake_root)
    # Listed: only H-01-C1 on GOOD_NODE; every other marker in the tree is stray.
    assert len(stray) == 6, stray
    assert (
        "tests/test_clinical_safety.py::test_marked_for_another_control is marked "
        "control('H-01-C2'), but the hazard log does not list it under H-01-C2"
    ) in stray
    assert not any("test_unmarked" in problem for problem in stray)


def test_the_link_check_reports_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("here\n", encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text(
        "[fine](there.md) [anchor](there.md#part) [web](https://example.org/x.md)\n"
        "[here](#top) [gone](missing.md#part)\n\n```\n[in code](ignored.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(doc) == ["doc.md:2: missing.md#part does not exist"]
