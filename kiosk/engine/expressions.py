"""A small, safe expression language for ``enable_when``, flags and conditions.

It is parsed by hand into a tree and compiled into closures; nothing is ever
passed to Python's ``eval``. Grammar::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand [("=" | "!=" | "<" | "<=" | ">" | ">=") operand
                           | ["not"] "in" "(" literal ("," literal)* ")"]
    operand    := NAME | NUMBER | STRING | "true" | "false"
                | NAME "(" [operand ("," operand)*] ")" | "(" expr ")"

Names are item ids, score ids, or ``baseline.ID`` for a linked baseline
response. Functions: ``answered(item)``, ``includes(item, 'code', ...)``,
``flagged(flag, ...)``, ``any_flag()``, ``band(item_or_score)``.

A parsed tree is compiled into a closure by :mod:`kiosk.engine.evaluation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.engine.errors import EngineError

Value = str | int | float | bool | list[str] | None


class ExpressionError(EngineError):
    """The expression cannot be parsed. ``column`` is 1-based.

    The form checks report it as a :class:`~kiosk.engine.errors.FormError` at the
    condition's line; the FHIR export catches it and keeps the condition as text."""

    def __init__(self, message: str, column: int) -> None:
        self.message = message
        self.column = column
        super().__init__(f"{message} (at column {column})")


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class Literal:
    value: str | int | float | bool
    column: int


@dataclass(frozen=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]
    column: int


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node
    column: int


@dataclass(frozen=True)
class OneOf:
    subject: Node
    choices: tuple[Literal, ...]
    negated: bool
    column: int


@dataclass(frozen=True)
class Not:
    operand: Node
    column: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]
    column: int


Node = Literal | Name | Call | Compare | OneOf | Not | BoolOp

FUNCTIONS = {
    "answered": "answered(ITEM): true when the item has any answer",
    "includes": "includes(ITEM, 'code', ...): a multiple-choice item has any of these codes",
    "flagged": "flagged(FLAG, ...): any of these flags is raised",
    "any_flag": "any_flag(): any flag raised by earlier questions",
    "band": "band(ITEM_OR_SCORE): the band code, e.g. band(anxiety) = 'high'",
}
BOOLEAN_FUNCTIONS = {"answered", "includes", "flagged", "any_flag"}

# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^'\\]*'|"[^"\\]*")
      | (?P<name>(?:baseline\.)?[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>!=|<=|>=|==|=|<|>|\(|\)|,)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in", "true", "false"}
MAX_LENGTH = 2000


@dataclass(frozen=True)
class _Token:
    kind: str  # number | string | name | op | end
    text: str
    column: int


def _tokenise(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None or match.lastgroup is None:
            column = pos + len(source[pos:]) - len(source[pos:].lstrip()) + 1
            char = source[column - 1]
            if char in "'\"":
                raise ExpressionError("text in quotes is not closed", column)
            raise ExpressionError(f"unexpected character {char!r}", column)
        kind = match.lastgroup
        text = match.group(kind)
        tokens.append(_Token(kind, text, match.start(kind) + 1))
        pos = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenise(source)
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        return token.kind == kind and (text is None or token.text == text)

    def at_keyword(self, word: str) -> bool:
        return self.at("name", word)

    def expect(self, text: str) -> _Token:
        token = self.peek()
        if token.text != text or token.kind not in ("op", "name"):
            found = "the end" if token.kind == "end" else repr(token.text)
            raise ExpressionError(f"expected '{text}' but found {found}", token.column)
        return self.take()

    def parse(self) -> Node:
        node = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r}", token.column)
        return node

    def or_expr(self) -> Node:
        first = self.and_expr()
        operands = [first]
        while self.at_keyword("or"):
            self.take()
            operands.append(self.and_expr())
        return first if len(operands) == 1 else BoolOp("or", tuple(operands), _column(first))

    def and_expr(self) -> Node:
        first = self.not_expr()
        operands = [first]
        while self.at_keyword("and"):
            self.take()
            operands.append(self.not_expr())
        return first if len(operands) == 1 else BoolOp("and", tuple(operands), _column(first))

    def not_expr(self) -> Node:
        if self.at_keyword("not"):
            token = self.take()
            return Not(self.not_expr(), token.column)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.peek()
        if token.kind == "op" and token.text in ("=", "==", "!=", "<", "<=", ">", ">="):
            self.take()
            op = "=" if token.text == "==" else token.text
            return Compare(op, left, self.operand(), token.column)
        negated = False
        if self.at_keyword("not") and self.tokens[self.pos + 1].text == "in":
            self.take()
            negated = True
        if self.at_keyword("in"):
            in_token = self.take()
            self.expect("(")
            choices = [self.literal()]
            while self.at("op", ","):
                self.take()
                choices.append(self.literal())
            self.expect(")")
            return OneOf(left, tuple(choices), negated, in_token.column)
        return left

    def literal(self) -> Literal:
        node = self.operand()
        if not isinstance(node, Literal):
            raise ExpressionError("only fixed values may be listed after 'in'", _column(node))
        return node

    def operand(self) -> Node:
        token = self.take()
        if token.kind == "number":
            number: int | float = float(token.text) if "." in token.text else int(token.text)
            return Literal(number, token.column)
        if token.kind == "string":
            return Literal(token.text[1:-1], token.column)
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Literal(token.text == "true", token.column)
            if token.text in KEYWORDS:
                raise ExpressionError(f"'{token.text}' cannot start a value", token.column)
            if self.at("op", "("):
                return self.call(token)
            return Name(token.text, token.column)
        if token.kind == "op" and token.text == "(":
            self.depth += 1
            if self.depth > 50:
                raise ExpressionError("brackets nested too deeply", token.column)
            node = self.or_expr()
            self.expect(")")
            self.depth -= 1
            return node
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        raise ExpressionError(f"expected a value but found {found}", token.column)

    def call(self, name: _Token) -> Node:
        if name.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"unknown function '{name.text}' (known: {known})", name.column)
        self.expect("(")
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.operand())
            while self.at("op", ","):
                self.take()
                args.append(self.operand())
        self.expect(")")
        return Call(name.text, tuple(args), name.column)


def _column(node: Node) -> int:
    return node.column


def parse(source: str) -> Node:
    """Parse an expression; raise ExpressionError with a column on bad syntax."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not source.strip():
        raise ExpressionError("the expression is empty", 1)
    return _Parser(source).parse()


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    out: list[Node] = [node]
    children: tuple[Node, ...] = ()
    if isinstance(node, Call):
        children = node.args
    elif isinstance(node, Compare):
        children = (node.left, node.right)
    elif isinstance(node, OneOf):
        children = (node.subject, *node.choices)
    elif isinstance(node, Not):
        children = (node.operand,)
    elif isinstance(node, BoolOp):
        children = node.operands
    for child in children:
        out.extend(walk(child))
    return out
