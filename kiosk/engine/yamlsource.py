"""Read YAML into plain Python values while remembering the line of every node.

Form authors are clinicians, so every fault must point at a line. PyYAML's
composer keeps a mark on each node; we build the values ourselves from the
node tree and keep a table from *path* (a tuple of keys and list indexes) to
line number.

Two deliberate departures from PyYAML's defaults:

* ``yes``/``no``/``on``/``off`` stay strings (YAML 1.2 behaviour). Answer codes
  such as ``yes`` and ``no`` must never turn into booleans.
* A key repeated in one mapping is an error, not a silent overwrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C parser is much faster; fall back where libyaml is missing
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]

from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from kiosk.engine.errors import EngineError, Problem
from kiosk.engine.yamllimits import MAX_DEPTH, LimitExceeded, check_limits

Path = tuple[str | int, ...]


class _Yaml12Resolver(Resolver):
    """The default resolver without YAML 1.1's yes/no/on/off booleans."""


_Yaml12Resolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Yaml12Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


if _Parser.__module__ == "yaml.parser":  # pragma: no cover - pure-Python PyYAML

    class _Loader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        _Parser,
        Composer,
        SafeConstructor,
        _Yaml12Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            _Parser.__init__(self)  # type: ignore[call-arg]
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            _Yaml12Resolver.__init__(self)

else:

    class _Loader(_Parser, SafeConstructor, _Yaml12Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Yaml12Resolver.__init__(self)


@dataclass
class Located:
    """A YAML document as plain values plus the line of every path in it."""

    path: str
    value: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, location: Path) -> int:
        """The line of ``location``, or of its nearest ancestor that has one."""
        loc = tuple(location)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def problem(self, location: Path, message: str) -> Problem:
        return Problem(self.path, self.line_of(location), message)


def load_yaml(text: str, path: str) -> Located:
    """Parse ``text``; raise FormError-ready problems as ``YamlProblems``.

    The project's own limits (size, nesting, anchors) are checked on the text
    first, so their messages do not depend on the installed parser."""
    try:
        check_limits(text, path)
    except LimitExceeded as exc:
        raise YamlProblems([exc.problem]) from None
    try:
        loader = _Loader(text)  # the pure-Python reader checks every character here
    except yaml.YAMLError as exc:
        raise YamlProblems([_syntax_problem(exc, text, path)]) from None
    try:
        _check_depth(loader, path)
        loader.dispose()
        loader = _Loader(text)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise YamlProblems([_syntax_problem(exc, text, path)]) from None
    except RecursionError:
        raise YamlProblems([Problem(path, 1, "YAML syntax error: nested too deeply")]) from None
    finally:
        loader.dispose()
    located = Located(path, None)
    if node is None:
        located.lines[()] = 1
        return located
    problems: list[Problem] = []
    try:
        located.value = _build(node, (), located, loader, problems)
    except _TooLarge:
        message = f"the file expands to more than {MAX_NODES} values (repeated anchors?)"
        raise YamlProblems([Problem(path, 1, message)]) from None
    except RecursionError:
        message = "the file is nested too deeply (or an anchor refers to itself)"
        raise YamlProblems([Problem(path, 1, message)]) from None
    if problems:
        raise YamlProblems(problems)
    return located


def _syntax_problem(exc: yaml.YAMLError, text: str, path: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or "invalid YAML"
        return Problem(path, line, f"YAML syntax error: {what}")
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        # A control character: its position counts bytes or characters, depending on the
        # parser, so find the line of the character itself.
        at = text.find(chr(exc.character))
        line = text.count("\n", 0, at) + 1 if at >= 0 else 1
        return Problem(
            path,
            line,
            f"YAML syntax error: character U+{exc.character:04X} is not allowed in a form file",
        )
    return Problem(path, 1, f"YAML syntax error: {exc}")


def _check_depth(loader: _Loader, path: str) -> None:
    """Refuse absurdly deep nesting before composing (reads events only: no recursion).

    ``check_limits`` has already refused it on the text; this exact count from the
    parser's events is the second line, for structures the text scan reads loosely.
    (The C composer recurses per level and would crash the process.)"""
    depth = 0
    while loader.check_event():
        event = loader.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark is not None else 1
                message = f"YAML syntax error: nested more than {MAX_DEPTH} levels deep"
                raise YamlProblems([Problem(path, line, message)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class YamlProblems(EngineError):
    """Internal: problems found while reading YAML (the loader turns them into FormError)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


MAX_NODES = 200_000
"""More nodes than any real form has; stops anchor/alias bombs expanding forever."""


class _TooLarge(Exception):
    """Internal control flow: caught in this module and reported as a Problem."""


def _build(
    node: yaml.Node, path: Path, located: Located, loader: _Loader, problems: list[Problem]
) -> Any:
    if len(located.lines) > MAX_NODES:
        raise _TooLarge
    located.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(located.path, key_node.start_mark.line + 1, "a key must be plain text")
                )
                continue
            try:
                key = loader.construct_object(key_node, deep=True)  # deep: `? !!omap x` fails now
            except Exception:  # any tag PyYAML cannot build (!!int without digits: IndexError)
                problems.append(
                    Problem(located.path, key_node.start_mark.line + 1, "cannot read this key")
                )
                continue
            if isinstance(key, bool) or key is None:
                key = key_node.value
            if key in result:
                problems.append(
                    Problem(
                        located.path,
                        key_node.start_mark.line + 1,
                        f"key '{key}' appears twice in the same block",
                    )
                )
                continue
            result[key] = _build(value_node, (*path, key), located, loader, problems)
            # Point at the key rather than the value: that is where a reader looks.
            located.lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*path, index), located, loader, problems)
            for index, child in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(
            Problem(located.path, node.start_mark.line + 1, f"cannot read value: {exc.problem}")
        )
        return None
    except Exception as exc:  # !!float abc, !!timestamp 2023-02-30, !!int with no digits
        problems.append(
            Problem(located.path, node.start_mark.line + 1, f"cannot read value: {exc}")
        )
        return None
