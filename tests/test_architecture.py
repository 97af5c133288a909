"""The shape of the package: layers imported one way, no cycles, no private names across modules.

The layers, lowest first (a module may import its own layer and the layers below it):

0. ``_version``, ``errors``, ``_words``, ``_format``, ``_spreadsheet``, ``_sentences``, ``_checks``,
   ``_progress``: leaves
1. ``instruments``: the registry of measures
2. ``schema``, ``privacy``: the data contract; identifier scan, anonymizer, suppression (on frames)
3. ``io``, ``effects``: reading files into SessionData; statistics on arrays
4. ``summary``, ``datasets``, ``progress``: per-group summaries; synthetic data and the samples;
   mixed-effects trajectories
5. ``literature``: published effects and the comparison
6. ``analysis``: one practice's analysis, computed once
7. ``plots``: figures that draw what the analysis computed
8. ``reporting``: the practice and grant reports
9. ``cli``: wiring
10. the package's face (``outcomes/__init__``, ``__main__``) and deprecated aliases

Every ``import`` statement counts, wherever it stands (module level, in a function, or
under ``TYPE_CHECKING``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "outcomes"

LAYERS = {
    "_version": 0,
    "errors": 0,
    "_words": 0,
    "_checks": 0,
    "_progress": 0,
    "_format": 0,
    "_spreadsheet": 0,
    "_sentences": 0,
    "instruments": 1,
    "schema": 2,
    "privacy": 2,
    "io": 3,
    "effects": 3,
    "summary": 4,
    "datasets": 4,
    "progress": 4,
    "literature": 5,
    "analysis": 6,
    "plots": 7,
    "reporting": 8,
    "cli": 9,
    "network": 9,
    "__init__": 10,
    "__main__": 10,
    "synthetic": 10,  # deprecated alias of datasets
}
#: Modules may be longer than this only with a reason given here.
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        out[".".join(("outcomes", *parts))] = path
    return out


MODULES = _modules()


def _package_of(module: str, path: Path) -> str:
    """The dotted package a relative import in ``module`` starts from."""
    return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """Every import of the package's own modules in ``module``: (target module, names, line)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(module, path).split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("outcomes"):
                continue
            names = [a.name for a in node.names]
            # "from . import effects": the names may be modules themselves
            submodules = [
                n for n in names if f"{target}.{n}" in MODULES or f"{target}.{n}.__init__" in MODULES
            ]
            for n in submodules:
                out.append((f"{target}.{n}", [], node.lineno))
            rest = [n for n in names if n not in submodules]
            if rest:
                out.append((target, rest, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("outcomes")]
    return out


def _layer(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS[key]


def _resolve(target: str) -> str:
    """The module file behind an import target (a package means its ``__init__``)."""
    return target if target in MODULES else f"{target}.__init__"


def test_every_module_has_a_layer():
    missing = sorted({m.split(".")[1] for m in MODULES if len(m.split(".")) > 1} - set(LAYERS))
    assert not missing, f"modules without a layer in this test: {missing}"


def test_imports_run_down_the_layers():
    wrong = []
    for module, path in MODULES.items():
        for target, _, line in _imports(module, path):
            if _layer(target) > _layer(module):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def test_no_import_cycles():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _, _ in _imports(module, path):
            resolved = _resolve(target)
            if resolved != module and resolved in MODULES:
                graph[module].add(resolved)
    # a package's __init__ re-exports its modules: importing a package reaches them
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(MODULES):
        if node not in seen:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_private_name_is_imported_from_another_module():
    """A helper two modules need is a public name of the module where it belongs."""
    wrong = []
    for module, path in MODULES.items():
        for target, names, line in _imports(module, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and _resolve(target) != module:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} takes {private} from {target}")
    assert not wrong, "\n".join(wrong)


def test_the_version_is_read_from_its_own_module():
    """Lower layers never import the package root (``from .. import __version__``)."""
    wrong = []
    for module, path in MODULES.items():
        for target, names, line in _imports(module, path):
            if target == "outcomes" and names:
                wrong.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} imports {names} from the package root"
                )
    assert not wrong, "\n".join(wrong)


def test_no_module_is_over_600_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in MODULES.values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (one job per file): {long}"


@pytest.mark.parametrize("heavy", ["matplotlib", "scipy.stats", "statsmodels"])
def test_import_outcomes_loads_no_heavy_layer(heavy):
    code = f"import sys, outcomes; print({heavy!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_clinics_network_export_loads_no_matplotlib():
    """A clinic exports for the network with no plotting library loaded; the report loads it."""
    code = (
        "import sys; from outcomes.network import export_site, pool_sites; print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_tests_do_not_import_from_each_other():
    """Shared helpers live in conftest.py (fixtures) or in the package, never in another test file."""
    tests = Path(__file__).resolve().parent
    wrong = []
    for path in sorted(tests.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level or module.startswith("tests"):
                    wrong.append(
                        f"{path.relative_to(tests.parent)}:{node.lineno} from {'.' * node.level}{module}"
                    )
    assert not wrong, "\n".join(wrong)
