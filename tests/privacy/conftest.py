"""Fixtures of tests/privacy: the corpus of exports the identifier scan is measured on.

The corpus itself (data and builders) is ``tests/privacy/corpus.py``; a test file never imports
another module of the tests, so it reaches the corpus only through this file:

- a test marked ``@pytest.mark.corpus(WHICH, known={case_id: reason})`` gets a ``case`` argument,
  parametrized with every case of ``WHICH`` (``identifying``, ``clean``, ``all``,
  ``cli_identifying``, ``cli_clean``); a case listed in ``known`` is marked
  ``xfail(strict=True, reason=...)``, so that it fails the suite once it passes;
- ``run_case(case)`` reads a case through the API once per session (the tests share the reads);
- ``validate_case(case, capsys)`` runs ``outcomes validate`` on it once per session;
- ``corpus_cases``, ``corpus_base``, ``find_leaks``, ``corpus_report``: the lists, the export every
  case starts from, the leak finder and the summary lines (see ``corpus.py``).

The summary test's lines are printed again at the end of the run (``pytest_terminal_summary``).
"""

from __future__ import annotations

import warnings

import pytest

from outcomes.cli import main

from . import corpus

CASES = {
    "identifying": corpus.IDENTIFYING,
    "clean": corpus.CLEAN,
    "all": [*corpus.IDENTIFYING, *corpus.CLEAN],
    "cli_identifying": corpus.cli_subset(corpus.IDENTIFYING),
    "cli_clean": corpus.cli_subset(corpus.CLEAN, every=5),
}

_SUMMARY = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "corpus(which, known=None): parametrize `case` with the privacy corpus (tests/privacy/conftest.py)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("corpus")
    if marker is None:
        return
    known = marker.kwargs.get("known") or {}
    params = [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(strict=True, reason=known[case.id])] if case.id in known else [],
        )
        for case in CASES[marker.args[0]]
    ]
    metafunc.parametrize("case", params)


@pytest.fixture(scope="session")
def corpus_cases() -> dict[str, list[corpus.Case]]:
    """The corpus: ``identifying``, ``clean``, ``all``, ``cli_identifying``, ``cli_clean``."""
    return CASES


@pytest.fixture(scope="session")
def run_case(tmp_path_factory):
    """``run_case(case) -> corpus.Outcome``: the case written and read with ``read_sessions``, once."""
    directory = tmp_path_factory.mktemp("corpus")
    done: dict[str, corpus.Outcome] = {}

    def run(case: corpus.Case) -> corpus.Outcome:
        if case.id not in done:
            done[case.id] = corpus.run_api(case, directory / case.id)
        return done[case.id]

    return run


@pytest.fixture(scope="session")
def validate_case(tmp_path_factory):
    """``validate_case(case, capsys) -> (exit code, stdout, stderr)`` of ``outcomes validate FILE``,
    run once per case (the output captured with the first caller's ``capsys``)."""
    directory = tmp_path_factory.mktemp("corpus_cli")
    done: dict[str, tuple[int, str, str]] = {}

    def run(case: corpus.Case, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        if case.id not in done:
            path = case.write(directory / case.id)
            capsys.readouterr()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the API tests look at warnings
                code = main(["validate", str(path)])
            out, err = capsys.readouterr()
            done[case.id] = (code, out, err)
        return done[case.id]

    return run


@pytest.fixture(scope="session")
def safe_harbor() -> dict[str, str]:
    """The kinds of identifier a case can hide (corpus.SAFE_HARBOR): key -> the rule's words."""
    return corpus.SAFE_HARBOR


@pytest.fixture(scope="session")
def corpus_base():
    """``corpus_base(seed, n_clients=None, sessions=2, ...)``: the valid export every case starts from."""
    return corpus.base_export


@pytest.fixture(scope="session")
def find_leaks():
    """``find_leaks(secrets, {channel: text}) -> [(secret, channel)]`` (see corpus.find_leaks)."""
    return corpus.find_leaks


@pytest.fixture(scope="session")
def api_texts():
    """``api_texts(exc, data, warnings) -> {channel: text}``: every text a read gives back."""
    return corpus.api_texts


@pytest.fixture(scope="session")
def corpus_report(request):
    """``corpus_report(outcomes, extra=()) -> (lines, by_kind, by_place)``: the summary lines (and
    ``extra`` ones) and the tallies; the lines are printed again at the end of the run."""

    def report(outcomes, extra=()):
        lines = [*corpus.report_lines(outcomes), *extra]
        request.config.stash[_SUMMARY] = lines
        return lines, corpus.tally(outcomes, "kind"), corpus.tally(outcomes, "place")

    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    lines = config.stash.get(_SUMMARY, None)
    if lines:
        terminalreporter.section("privacy corpus")
        for line in lines:
            terminalreporter.write_line(line)
