"""How well the identifier scan does on the corpus of realistic exports (issue 16, point 5).

Usage::

    python benchmarks/privacy_corpus.py              # every case through read_sessions
    python benchmarks/privacy_corpus.py --cases      # and one line per case
    python benchmarks/privacy_corpus.py --kind names --place header

The corpus is ``tests/privacy/corpus.py`` (loaded by its path): identifier cases, each a small
valid export hiding one direct identifier of the HIPAA Safe Harbor list in one place, and clean
exports that must be read. Each is written to a temporary folder and read with
``outcomes.read_sessions`` of the checkout this script sits in (not of whatever copy of
``outcomes`` is installed), in this process. Printed:

- per Safe Harbor kind and per hiding place: cases, caught (a PrivacyError), missed, leaked
  (a secret of the case in the error's message or failure_cases, a warning, the provenance or the
  flow, whether the file was refused or not), crashed (an exception that is not an OutcomesError),
  and the mean time per file;
- every leak (case, secret's channel), every crash, and every clean file refused, with the
  scan's reason;
- the totals: miss rate, false-positive rate, leaks, time per file.

What ``outcomes validate`` prints is checked by ``tests/privacy/test_corpus.py``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the package of this checkout

import outcomes  # noqa: E402


def load_corpus():
    """``tests/privacy/corpus.py`` as a module (it imports nothing from the tests)."""
    path = REPO / "tests" / "privacy" / "corpus.py"
    spec = importlib.util.spec_from_file_location("privacy_corpus_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--kind", help="only identifier cases of this Safe Harbor kind (and every clean file)"
    )
    parser.add_argument("--place", help="only identifier cases hidden in this place")
    parser.add_argument("--cases", action="store_true", help="print one line per case")
    args = parser.parse_args(argv)

    corpus = load_corpus()
    cases = [
        c
        for c in corpus.IDENTIFYING
        if (args.kind is None or c.kind == args.kind) and (args.place is None or c.place == args.place)
    ]
    cases += corpus.CLEAN
    print(f"outcomes {outcomes.__version__} from {Path(outcomes.__file__).parent}")
    print(f"{len(cases) - len(corpus.CLEAN)} identifier cases, {len(corpus.CLEAN)} clean files\n")

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        outcomes_ = [corpus.run_api(case, Path(tmp) / case.id) for case in cases]
    wall = time.perf_counter() - start

    if args.cases:
        for o in outcomes_:
            state = "refused" if o.refused else (o.error or "read")
            leaks = "; ".join(f"{s!r} in {ch}" for s, ch in o.leaks)
            print(f"{o.case.id:45s} {o.case.fmt:8s} {state:20s} {1000 * o.seconds:6.0f} ms  {leaks}")
        print()

    for by, names in (("kind", corpus.SAFE_HARBOR), ("place", corpus.PLACES)):  # PLACES: see corpus.py
        table = corpus.tally(outcomes_, by)
        crashed = {}
        for o in outcomes_:
            if o.case.kind != "clean" and o.crashed:
                crashed[getattr(o.case, by)] = crashed.get(getattr(o.case, by), 0) + 1
        table.insert(5, "crashed", table[by].map(crashed).fillna(0).astype(int))
        table = table.drop(columns="other_error")
        table["ms_per_file"] = table["ms_per_file"].round(0).astype(int)
        if by == "kind":  # with its letter in the Safe Harbor list: (A) names ... (R) other
            table[by] = [f"{names[k].split()[0]} {k}" for k in table[by]]
        print(f"Per {by}:")
        print(table.to_string(index=False))
        print()

    leaks = [o for o in outcomes_ if o.leaks]
    print(f"Leaks ({len(leaks)} cases; a secret where it must never be):")
    for o in leaks:
        state = "refused" if o.refused else (o.error or "read")
        found: dict[str, list[str]] = {}
        for secret, channel in o.leaks:
            found.setdefault(secret, []).append(channel)
        where = "; ".join(f"{secret!r} in {', '.join(channels)}" for secret, channels in found.items())
        print(f"- {o.case.id} ({state}, {o.case.where}): {where}")
    crashes = [o for o in outcomes_ if o.crashed]
    print(f"\nCrashes ({len(crashes)}; an exception that is not an OutcomesError):")
    for o in crashes:
        print(f"- {o.case.id}: {o.error}: {o.texts.get('message', '')[:120]}")
    refused = [o for o in outcomes_ if o.case.kind == "clean" and o.refused]
    print(f"\nFalse positives ({len(refused)} of {len(corpus.CLEAN)} clean files refused):")
    for o in refused:
        print(f"- {o.case.id} ({o.case.where}): {'; '.join(o.findings)}")
    other = [o for o in outcomes_ if o.case.kind == "clean" and o.error and not o.refused]
    for o in other:
        print(f"- {o.case.id}: NOT READ ({o.error}), a fault of the corpus")

    print()
    for line in corpus.report_lines(outcomes_):
        print(line)
    print(f"wall time {wall:.1f} s for {len(cases)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
