"""README.md as written: its Python snippet runs, and every command of its command blocks runs.

The files the README's commands name (``my_export.csv``, ``export.xlsx`` with ``columns.toml``,
``visits.csv`` with codes, ``raw.csv`` with names and visit dates) are made from the bundled
synthetic sample in a temporary folder first. The two setup commands ("Two commands") create a
virtual environment and install the package; CI runs them (``.ci/run``), so here only their
``outcomes ...`` part runs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import outcomes as oc
from outcomes.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def _commands() -> list[str]:
    """Every ``outcomes ...`` command of the bash blocks (the part after ``&&`` for the setup lines)."""
    out = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            part = line.split("&&")[-1].strip()
            if part.startswith(".venv/bin/"):
                part = part[len(".venv/bin/") :]
            if part.startswith("outcomes "):
                out.append(part)
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory, raw_export) -> Path:
    d = tmp_path_factory.mktemp("readme")
    sample = oc.sample_data("long").frame
    sample.to_csv(d / "my_export.csv", index=False)
    # an export with the practice's own column names, and the map onto the contract
    own = sample.rename(columns={"client_id": "Client code", "score": "Value", "measure": "Scale"})
    own.to_excel(d / "export.xlsx", index=False)
    (d / "columns.toml").write_text(
        '[columns]\n"Client code" = "client_id"\n"Value" = "score"\n"Scale" = "measure"\n', encoding="utf-8"
    )
    coded = sample.astype({"score": object})
    coded.loc[coded.index[::97], "score"] = "UNK"
    coded.loc[coded.index[5::101], "score"] = "-999"
    coded.to_csv(d / "visits.csv", index=False)
    raw, _ = raw_export
    # a records system's export: the client's name and the visit date beside the session data
    raw = raw[["Client Name", "Visit Date", "Session", "When", "Measure", "Score", "Condition"]]
    raw.rename(columns={"When": "timepoint"}).to_csv(d / "raw.csv", index=False)
    (d / "sites").mkdir()  # the README's `mkdir -p sites && outcomes network export ...`
    return d


def test_the_readme_names_its_commands():
    commands = _commands()
    assert "outcomes report -o sample_report.html" in [c.split("  ")[0] for c in commands]
    assert any(c.startswith("outcomes anonymize") for c in commands)
    assert len(commands) >= 9


@pytest.mark.parametrize("command", _commands())
def test_every_readme_command_runs_as_written(command, folder, monkeypatch, capsys):
    monkeypatch.chdir(folder)
    argv = shlex.split(command, comments=True)[1:]
    if argv[0] in ("report", "summarize", "grant"):
        argv += ["-q", "--n-boot", "200"] if argv[0] != "grant" else ["-q"]
    assert main(argv) == 0, capsys.readouterr().err


def test_the_readme_python_snippet_runs_as_written(folder, monkeypatch):
    monkeypatch.chdir(folder)
    (snippet,) = _blocks("python")
    namespace: dict[str, object] = {}
    exec(compile(snippet, str(README), "exec"), namespace)
    for name in ("report.html", "grant.xlsx", "paired.png"):
        assert (folder / name).stat().st_size > 0
    assert len(namespace["analysis"].summary("course"))  # type: ignore[attr-defined]
