"""Print nalcoop's internal import edges (module -> module it imports, at the top or inside a function) and
the circles among them; exit 1 when there is a circle.

    python tools/import_graph.py            # the circles only, and a summary
    python tools/import_graph.py --edges    # every edge as well
    python tools/import_graph.py --units    # the graph between nalcoop's top-level modules and packages
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "nalcoop"


def modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def edges(known: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from a import b` imports the module a.b when there is one, else a name of a
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
            for target in targets:
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("nalcoop"):
                    if target == "nalcoop" and name.startswith("nalcoop."):
                        continue  # the package's __init__ (its version string): every module imports it implicitly
                    graph[name].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def units(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph folded to top-level units (nalcoop.interns.purge counts as interns; commands and ledger
    stay whole), without a unit's edges to itself."""
    def unit(name: str) -> str:
        parts = name.split(".")
        return parts[1] if len(parts) > 1 else parts[0]

    folded: dict[str, set[str]] = {}
    for name, targets in graph.items():
        folded.setdefault(unit(name), set()).update(unit(target) for target in targets)
    return {name: targets - {name} for name, targets in folded.items()}


def main(argv: list[str]) -> int:
    graph = edges(modules())
    if "--edges" in argv:
        for name in sorted(graph):
            for target in sorted(graph[name]):
                print(f"{name} -> {target}")
    if "--units" in argv:
        for unit, targets in sorted(units(graph).items()):
            print(f"{unit} -> {', '.join(sorted(targets)) or '(nothing of nalcoop)'}")
    found = circles(graph)
    for component in found:
        print("circle: " + " <-> ".join(component))
    print(f"{len(graph)} modules, {sum(len(targets) for targets in graph.values())} edges, {len(found)} circles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
