"""A parsed expression (:mod:`kiosk.engine.expressions`) compiled into a closure that
reads the response being evaluated through :class:`Context`.

An unanswered item compares unequal to everything: ``=``, ``<``, ``in`` and
friends are false, ``!=`` and ``not in`` are true.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kiosk.engine.expressions import (
    BoolOp,
    Call,
    Compare,
    Literal,
    Name,
    Node,
    Not,
    OneOf,
    Value,
)


class Context(Protocol):
    """What a compiled expression may ask of the response being evaluated."""

    def value(self, name: str) -> Value: ...

    def flagged(self, flag_id: str) -> bool: ...

    def band(self, name: str) -> str | None: ...


Compiled = Callable[[Context], Value]


def compile_expression(node: Node, any_flag_ids: tuple[str, ...] = ()) -> Compiled:
    """Turn a checked tree into a closure. ``any_flag_ids``: what any_flag() covers."""
    if isinstance(node, Literal):
        constant = node.value
        return lambda ctx: constant
    if isinstance(node, Name):
        name = node.name
        return lambda ctx: ctx.value(name)
    if isinstance(node, Not):
        inner = compile_expression(node.operand, any_flag_ids)
        return lambda ctx: not inner(ctx)
    if isinstance(node, BoolOp):
        parts = [compile_expression(o, any_flag_ids) for o in node.operands]
        if node.op == "and":
            return lambda ctx: all(p(ctx) for p in parts)
        return lambda ctx: any(p(ctx) for p in parts)
    if isinstance(node, OneOf):
        subject = compile_expression(node.subject, any_flag_ids)
        choices = frozenset(c.value for c in node.choices)
        if node.negated:
            return lambda ctx: _hashable(subject(ctx)) not in choices
        return lambda ctx: _hashable(subject(ctx)) in choices
    if isinstance(node, Compare):
        return _compile_compare(node, any_flag_ids)
    return _compile_call(node, any_flag_ids)


def _hashable(value: Value) -> object:
    return tuple(value) if isinstance(value, list) else value


def _compile_compare(node: Compare, any_flag_ids: tuple[str, ...]) -> Compiled:
    left = compile_expression(node.left, any_flag_ids)
    right = compile_expression(node.right, any_flag_ids)
    op = node.op
    if op == "=":
        return lambda ctx: _equal(left(ctx), right(ctx))
    if op == "!=":
        return lambda ctx: not _equal(left(ctx), right(ctx))
    order = _ORDERINGS[op]

    def compare(ctx: Context) -> bool:
        a, b = left(ctx), right(ctx)
        if not (_is_number(a) and _is_number(b)):
            return False
        return order(a, b)  # type: ignore[arg-type]

    return compare


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return False
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


_ORDERINGS: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compile_call(node: Call, any_flag_ids: tuple[str, ...]) -> Compiled:
    names = [a.name for a in node.args if isinstance(a, Name)]
    if node.function == "answered":
        item = names[0]
        return lambda ctx: ctx.value(item) is not None
    if node.function == "includes":
        item = names[0]
        codes = frozenset(a.value for a in node.args[1:] if isinstance(a, Literal))

        def includes(ctx: Context) -> bool:
            chosen = ctx.value(item)
            return isinstance(chosen, list) and not codes.isdisjoint(chosen)

        return includes
    if node.function == "flagged":
        flags = tuple(names)
        return lambda ctx: any(ctx.flagged(f) for f in flags)
    if node.function == "any_flag":
        flags = any_flag_ids
        return lambda ctx: any(ctx.flagged(f) for f in flags)
    subject = names[0]
    return lambda ctx: ctx.band(subject)
