"""The house's layers: nalcoop's import graph has no circle, and the ledger imports nothing above it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "import_graph.py"

# What the ledger package may import from outside itself: the foundations every layer shares. nalcoop.i18n is
# one of them (issue 17): the ledger's errors and the problems `nalcoop check` lists speak the run's language
# through `_()`, and i18n imports nothing of nalcoop, so no circle can pass through it.
LEDGER_MAY_IMPORT = {"nalcoop.errors", "nalcoop.settings", "nalcoop.progress", "nalcoop.i18n"}


def _graph():
    spec = importlib.util.spec_from_file_location("import_graph", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("import_graph", module)
    spec.loader.exec_module(module)
    return module, module.edges(module.modules())


def test_the_import_graph_of_nalcoop_has_no_circle():
    module, graph = _graph()
    assert module.circles(graph) == []


def test_the_ledger_imports_nothing_above_it():
    _, graph = _graph()
    upward = sorted(f"{name} -> {target}" for name, targets in graph.items() if name.startswith("nalcoop.ledger")
                    for target in targets
                    if not target.startswith("nalcoop.ledger") and target not in LEDGER_MAY_IMPORT)
    assert upward == []
