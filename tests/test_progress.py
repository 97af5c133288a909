"""Progress bars: shown where someone watches (notebook, terminal), silent in tests, CI and pipes."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

import outcomes as oc
from outcomes import _progress
from outcomes.datasets import generate_practice


@pytest.fixture(scope="module")
def practice():
    return generate_practice(n_clients=40, seed=3)


@pytest.fixture(autouse=True)
def _automatic_mode():
    oc.set_progress(None)
    yield
    oc.set_progress(None)


def test_automatic_mode_is_silent_under_pytest(practice, capsys):
    oc.summarize(practice, level=["session", "course"], n_boot=200)
    oc.read_sessions(practice)
    assert capsys.readouterr().err == ""


def test_a_bar_when_asked_for(practice, capsys):
    table = oc.summarize(practice, level=["session", "course"], n_boot=200, progress=True)
    err = capsys.readouterr().err
    # a bar over the table rows, cleared when done (leave=False)
    assert f"summarize:   0%|          | 0/{len(table)}" in err and "row/s" in err
    oc.read_sessions(practice, progress=True)
    err = capsys.readouterr().err
    assert "read_sessions:   0%|          | 0/4" in err


def test_the_session_setting_silences_and_a_call_overrides_it(practice, capsys):
    oc.set_progress(False)
    oc.summarize(practice, n_boot=200)
    assert capsys.readouterr().err == ""
    oc.summarize(practice, n_boot=200, progress=True)
    assert "summarize" in capsys.readouterr().err
    with _progress.progress_setting(True):
        assert _progress._SESSION is True
    assert _progress._SESSION is False
    with pytest.raises(TypeError, match="True, False or None"):
        oc.set_progress("yes")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"OUTCOMES_PROGRESS": "1"}, True),  # forced on, even under CI
        ({"OUTCOMES_PROGRESS": "0"}, False),
        ({"CI": "true"}, False),
    ],
)
def test_environment_decides_automatic_mode(monkeypatch, env, expected):
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("OUTCOMES_PROGRESS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _progress._automatic() is expected


def test_automatic_mode_follows_the_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("OUTCOMES_PROGRESS", raising=False)
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)

    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.setattr("sys.stderr", Stream(True))
    assert _progress._automatic() is True
    monkeypatch.setattr("sys.stderr", Stream(False))  # a pipe, a log file
    assert _progress._automatic() is False


def test_a_notebook_kernel_is_recognised_and_shows_the_bar(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import os\n"
            "for k in ('CI', 'PYTEST_CURRENT_TEST', 'OUTCOMES_PROGRESS'):\n"
            "    os.environ.pop(k, None)\n"
            "from outcomes import _progress\n"
            "print(_progress._in_notebook(), _progress._automatic())"
        ),
        nbformat.v4.new_code_cell(
            "import outcomes as oc\n"
            "from outcomes.datasets import generate_practice\n"
            "_progress.DELAY = 0\n"
            "t = oc.summarize(generate_practice(n_clients=30, seed=1), n_boot=200)"
        ),
    ]
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == "True True"
    shown = "".join(
        o.get("text", "") + str(o.get("data", {})) for o in nb.cells[1].outputs if o.output_type != "error"
    )
    assert "summarize" in shown


def test_the_cli_keeps_the_session_setting_unless_quiet():
    import argparse

    from outcomes.cli.common import progress

    oc.set_progress(False)
    with progress(argparse.Namespace(quiet=False), 2, "x"):
        assert _progress._SESSION is False
    oc.set_progress(None)
    with progress(argparse.Namespace(quiet=True), 2, "x"):
        assert _progress._SESSION is False
    assert _progress._SESSION is None


@pytest.mark.parametrize("value", ["no", 1, 0.0])
def test_progress_takes_only_true_false_or_none(practice, value):
    with pytest.raises(TypeError, match="True, False or None"):
        oc.summarize(practice, n_boot=200, progress=value)
    with pytest.raises(TypeError, match="True, False or None"):
        oc.set_progress(value)
