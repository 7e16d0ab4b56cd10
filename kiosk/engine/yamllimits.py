"""The project's own limits on a form file, checked on its text before any YAML parser.

A form file may come from a site's own folder or over the network from the
clinic, so a hostile or broken one must be refused with a message that names
the line and says what is wrong, in our words, whatever the installed PyYAML
or libyaml does. (libyaml 0.2.5 and PyYAML 6.0.4 refuse deep nesting
themselves, with their own message and their own limit; an older one crashes
the process instead.) So the limits below are checked by reading the text
alone:

* size: at most ``MAX_FILE_BYTES`` of UTF-8;
* nesting: at most ``MAX_DEPTH`` levels of block indentation, ``- `` entries
  and ``[``/``{`` flow collections together;
* anchors and aliases: at most ``MAX_ANCHORS`` of each.

The scan is a small tokenizer, not a YAML parser: it knows comments, quoted
scalars (which may span lines) and block scalars (``|``, ``>``), which is
enough to count structure without being fooled by brackets inside text. It
may overcount in odd files, never by much; the parser-level checks in
``yamlsource`` (exact depth from events, expansion of aliases) stay behind it.
"""

from __future__ import annotations

import re

from kiosk.engine.errors import EngineError, Problem

MAX_FILE_BYTES = 2_000_000
"""A form of 50 questions in six languages is under 100 kB."""
MAX_DEPTH = 100
"""Far deeper than any form (the shipped ones nest 7 levels)."""
MAX_ANCHORS = 1000
"""Anchors (``&name``) and aliases (``*name``), each; the shipped forms use none."""

_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][0-9+-]*\s*(?:#.*)?$")
_SCALAR_START = frozenset(":-?[{,")


class LimitExceeded(EngineError):
    """A form file breaks one of the limits above; ``problem`` names the line.

    Only :func:`kiosk.engine.yamlsource.load_yaml` catches it, and reports it as a
    :class:`~kiosk.engine.errors.FormError` like every other fault of the file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def check_limits(text: str, path: str) -> None:
    """Raise LimitExceeded if ``text`` is too large, too deep or has too many anchors."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise LimitExceeded(
            Problem(path, 1, f"the file is {size} bytes; a form file must be under 2 MB")
        )
    _Scan(path).run(text)


class _Scan:
    def __init__(self, path: str) -> None:
        self.path = path
        self.indents: list[int] = []  # block indentation levels open at this point
        self.flow = 0  # [ and { open at this point
        self.quote = ""  # the quote character of a scalar that is still open
        self.block_scalar_indent: int | None = None  # lines deeper than this are text
        self.anchors = 0
        self.aliases = 0

    def run(self, text: str) -> None:
        for number, line in enumerate(text.split("\n"), start=1):
            self._line(line.rstrip("\r"), number)

    def _line(self, line: str, number: int) -> None:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if self.block_scalar_indent is not None:
            if not stripped or indent > self.block_scalar_indent:
                return  # a line of a | or > block: text, not structure
            self.block_scalar_indent = None
        if not stripped or stripped.startswith("#"):
            return
        if stripped.startswith(("---", "...")) and indent == 0 and not self.quote:
            self.indents, self.flow = [], 0  # a new document starts afresh
            return
        start = indent
        if not self.quote and self.flow == 0:
            while self.indents and self.indents[-1] > indent:
                self.indents.pop()
            if not self.indents or self.indents[-1] < indent:
                self.indents.append(indent)
            # `- - - x` opens a sequence per dash on one line.
            while stripped[:2] in ("- ", "? ") or stripped in ("-", "?"):
                self.indents.append(indent := indent + 2)
                stripped = stripped[2:].lstrip(" ")
                start = len(line) - len(stripped)
            self._depth(number)
        self._characters(line, start, number, indent)

    def _characters(self, line: str, start: int, number: int, indent: int) -> None:
        previous = ""  # the last character that was not a space, on this line
        at = start
        while at < len(line):
            char = line[at]
            if self.quote:
                if self.quote == '"' and char == "\\":
                    at += 2
                    continue
                if char == self.quote:
                    if self.quote == "'" and line[at + 1 : at + 2] == "'":
                        at += 2  # '' is an apostrophe inside a single-quoted scalar
                        continue
                    self.quote = ""
                    previous = char
                at += 1
                continue
            starts_scalar = previous in _SCALAR_START or previous == ""
            if char == "#" and (at == 0 or line[at - 1] in " \t"):
                break
            if char in "'\"" and starts_scalar:
                self.quote = char
            elif char in "[{" and (starts_scalar or self.flow):
                self.flow += 1
                self._depth(number)
            elif char in "]}" and self.flow:
                self.flow -= 1
            elif char in "&*" and starts_scalar:
                self._anchor(char, number)
            if char not in " \t":
                previous = char
            at += 1
        if not self.quote and self.flow == 0 and _BLOCK_SCALAR.search(line[start:]):
            self.block_scalar_indent = indent

    def _depth(self, number: int) -> None:
        if len(self.indents) + self.flow > MAX_DEPTH:
            raise LimitExceeded(
                Problem(
                    self.path,
                    number,
                    f"YAML syntax error: nested more than {MAX_DEPTH} levels deep",
                )
            )

    def _anchor(self, char: str, number: int) -> None:
        if char == "&":
            self.anchors += 1
            count, what = self.anchors, "anchors (&name)"
        else:
            self.aliases += 1
            count, what = self.aliases, "aliases (*name)"
        if count > MAX_ANCHORS:
            raise LimitExceeded(
                Problem(self.path, number, f"the file has more than {MAX_ANCHORS} {what}")
            )
