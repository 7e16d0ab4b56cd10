"""One root for known errors, one base per layer, and no known error that is also a bug's type.

Every exception class defined under ``kiosk/`` either derives from
``kiosk.errors.KnownError`` (through its layer's one base), is private (its name starts
with ``_``: control flow inside one module), or is in the commented allow-list below.
None derives from ``ValueError``, ``TypeError``, ``KeyError`` or another built-in error:
code that catches a known error must never also catch a bug.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest

import kiosk
from kiosk.errors import KnownError

# Modules that do something when imported, not only define things.
NOT_IMPORTED = {
    "kiosk.__main__",  # runs the command line
    "kiosk.clinic.migrations.env",  # runs under Alembic only
    "kiosk.store.migrations.env",
}

ALLOWED = {
    # Control flow inside kiosk.reports: fhir_questionnaire catches it and keeps the
    # condition as text. It never leaves the package.
    "kiosk.reports.fhir_enable_when.Untranslatable",
}

# Built-in classes a product exception may have among its ancestors.
PLAIN = {BaseException, Exception, object}


def _modules() -> list[ModuleType]:
    found = [kiosk]
    for info in pkgutil.walk_packages(kiosk.__path__, prefix="kiosk."):
        if info.name in NOT_IMPORTED or ".migrations.versions." in info.name:
            continue
        found.append(importlib.import_module(info.name))
    return found


def _exception_classes() -> dict[str, type[BaseException]]:
    classes: dict[str, type[BaseException]] = {}
    for module in _modules():
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                classes[f"{value.__module__}.{value.__qualname__}"] = value
    return classes


CLASSES = _exception_classes()


def _layer(cls: type) -> str:
    return ".".join(cls.__module__.split(".")[:2])


def test_the_walk_finds_the_product_errors() -> None:
    # Guards the test itself: a walk that imported nothing would pass everything.
    for name in (
        "kiosk.errors.KnownError",
        "kiosk.engine.errors.FormError",
        "kiosk.site.tomlfile.SettingsError",
        "kiosk.store.pin.WeakPinError",
        "kiosk.console.client.ConsoleError",
        "kiosk.reports.board.compute.BoardReportError",
    ):
        assert name in CLASSES


def test_every_exception_is_known_private_or_allowed() -> None:
    strays = [
        name
        for name, cls in CLASSES.items()
        if not issubclass(cls, KnownError)
        and not cls.__name__.startswith("_")
        and name not in ALLOWED
    ]
    assert strays == [], (
        "derive these from their layer's base error (kiosk.errors.KnownError below it), "
        "make them private to one module, or allow them here with a reason"
    )


def test_the_allow_list_holds_only_what_needs_it() -> None:
    assert (
        sorted(
            name for name in ALLOWED if name not in CLASSES or issubclass(CLASSES[name], KnownError)
        )
        == []
    )


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_no_product_exception_is_a_builtin_error_too(name: str) -> None:
    cls = CLASSES[name]
    builtin_ancestors = [
        base.__name__
        for base in cls.__mro__
        if base.__module__ == builtins.__name__ and base not in PLAIN
    ]
    assert builtin_ancestors == [], f"{name} derives from {builtin_ancestors}"


def test_each_layer_has_one_base_error() -> None:
    bases: dict[str, list[str]] = {}
    for name, cls in CLASSES.items():
        if KnownError in cls.__bases__:
            bases.setdefault(_layer(cls), []).append(name)
    assert {layer: names for layer, names in bases.items() if len(names) > 1} == {}
    for name, cls in CLASSES.items():
        if issubclass(cls, KnownError) and cls is not KnownError:
            [base] = bases[_layer(cls)]
            assert issubclass(cls, CLASSES[base]), f"{name} is not under {base}"


def test_each_layers_tree_names_its_known_errors() -> None:
    """The tree in the layer's package docstring (or its errors module's) stays whole."""
    missing = []
    for name, cls in CLASSES.items():
        if not issubclass(cls, KnownError) or cls is KnownError:
            continue
        layer = _layer(cls)
        drawn = importlib.import_module(layer).__doc__ or ""
        with contextlib.suppress(ModuleNotFoundError):
            drawn += importlib.import_module(f"{layer}.errors").__doc__ or ""
        if cls.__name__ not in drawn:
            missing.append(name)
    assert missing == [], "add these to the tree in their layer's package docstring"
