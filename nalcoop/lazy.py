"""A package whose public names are loaded from its modules on first use (PEP 562).

An activity package keeps every public name (`nalcoop.agreements.status_rows`), but a command that lists
agreements has no use for the workbook import, the registry's recording functions or the statistics'
charts: importing them all costs every run a few milliseconds (their dataclasses alone). So the package's
`__init__` names, module by module, what each module provides, and `exports` gives it the `__getattr__`
that imports a module the first time one of its names is asked for (binding all of that module's names in
the package, so later uses cost nothing), the `__dir__` that lists them, and the `__all__`.

A module whose name is also one of the package's public names (an activity's `stats` module and its
`stats()` function): Python's import sets the package's attribute to a module when the module is first
imported, which would leave `agreements.stats` pointing at the module rather than at the function. The
package's class therefore keeps such a name for the function: the module stays reachable as
`sys.modules["nalcoop.agreements.stats"]` (and `from nalcoop.agreements.stats import ...` works as ever).

Standard library only: every activity package imports this at start.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable


class _Package(types.ModuleType):
    """A package whose public names win over its modules of the same name (see above)."""

    _public_over_modules: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in self._public_over_modules:
            return  # the import system binding the module `stats`: the package's `stats` stays the function
        super().__setattr__(name, value)


def exports(package: str, provided: dict[str, tuple[str, ...]]) -> tuple[Callable, Callable, list[str]]:
    """(__getattr__, __dir__, __all__) for `package`, whose modules provide the names `provided` lists
    (module -> names; a name starting with _ is reachable but not public)."""
    owner = {name: module for module, names in provided.items() for name in names}
    package_module = sys.modules[package]
    namespace = package_module.__dict__

    def load(module: str) -> None:
        loaded = importlib.import_module(f"{package}.{module}")
        for name in provided[module]:
            namespace[name] = getattr(loaded, name)

    def __getattr__(name: str):
        module = owner.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")  # not a message
        load(module)
        return namespace[name]

    def __dir__() -> list[str]:
        return sorted({*namespace, *owner})

    package_module.__class__ = _Package
    package_module._public_over_modules = frozenset(module for module in provided if module in owner)
    return __getattr__, __dir__, [name for name in owner if not name.startswith("_")]
