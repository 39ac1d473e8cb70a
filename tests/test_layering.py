"""The house's layering, read from the source with `ast`: dependencies point down the spine.

- no import cycles between modules (every import counts, lazy ones inside functions too);
- the language layer imports only the AST, the vocabulary, the limits and the errors;
- nothing in the library imports the command line (`cli`, `commands`): only `__main__` and
  `cli` itself do;
- no module imports a private name (`_x`) from another module.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

PKG = pathlib.Path(__file__).resolve().parent.parent / "tutor"


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, pathlib.Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py")}


MODULES = _modules()


def _resolve(current: str, is_package: bool, level: int, module: str | None) -> str:
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _imports(name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(imported module, names taken from it) for every import statement in a module."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = (_resolve(name, is_package, node.level, node.module) if node.level
                      else node.module or "")
            names = tuple(a.name for a in node.names)
            if not target.startswith("tutor"):
                continue
            # `from . import x` imports the submodule x when there is one
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if subs:
                out.extend((s, ()) for s in subs)
                rest = tuple(n for n in names if f"{target}.{n}" not in MODULES)
                if rest:
                    out.append((target, rest))
            else:
                out.append((target, names))
        elif isinstance(node, ast.Import):
            out.extend((a.name, ()) for a in node.names if a.name.startswith("tutor"))
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name in MODULES:
        deps = set()
        for target, _ in _imports(name):
            if target in MODULES and target != name:
                deps.add(target)
        graph[name] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative enough here)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _is_ancestor_package(a: str, b: str) -> bool:
    """A package's __init__ re-exporting its own submodules is not a cycle of the design."""
    return b.startswith(a + ".") or a.startswith(b + ".")


def test_no_import_cycles():
    graph = _graph()
    # a package __init__ may import its submodules and they may import siblings through it
    # only by its re-exports; count the edge from a package to its own submodule as structure
    pruned = {v: {w for w in ws if not _is_ancestor_package(v, w)} for v, ws in graph.items()}
    assert _cycles(pruned) == []


LANGUAGE_MAY_IMPORT = {"tutor.expr", "tutor.vocabulary", "tutor.limits", "tutor.errors", "tutor.exact"}


def test_language_layer_imports_only_the_ast_and_errors():
    bad = {}
    for name in MODULES:
        if not name.startswith("tutor.language"):
            continue
        for target, _ in _imports(name):
            if target.startswith("tutor.language") or target in LANGUAGE_MAY_IMPORT:
                continue
            bad.setdefault(name, set()).add(target)
    assert bad == {}


def test_only_the_cli_imports_the_cli():
    edge = {"tutor.cli", "tutor.commands", "tutor.__main__"}
    bad = {}
    for name in MODULES:
        if name in edge:
            continue
        for target, _ in _imports(name):
            if target in edge:
                bad.setdefault(name, set()).add(target)
    assert bad == {}


def test_no_private_names_cross_modules():
    bad = {}
    for name in MODULES:
        for target, names in _imports(name):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != name and target != "tutor._deep":
                bad.setdefault(name, set()).update(f"{target}.{n}" for n in private)
    assert bad == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_states_its_job(name):
    doc = ast.get_docstring(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    assert doc, f"{name} has no docstring"


def test_library_call_does_not_load_argparse():
    import subprocess
    import sys
    code = ("import sys, tutor; tutor.dual_trace('x*y', 'x', 'x=1,y=2'); "
            "tutor.check('x^2', '2x'); tutor.differentiate('x^2').to_latex(); "
            "assert 'argparse' not in sys.modules, 'argparse'; "
            "assert 'tutor.cli' not in sys.modules, 'cli'; assert 'sympy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PKG.parent)
