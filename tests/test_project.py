"""Project-level promises: the README's two commands, CI, import hygiene."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert len(commands) == 2
    assert "pytest" in commands[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_import_does_not_import_matplotlib():
    code = "import sys, outcomes; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_m_outcomes_runs():
    out = subprocess.run([sys.executable, "-m", "outcomes", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("outcomes ")


def _tool(name: str) -> str:
    import shutil

    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else (shutil.which(name) or name)


def test_ruff_lint_and_format_are_clean():
    for args in (["check", "outcomes", "tests"], ["format", "--check", "outcomes", "tests"]):
        out = subprocess.run([_tool("ruff"), *args], cwd=REPO, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_is_clean_on_the_core_modules():
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_heavy_layers_load_on_first_use():
    """import outcomes loads pandas but not scipy.stats, statsmodels or matplotlib; the lazy names work."""
    code = (
        "import sys, outcomes as oc; heavy = [m for m in ('scipy.stats', 'statsmodels', 'matplotlib') "
        "if m in sys.modules]; print(heavy, oc.summarize.__module__, oc.reporting.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] outcomes.summary.table outcomes.reporting"
