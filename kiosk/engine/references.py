"""What an expression may name, and the checks that it names only those.

A form's *symbols* are its items, its scores and the baseline values it
declares. Flags live in a namespace of their own (``flagged(x)``), so a flag
may share its id with the item that raises it.

An ``enable_when`` may only look backwards: at earlier items, and at scores and
flags that depend on earlier items alone. That keeps skip logic evaluable
question by question, as a patient moves through the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.engine import expressions as ex
from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.schema import (
    ChangeScore,
    ConditionScore,
    FormSpec,
    Item,
    LevelsScore,
    LookupScore,
    MeanScore,
    Score,
    SumScore,
)

NUMERIC_ITEM_TYPES = {"scale", "integer"}
CHOICE_ITEM_TYPES = {"single_choice", "yes_no"}


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str  # "item" | "score" | "baseline"
    position: int  # item index; scores after all items; baseline before them
    item: Item | None = None
    band_codes: frozenset[str] = frozenset()
    numeric: bool = False

    @property
    def codes(self) -> tuple[str, ...] | None:
        if self.item is None or self.item.type not in CHOICE_ITEM_TYPES | {"multi_choice"}:
            return None
        return option_codes(self.item)


@dataclass
class SymbolTable:
    symbols: dict[str, Symbol] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    # Item positions each score or flag depends on, directly or through others.
    score_items: dict[str, frozenset[int]] = field(default_factory=dict)
    flag_items: dict[str, frozenset[int]] = field(default_factory=dict)


def item_is_numeric(item: Item) -> bool:
    if item.type in NUMERIC_ITEM_TYPES:
        return True
    return item.type == "single_choice" and any(o.value is not None for o in item.options or ())


def build_symbols(spec: FormSpec) -> SymbolTable:
    table = SymbolTable()
    after_items = len(spec.items)
    if spec.baseline is not None:
        for name in spec.baseline.items:
            table.symbols[f"baseline.{name}"] = Symbol(
                f"baseline.{name}", "baseline", -1, numeric=True
            )
    for position, item in enumerate(spec.items):
        table.symbols[item.id] = Symbol(
            item.id,
            "item",
            position,
            item=item,
            band_codes=frozenset(b.code for b in item.bands or ()),
            numeric=item_is_numeric(item),
        )
    for score in spec.scores:
        bands = frozenset(b.code for b in score.bands or ())
        table.symbols.setdefault(
            score.id, Symbol(score.id, "score", after_items, band_codes=bands, numeric=True)
        )
    table.flags = {f.id for f in spec.flags}
    return table


# ---------------------------------------------------------------- dependencies


def score_dependencies(score: Score) -> tuple[set[str], set[str]]:
    """(names, flags) a score reads directly."""
    if isinstance(score, SumScore | MeanScore):
        return set(score.items), set()
    if isinstance(score, ConditionScore):
        return expression_dependencies(score.when)
    if isinstance(score, LookupScore | LevelsScore):
        return {score.of}, set()
    if isinstance(score, ChangeScore):
        return {score.followup}, set()
    raise AssertionError(score)  # pragma: no cover


def expression_dependencies(source: str) -> tuple[set[str], set[str]]:
    try:
        tree = ex.parse(source)
    except ex.ExpressionError:
        return set(), set()
    names: set[str] = set()
    flags: set[str] = set()
    flag_args = _flag_arguments(tree)
    for node in ex.walk(tree):
        if isinstance(node, ex.Name) and id(node) not in flag_args:
            names.add(node.name)
        if isinstance(node, ex.Call) and node.function == "flagged":
            flags.update(a.name for a in node.args if isinstance(a, ex.Name))
    return names, flags


def _flag_arguments(tree: ex.Node) -> set[int]:
    """The Name nodes that are arguments of flagged(...): flag ids, not item or score ids."""
    return {
        id(arg)
        for node in ex.walk(tree)
        if isinstance(node, ex.Call) and node.function == "flagged"
        for arg in node.args
    }


def resolve_dependencies(spec: FormSpec, table: SymbolTable) -> list[str]:
    """Fill in the item positions behind every score and flag; return any cycles."""
    graph: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for score in spec.scores:
        graph[("score", score.id)] = score_dependencies(score)
    for flag in spec.flags:
        graph[("flag", flag.id)] = expression_dependencies(flag.when)
    cycles: list[str] = []
    done: dict[tuple[str, str], frozenset[int]] = {}
    active: list[tuple[str, str]] = []

    def visit(node: tuple[str, str]) -> frozenset[int]:
        if node in done:
            return done[node]
        if node in active:
            loop = [*active[active.index(node) :], node]
            cycles.append(" -> ".join(f"{k} '{n}'" for k, n in loop))
            return frozenset()
        active.append(node)
        names, flags = graph[node]
        positions: set[int] = set()
        for name in names:
            symbol = table.symbols.get(name)
            if symbol is None:
                continue
            if symbol.kind == "item":
                positions.add(symbol.position)
            elif symbol.kind == "score" and ("score", name) in graph:
                positions |= visit(("score", name))
        for flag in flags:
            if ("flag", flag) in graph:
                positions |= visit(("flag", flag))
        active.pop()
        done[node] = frozenset(positions)
        return done[node]

    for node in graph:
        visit(node)
    for (kind, name), positions in done.items():
        (table.score_items if kind == "score" else table.flag_items)[name] = positions
    return cycles


def flags_before(table: SymbolTable, position: int) -> tuple[str, ...]:
    """Flags that depend only on items before ``position`` (what any_flag() covers)."""
    return tuple(
        sorted(name for name, items in table.flag_items.items() if items and max(items) < position)
    )


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class Scope:
    """Where an expression sits: ``position`` is the item it belongs to (None: anywhere)."""

    what: str  # e.g. "enable_when", "flag 'x'"
    position: int | None = None


def check_expression(tree: ex.Node, table: SymbolTable, scope: Scope) -> list[str]:
    """Every reason the expression is not acceptable here (empty when fine)."""
    errors: list[str] = []
    flag_args = _flag_arguments(tree)
    if not _is_condition(tree):
        errors.append(
            f"{_describe(tree)} alone is not a condition; compare it, e.g. {_example(tree)}"
        )
    for node in ex.walk(tree):
        if isinstance(node, ex.BoolOp | ex.Not):
            operands = node.operands if isinstance(node, ex.BoolOp) else (node.operand,)
            for operand in operands:
                if not _is_condition(operand) and operand is not tree:
                    errors.append(f"{_describe(operand)} alone is not a condition")
        elif isinstance(node, ex.Name) and id(node) not in flag_args:
            errors.extend(_check_name(node.name, table, scope))
        elif isinstance(node, ex.Call):
            errors.extend(_check_call(node, table, scope))
        elif isinstance(node, ex.Compare):
            errors.extend(_check_compare(node, table))
        elif isinstance(node, ex.OneOf):
            errors.extend(_check_one_of(node, table))
    return list(dict.fromkeys(errors))


def _is_condition(node: ex.Node) -> bool:
    if isinstance(node, ex.Literal):
        return isinstance(node.value, bool)
    if isinstance(node, ex.Call):
        return node.function in ex.BOOLEAN_FUNCTIONS
    return not isinstance(node, ex.Name)


def _describe(node: ex.Node) -> str:
    if isinstance(node, ex.Name):
        return f"'{node.name}'"
    if isinstance(node, ex.Call):
        return f"{node.function}(...)"
    if isinstance(node, ex.Literal):
        return repr(node.value)
    return "this part"


def _example(node: ex.Node) -> str:
    if isinstance(node, ex.Name):
        return f"{node.name} = 'yes'"
    return "band(anxiety) = 'high'"


def _check_name(name: str, table: SymbolTable, scope: Scope) -> list[str]:
    symbol = table.symbols.get(name)
    if symbol is None:
        if name.startswith("baseline."):
            return [f"'{name}' is not among the baseline items this form declares"]
        return [f"'{name}' is not an item or score of this form"]
    if scope.position is None or symbol.kind == "baseline":
        return []
    if symbol.kind == "item" and symbol.position >= scope.position:
        where = "is this question itself" if symbol.position == scope.position else "comes later"
        return [f"'{name}' {where}; a question can only depend on earlier answers"]
    if symbol.kind == "score":
        items = table.score_items.get(name, frozenset())
        if items and max(items) >= scope.position:
            return [f"score '{name}' uses answers that come later; it cannot decide this question"]
    return []


def _check_call(node: ex.Call, table: SymbolTable, scope: Scope) -> list[str]:
    args = node.args
    fn = node.function
    names = [a for a in args if isinstance(a, ex.Name)]
    if fn == "any_flag":
        if args:
            return ["any_flag() takes nothing between its brackets"]
        if scope.position is None:
            return ["any_flag() can only be used in enable_when; name the flags with flagged(...)"]
        return []
    if fn == "flagged":
        if not args or len(names) != len(args):
            return ["flagged(...) takes one or more flag ids, e.g. flagged(feel_unsafe)"]
        errors = []
        for arg in names:
            if arg.name not in table.flags:
                errors.append(f"'{arg.name}' is not a flag of this form")
            elif scope.position is not None:
                items = table.flag_items.get(arg.name, frozenset())
                if items and max(items) >= scope.position:
                    errors.append(
                        f"flag '{arg.name}' depends on answers that come later; "
                        "it cannot decide this question"
                    )
        return errors
    if not args or not isinstance(args[0], ex.Name):
        return [f"{fn}(...) needs an item id first, e.g. {fn}(main_concern)"]
    subject = table.symbols.get(args[0].name)
    if fn == "answered":
        return [] if len(args) == 1 else ["answered(...) takes exactly one item id"]
    if fn == "band":
        if len(args) != 1:
            return ["band(...) takes exactly one item or score id"]
        if subject is not None and not subject.band_codes:
            return [f"'{subject.name}' has no bands"]
        return []
    # includes(item, 'code', ...)
    codes = [a for a in args[1:] if isinstance(a, ex.Literal) and isinstance(a.value, str)]
    if len(args) < 2 or len(codes) != len(args) - 1:
        return ["includes(...) takes an item id and one or more option codes in quotes"]
    if subject is None:
        return []
    if subject.item is None or subject.item.type != "multi_choice":
        return [f"includes(...) is for multiple-choice items; '{subject.name}' is not one"]
    return _unknown_codes(subject, [str(c.value) for c in codes])


def _unknown_codes(symbol: Symbol, codes: Iterable[str]) -> list[str]:
    known = symbol.codes or ()
    return [
        f"'{code}' is not an option of '{symbol.name}' (options: {', '.join(known)})"
        for code in codes
        if code not in known
    ]


def _subject(node: ex.Node, table: SymbolTable) -> tuple[Symbol | None, bool]:
    """The symbol a comparison is about, and whether it is its band."""
    if isinstance(node, ex.Name):
        return table.symbols.get(node.name), False
    if isinstance(node, ex.Call) and node.function == "band" and node.args:
        first = node.args[0]
        if isinstance(first, ex.Name):
            return table.symbols.get(first.name), True
    return None, False


def _check_compare(node: ex.Compare, table: SymbolTable) -> list[str]:
    errors = []
    for side in (node.left, node.right):
        if not isinstance(side, ex.Name | ex.Literal) and not (
            isinstance(side, ex.Call) and side.function == "band"
        ):
            errors.append(f"cannot compare {_describe(side)}; compare an item, score or band")
    if errors:
        return errors
    symbol, is_band = _subject(node.left, table)
    other = node.right
    if symbol is None:
        symbol, is_band = _subject(node.right, table)
        other = node.left
    if symbol is None or not isinstance(other, ex.Literal):
        return []
    return _check_value(symbol, is_band, other.value, node.op)


def _check_one_of(node: ex.OneOf, table: SymbolTable) -> list[str]:
    symbol, is_band = _subject(node.subject, table)
    if symbol is None:
        if isinstance(node.subject, ex.Name | ex.Call):
            return []
        return ["'in (...)' must follow an item, score or band"]
    errors: list[str] = []
    for choice in node.choices:
        errors.extend(_check_value(symbol, is_band, choice.value, "="))
    return errors


def _check_value(symbol: Symbol, is_band: bool, value: object, op: str) -> list[str]:
    if is_band:
        if not isinstance(value, str) or value not in symbol.band_codes:
            codes = ", ".join(sorted(symbol.band_codes))
            return [f"{value!r} is not a band of '{symbol.name}' (bands: {codes})"]
        if op not in ("=", "!="):
            return ["bands can only be compared with = or !="]
        return []
    item = symbol.item
    if item is not None and item.type == "multi_choice":
        return [f"'{symbol.name}' is multiple choice; use includes({symbol.name}, 'code')"]
    if symbol.codes is not None:
        if op not in ("=", "!="):
            return [f"'{symbol.name}' is a choice; compare it with = or != (or 'in')"]
        if not isinstance(value, str):
            return [f"'{symbol.name}' is a choice; compare it with an option code in quotes"]
        return _unknown_codes(symbol, [value])
    if value == PREFER_NOT and op in ("=", "!="):
        return []
    if symbol.numeric:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return [f"'{symbol.name}' is a number; compare it with a number"]
        if item is not None and item.type == "scale":
            low, high = item.min, item.max
            if low is not None and high is not None and not low <= value <= high:
                return [f"{value} is outside the scale of '{symbol.name}' ({low} to {high})"]
    return []
