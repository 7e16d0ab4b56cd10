"""The expression language of enable_when, flags and condition scores.

Parsed by hand into a tree (never Python's eval): precedence, syntax errors with
a column, and what each operator means, especially for unanswered items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from kiosk.engine import expressions as ex
from kiosk.engine.evaluation import compile_expression
from kiosk.engine.expressions import (
    BoolOp,
    Call,
    Compare,
    ExpressionError,
    Literal,
    Name,
    Not,
    OneOf,
)

# ---------------------------------------------------------------- a context without a form


@dataclass
class FakeContext:
    values: Mapping[str, ex.Value] = field(default_factory=dict)
    raised: frozenset[str] = frozenset()
    bands: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> ex.Value:
        return self.values.get(name)

    def flagged(self, flag_id: str) -> bool:
        return flag_id in self.raised

    def band(self, name: str) -> str | None:
        return self.bands.get(name)


def holds(source: str, ctx: FakeContext | None = None, any_flags: tuple[str, ...] = ()) -> object:
    compiled = compile_expression(ex.parse(source), any_flags)
    return compiled(ctx or FakeContext())


def shape(node: ex.Node) -> object:
    """A column-free rendering of a tree, to compare parses."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return (node.function, *(shape(a) for a in node.args))
    if isinstance(node, Compare):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, OneOf):
        return (
            "not in" if node.negated else "in",
            shape(node.subject),
            tuple(shape(c) for c in node.choices),
        )
    if isinstance(node, Not):
        return ("not", shape(node.operand))
    assert isinstance(node, BoolOp)
    return (node.op, *(shape(o) for o in node.operands))


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a = 'x'", ("=", "a", "x")),
        ("a == 'x'", ("=", "a", "x")),
        ('a = "x"', ("=", "a", "x")),
        ("a != 'x'", ("!=", "a", "x")),
        ("score >= 6", (">=", "score", 6)),
        ("score < 2.5", ("<", "score", 2.5)),
        ("score > -3", (">", "score", -3)),
        ("score <= 10", ("<=", "score", 10)),
        ("baseline.wellbeing > 3", (">", "baseline.wellbeing", 3)),
        ("true", True),
        ("false", False),
        # not binds tightest, then and, then or
        ("not a = 'x' and b = 'y'", ("and", ("not", ("=", "a", "x")), ("=", "b", "y"))),
        ("a = 1 or b = 2 and c = 3", ("or", ("=", "a", 1), ("and", ("=", "b", 2), ("=", "c", 3)))),
        ("a = 1 and b = 2 or c = 3", ("or", ("and", ("=", "a", 1), ("=", "b", 2)), ("=", "c", 3))),
        (
            "(a = 1 or b = 2) and c = 3",
            ("and", ("or", ("=", "a", 1), ("=", "b", 2)), ("=", "c", 3)),
        ),
        ("not not a = 1", ("not", ("not", ("=", "a", 1)))),
        ("not (a = 1 or b = 2)", ("not", ("or", ("=", "a", 1), ("=", "b", 2)))),
        ("a = 1 or b = 2 or c = 3", ("or", ("=", "a", 1), ("=", "b", 2), ("=", "c", 3))),
        ("eth in ('A', 'B', \"C\")", ("in", "eth", ("A", "B", "C"))),
        ("eth not in ('A')", ("not in", "eth", ("A",))),
        ("n in (1, 2.5, -3)", ("in", "n", (1, 2.5, -3))),
        ("answered(concern)", ("answered", "concern")),
        ("includes(needs, 'bsl', 'easy_read')", ("includes", "needs", "bsl", "easy_read")),
        ("flagged(a, b)", ("flagged", "a", "b")),
        ("any_flag()", ("any_flag",)),
        ("band(anxiety) = 'high'", ("=", ("band", "anxiety"), "high")),
        ("  a   =   'x'  ", ("=", "a", "x")),
        ("a = 'two words, and (brackets)'", ("=", "a", "two words, and (brackets)")),
        ('a = "it\'s"', ("=", "a", "it's")),
        ("a = 'say \"hi\"'", ("=", "a", 'say "hi"')),
        ("andrew = 1 or order = 2", ("or", ("=", "andrew", 1), ("=", "order", 2))),
    ],
)
def test_parse(source: str, expected: object) -> None:
    assert shape(ex.parse(source)) == expected


def test_numbers_keep_their_type() -> None:
    tree = ex.parse("a = 7 or b = 7.0")
    assert isinstance(tree, BoolOp)
    left, right = (op.right for op in tree.operands if isinstance(op, Compare))
    assert isinstance(left, Literal) and type(left.value) is int
    assert isinstance(right, Literal) and type(right.value) is float


def test_nodes_know_their_column() -> None:
    tree = ex.parse("a = 'x' and  band(b) = 'high'")
    assert isinstance(tree, BoolOp)
    second = tree.operands[1]
    assert isinstance(second, Compare)
    assert second.column == 22  # the '='
    assert second.left.column == 14  # band


# ---------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("a = 'abc", "text in quotes is not closed", 5),
        ('a = "abc', "text in quotes is not closed", 5),
        ("a = 'abc\" and b = 1", "text in quotes is not closed", 5),
        ("a =", "expected a value but found the end of the expression", 4),
        ("a = 'x' and", "expected a value but found the end of the expression", 12),
        ("a = 'x' or or b = 1", "'or' cannot start a value", 12),
        ("and a = 1", "'and' cannot start a value", 1),
        ("a = = 1", "expected a value but found '='", 5),
        ("a = 1 b = 2", "unexpected 'b'", 7),
        ("(a = 1", "expected ')' but found the end", 7),
        ("a = 1)", "unexpected ')'", 6),
        ("a in 'x'", "expected '(' but found \"'x'\"", 6),
        ("a in ()", "expected a value but found ')'", 7),
        ("a in (b)", "only fixed values may be listed after 'in'", 7),
        ("a not", "unexpected 'not'", 3),
        ("foo(a)", "unknown function 'foo'", 1),
        ("a = 1 and sum(a, b) > 3", "unknown function 'sum'", 11),
        ("", "the expression is empty", 1),
        ("   ", "the expression is empty", 1),
        ("a = 1; b", "unexpected character ';'", 6),
        ("a = 1 & b", "unexpected character '&'", 7),
        ("a = 'x' || b", "unexpected character '|'", 9),
    ],
)
def test_syntax_errors_say_what_and_where(source: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        ex.parse(source)
    assert message in caught.value.message
    assert caught.value.column == column
    assert f"(at column {column})" in str(caught.value)


def test_unknown_function_lists_the_known_ones() -> None:
    with pytest.raises(ExpressionError, match="known: answered, any_flag, band, flagged, includes"):
        ex.parse("len(a) > 3")


def test_brackets_nested_too_deeply() -> None:
    ex.parse("(" * 50 + "a = 1" + ")" * 50)  # fine
    with pytest.raises(ExpressionError) as caught:
        ex.parse("(" * 51 + "a = 1" + ")" * 51)
    assert caught.value.message == "brackets nested too deeply"
    assert caught.value.column == 51


def test_very_long_expressions_are_refused() -> None:
    source = " or ".join(f"a{i} = 1" for i in range(300))
    assert len(source) > ex.MAX_LENGTH
    with pytest.raises(ExpressionError, match="longer than 2000 characters"):
        ex.parse(source)


def test_many_nots_within_the_length_limit_do_not_overflow() -> None:
    source = "not " * 495 + "a = 1"
    assert len(source) <= ex.MAX_LENGTH
    assert holds(source, FakeContext({"a": 1})) is False  # an odd number of nots


# ---------------------------------------------------------------- never Python


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "eval('1')",
        "exec('x = 1')",
        "open('/etc/passwd')",
        "a.__class__",
        "a.__class__ = 1",
        "a.__class__.__bases__ = 1",
        "baseline.x.__class__ = 1",
        "().__class__",
        "'a'.upper() = 'A'",
        "a[0] = 1",
        "lambda: 1",
        "a = 1 if b else 2",
        "[x for x in a]",
        "a = {1: 2}",
        "a + 1 = 2",
        "a = 1 # comment",
        "a = `id`",
        "a = 'x'\nimport os",
    ],
)
def test_python_is_not_the_language(source: str) -> None:
    with pytest.raises(ExpressionError):
        ex.parse(source)


def test_parse_never_calls_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec/compile must never be used")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    tree = ex.parse("(a = 1 or b in ('x', 'y')) and not flagged(f) and band(s) = 'hi'")
    compiled = compile_expression(tree)
    ctx = FakeContext({"a": 1}, bands={"s": "hi"})
    assert compiled(ctx) is True


def test_dotted_names_are_only_baseline_values() -> None:
    assert shape(ex.parse("baseline.concern_1 > 2")) == (">", "baseline.concern_1", 2)
    with pytest.raises(ExpressionError, match=r"unexpected character '\.'") as caught:
        ex.parse("os.system = 1")
    assert caught.value.column == 3


# ---------------------------------------------------------------- evaluation


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a = 'x'", False),
        ("a == 'x'", False),
        ("a != 'x'", True),
        ("a in ('x', 'y')", False),
        ("a not in ('x', 'y')", True),
        ("n < 3", False),
        ("n <= 3", False),
        ("n > 3", False),
        ("n >= 3", False),
        ("n = 0", False),
        ("n != 0", True),
        ("answered(a)", False),
        ("not answered(a)", True),
        ("includes(m, 'x')", False),
        ("band(n) = 'low'", False),
        ("band(n) != 'low'", True),
    ],
)
def test_unanswered_items_equal_nothing(source: str, expected: bool) -> None:
    assert holds(source, FakeContext()) is expected


@pytest.mark.parametrize(
    ("values", "source", "expected"),
    [
        ({"a": "x"}, "a = 'x'", True),
        ({"a": "x"}, "a != 'x'", False),
        ({"a": "y"}, "a = 'x'", False),
        ({"a": "y"}, "a in ('x', 'y')", True),
        ({"a": "z"}, "a in ('x', 'y')", False),
        ({"a": "z"}, "a not in ('x', 'y')", True),
        ({"a": "y"}, "a not in ('x', 'y')", False),
        ({"a": "prefer_not"}, "a = 'prefer_not'", True),
        ({"a": "prefer_not"}, "a != 'yes'", True),
        ({"a": "prefer_not"}, "answered(a)", True),
        ({"n": 5}, "n = 5", True),
        ({"n": 5}, "n = 5.0", True),
        ({"n": 5.0}, "n in (5)", True),
        ({"n": 5}, "n >= 5", True),
        ({"n": 5}, "n > 5", False),
        ({"n": 5}, "n < 5.5", True),
        ({"n": 5}, "n <= 4", False),
        ({"n": -2}, "n < -1", True),
        ({"n": 5}, "n = '5'", False),  # a number is never equal to text
        ({"a": "5"}, "a = 5", False),
        ({"a": "5"}, "a >= 1", False),  # ordering is only on numbers
        ({"a": "b"}, "a > 'a'", False),
        ({"a": "prefer_not"}, "a >= 0", False),
        ({"n": 3}, "n < b", False),  # b unanswered
        ({"n": 3, "b": 4}, "n < b", True),
        ({"t": True}, "t = true", True),
        ({"t": True}, "t = 1", False),  # a boolean is not a number
        ({"t": True}, "t >= 1", False),
        ({"a": "x", "b": "y"}, "a = 'x' and b = 'y'", True),
        ({"a": "x", "b": "z"}, "a = 'x' and b = 'y'", False),
        ({"a": "q", "b": "y"}, "a = 'x' or b = 'y'", True),
        ({"a": "q"}, "not a = 'x'", True),
        ({"a": "x"}, "not a = 'x' or a = 'x'", True),
        ({}, "true", True),
        ({}, "false", False),
        ({}, "not false and true", True),
    ],
)
def test_operators(values: dict[str, ex.Value], source: str, expected: bool) -> None:
    assert holds(source, FakeContext(values)) is expected


@pytest.mark.parametrize(
    ("chosen", "source", "expected"),
    [
        (["bsl"], "includes(needs, 'bsl')", True),
        (["bsl", "wheelchair"], "includes(needs, 'easy_read', 'wheelchair')", True),
        (["bsl"], "includes(needs, 'easy_read', 'wheelchair')", False),
        ([], "includes(needs, 'bsl')", False),
        ("bsl", "includes(needs, 'bsl')", False),  # not a list: not a multiple choice answer
        ("prefer_not", "includes(needs, 'prefer_not')", False),
        (["bsl"], "needs = 'bsl'", False),  # a list never equals a code
        (["bsl"], "needs in ('bsl')", False),
        (["bsl"], "answered(needs)", True),
    ],
)
def test_includes_on_multiple_choice(chosen: ex.Value, source: str, expected: bool) -> None:
    assert holds(source, FakeContext({"needs": chosen})) is expected


def test_flagged_is_any_of_the_named_flags() -> None:
    ctx = FakeContext(raised=frozenset({"unsafe"}))
    assert holds("flagged(unsafe)", ctx) is True
    assert holds("flagged(hungry, unsafe)", ctx) is True
    assert holds("flagged(hungry)", ctx) is False
    assert holds("not flagged(hungry)", ctx) is True


def test_any_flag_covers_only_the_flags_it_is_given() -> None:
    ctx = FakeContext(raised=frozenset({"later"}))
    assert holds("any_flag()", ctx, any_flags=("earlier",)) is False
    assert holds("any_flag()", ctx, any_flags=("earlier", "later")) is True
    assert holds("any_flag()", ctx) is False


def test_band() -> None:
    ctx = FakeContext(bands={"anxiety": "high"})
    assert holds("band(anxiety) = 'high'", ctx) is True
    assert holds("band(anxiety) != 'high'", ctx) is False
    assert holds("band(anxiety) in ('moderate', 'high')", ctx) is True
    assert holds("band(mood) = 'high'", ctx) is False  # no band: unanswered


def test_walk_visits_every_node_parents_first() -> None:
    tree = ex.parse("not (a = 1 and b in ('x'))")
    kinds = [type(node).__name__ for node in ex.walk(tree)]
    assert kinds == ["Not", "BoolOp", "Compare", "Name", "Literal", "OneOf", "Name", "Literal"]
