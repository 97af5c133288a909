"""The ``outcomes`` command: wiring only.

Every command reads through :func:`outcomes.read_sessions` and reports data
problems as one readable paragraph (exit code 1); usage errors exit with 2;
``--debug`` shows the Python traceback instead.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import OutcomesError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
#: A process whose output pipe was closed by its reader, as the shell reports one ended by SIGPIPE.
EXIT_BROKEN_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a hint on every usage error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for examples.\n")


class _UsageError(Exception):
    """A bad option value found after parsing (exit code 2)."""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    verbosity = common.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    return common


def _add_read_options(p: argparse.ArgumentParser, *, file_required: bool = False) -> None:
    if file_required:
        p.add_argument("file", help="exported file (CSV, TSV, XLSX or Parquet)")
    else:
        p.add_argument(
            "file",
            nargs="?",
            help="exported file (CSV, TSV, XLSX or Parquet); omitted: the bundled synthetic sample",
        )
    p.add_argument(
        "--layout",
        default="auto",
        choices=["auto", "long", "prepost", "wide", "redcap"],
        help="layout of the file (default: detect it)",
    )
    p.add_argument(
        "--columns", metavar="MAP.toml", help="TOML file mapping your column names onto the contract"
    )
    p.add_argument("--instruments", metavar="FILE", help="TOML or CSV file defining your own measures")
    p.add_argument(
        "--na-values",
        metavar="CODES",
        default="",
        help="comma-separated score codes meaning 'not recorded', e.g. UNK,-999",
    )
    p.add_argument(
        "--allow-identifiers",
        metavar="REASON",
        default=None,
        help="read a file that holds direct identifiers because it is covered by an expert determination "
        'or a data-use agreement; REASON (e.g. "expert determination #2025-14") is recorded in the '
        "provenance of everything produced",
    )


def _sub(sub: Any, name: str, *, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help,
        description=description,
        parents=[_common()],
        epilog="Examples:\n" + examples + "\nExit codes: 0 ok, 1 problems in the data, 2 usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="outcomes",
        description="Practice-based evidence from anonymized therapy session records.",
        epilog="Examples:\n  outcomes validate visits.csv\n  outcomes report visits.csv -o report.html\n"
        "  outcomes grant visits.csv --period 2025 -o grant.xlsx\n"
        "  outcomes summarize visits.csv --by condition --level course -o summary.csv\n"
        "  outcomes keygen practice.key\n"
        '  outcomes anonymize raw_export.csv -o clean.csv --key-file practice.key --id-column "Client Name"\n'
        "Run 'outcomes COMMAND --help' for each command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"outcomes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    v = _sub(
        sub,
        "validate",
        help="check an export against the data contract and count clients per condition",
        description="Read an export, check every row against the data contract, and print the layout "
        "detected, the flow of rows, every problem found, and clients/sessions per condition.",
        examples="  outcomes validate visits.csv\n  outcomes validate export.xlsx --columns my_columns.toml\n"
        "  outcomes validate visits.csv --na-values UNK,-999\n  outcomes validate   # the bundled sample",
    )
    _add_read_options(v)
    v.set_defaults(func=_cmd_validate)

    r = _sub(
        sub,
        "report",
        help="one self-contained HTML report for the practice",
        description="Read an export and write the practice report: provenance, the flow of every row, "
        "summaries per condition for each level of change, figures, the comparison with published CST "
        "studies, methods and limitations. Open it in a browser; print it to PDF from there.",
        examples="  outcomes report visits.csv -o report.html\n"
        "  outcomes report visits.csv --by technique -o by_technique.html\n"
        "  outcomes report -o sample_report.html   # the bundled synthetic sample",
    )
    _add_read_options(r)
    r.add_argument("-o", "--output", default="report.html", metavar="FILE", help="report.html (default)")
    r.add_argument(
        "--by",
        default="condition",
        metavar="COLUMN",
        help="the column the report's groups come from, e.g. technique, site or an arm (default: condition)",
    )
    r.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    r.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    r.set_defaults(func=_cmd_report)

    s = _sub(
        sub,
        "summarize",
        help="effect summaries per group as CSV, Excel or Parquet (for analysts)",
        description="Compute the per-group effect summary (all columns, full precision) and write it "
        "to a file; the format follows the extension of -o.",
        examples="  outcomes summarize visits.csv -o summary.csv\n"
        "  outcomes summarize visits.csv --by condition,technique --level session,course -o s.xlsx",
    )
    _add_read_options(s)
    s.add_argument("-o", "--output", required=True, metavar="FILE", help="summary.csv, .xlsx or .parquet")
    s.add_argument("--by", default="condition", help="comma-separated grouping columns (default: condition)")
    s.add_argument("--level", default="session,followup,course", help="comma-separated levels (default: all)")
    s.add_argument("--measures", default="", help="comma-separated measures (default: all)")
    s.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    s.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    s.set_defaults(func=_cmd_summarize)

    g = _sub(
        sub,
        "grant",
        help="funder report (Excel or HTML) with small cells suppressed",
        description="Clients served, sessions, conditions, demographics and outcomes for a reporting "
        "period, with counts from 1 to MIN_CELL-1 suppressed (and complementary suppression).",
        examples="  outcomes grant visits.csv --period 2025 -o grant.xlsx\n"
        "  outcomes grant visits.csv --from 2024-01-01 --to 2025-12-31 -o grant.html\n"
        "  outcomes grant visits.csv --period 2025 --by race_ethnicity,payer --min-cell 11 -o g.xlsx",
    )
    _add_read_options(g)
    period = g.add_mutually_exclusive_group()
    period.add_argument("--period", help="a year (2025) or a range of years (2024-2025)")
    period.add_argument(
        "--from", dest="start", metavar="DATE", help="start date (whole years unless dated data)"
    )
    g.add_argument("--to", dest="end", metavar="DATE", help="end date")
    g.add_argument(
        "--by",
        default="race_ethnicity,postpartum,payer,age_band",
        help="equity breakdowns (default: race_ethnicity,postpartum,payer,age_band)",
    )
    g.add_argument("--min-cell", type=int, default=11, help="smallest count shown (default 11)")
    g.add_argument("-o", "--output", required=True, metavar="FILE", help="grant.xlsx or grant.html")
    g.add_argument("--seed", type=int, default=0)
    g.set_defaults(func=_cmd_grant)

    k = _sub(
        sub,
        "keygen",
        help="make a secret key for the anonymizer's pseudonyms",
        description="Write 32 random bytes (64 hex characters) to KEYFILE, readable by you only (mode 0600). "
        "The same key gives every client the same pseudonym each time you anonymize; another key gives "
        "unlinkable ones. Keep the key at the practice, like the raw records, never with the anonymized "
        "data. An existing file is never overwritten.",
        examples="  outcomes keygen practice.key\n"
        "  outcomes anonymize raw_export.csv -o clean.csv --key-file practice.key",
    )
    k.add_argument("keyfile", metavar="KEYFILE", help="the key file to create")
    k.set_defaults(func=_cmd_keygen)

    a = _sub(
        sub,
        "anonymize",
        help="make an anonymized copy of a raw export (pseudonymous ids, no dates, age bands)",
        description="Read a raw export as it comes from your records system and write a copy that can be "
        "shared: client ids become keyed pseudonyms (HMAC-SHA256 with your key) or random ids with a "
        "crosswalk that stays at the practice; service dates become days_from_first (0 at each client's "
        "first date) and year; ages become age_band (90+ for any age over 89); dates of birth and every "
        "column that looks identifying (names, phones, e-mails, addresses, ZIP codes, record numbers, "
        "other dates, notes) are dropped. Next to the output goes OUTPUT.manifest.json: what was changed, "
        "the key's fingerprint (never the key), and the SHA-256 of both files.",
        examples="  outcomes keygen practice.key   # once\n"
        '  outcomes anonymize raw_export.csv -o clean.csv --key-file practice.key --id-column "Client Name" '
        '--date-column "Visit Date" --dob-column DOB\n'
        "  outcomes anonymize export.xlsx -o clean.csv --key-file practice.key --age-column Age "
        "--drop Therapist,Room\n"
        "  outcomes anonymize raw.csv -o clean.csv --random-ids --crosswalk crosswalk.csv\n"
        "  outcomes validate clean.csv     # the output passes the privacy scan",
    )
    a.add_argument("raw", metavar="RAW", help="the raw export (CSV, TSV, XLSX or Parquet)")
    a.add_argument("-o", "--output", required=True, metavar="CLEAN.csv", help="the anonymized CSV to write")
    a.add_argument("--key-file", metavar="KEY", help="key made by 'outcomes keygen' (keyed pseudonyms)")
    a.add_argument(
        "--id-column",
        metavar="COLUMN",
        help="the column identifying the client (default: the column called client_id or record_id)",
    )
    a.add_argument("--date-column", metavar="COLUMN", help="service dates -> days_from_first and year")
    a.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="format of the dates when they are ambiguous, e.g. '%%d/%%m/%%Y' (default: detect)",
    )
    a.add_argument("--dob-column", metavar="COLUMN", help="dates of birth (dropped; age band at first visit)")
    a.add_argument("--age-column", metavar="COLUMN", help="ages in years -> age_band")
    a.add_argument("--drop", default="", metavar="COLUMNS", help="comma-separated further columns to drop")
    a.add_argument(
        "--random-ids", action="store_true", help="random ids instead of keyed pseudonyms (needs --crosswalk)"
    )
    a.add_argument(
        "--crosswalk",
        metavar="FILE",
        help="with --random-ids: where to write the table linking your ids to the random ones "
        "(keep it at the practice)",
    )
    a.set_defaults(func=_cmd_anonymize)
    return parser


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


@contextlib.contextmanager
def _progress(args: argparse.Namespace, total: int, desc: str) -> Iterator[Any]:
    """A bar over the command's steps, above the bars of long library work (reading, bootstraps).

    Shown on an interactive terminal once a step has run for a second; silent in pipes, CI,
    tests and with --quiet (which silences the library's bars too).
    """
    from ._progress import progress_bar, progress_setting

    quiet = progress_setting(False) if args.quiet else contextlib.nullcontext()
    with quiet, progress_bar(total, desc, unit="step") as bar:
        yield bar


def _read(args: argparse.Namespace, **extra: object) -> Any:
    from .io import read_sessions

    reason = args.allow_identifiers
    if reason is not None and not reason.strip():
        raise _UsageError(
            '--allow-identifiers needs the reason, e.g. --allow-identifiers "data use agreement with X"'
        )
    kwargs: dict[str, Any] = dict(
        extra,
        layout=args.layout,
        columns=args.columns,
        instruments=args.instruments,
        na_values=_split(args.na_values) or None,
        allow_identifiers=reason,
    )
    if args.file:
        data = read_sessions(args.file, **kwargs)
    else:
        from .datasets import sample_data

        data = sample_data(**kwargs)
    findings = data.provenance.get("privacy_findings")
    if findings and not args.quiet:
        listing = "; ".join(f"{f['column']!r} ({f['reason']})" for f in findings)
        print(
            f"Note: read with identifiers allowed ({data.provenance['privacy_override']}): {listing}. "
            "The reason is recorded in the provenance.",
            file=sys.stderr,
        )
    return data


def _print(args: argparse.Namespace, text: str = "") -> None:
    if not args.quiet:
        print(text)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .schema import failure_message

    data = _read(args, errors="exclude")
    if not args.file:
        _print(args, "No file given: validating the bundled SYNTHETIC sample (not real clients).\n")
    p = data.provenance
    _print(args, f"File:    {p['file']} (SHA-256 {p['sha256'][:16]}...)")
    _print(args, f"Layout:  {p['layout']} ({p['layout_reason']})")
    if args.verbose:
        for key in (
            "format",
            "encoding",
            "separator",
            "decimal_comma",
            "comment_lines",
            "dropped_empty_columns",
        ):
            if key in p:
                _print(args, f"  {key}: {p[key]!r}")
    _print(args, "\nFlow:")
    _print(args, data.flow_text())
    flagged = {f["read_as"] for f in p.get("privacy_findings", [])}
    if "condition" in flagged:  # its values may identify: never print them
        _print(args, "\nClients per condition: not shown (the condition column was flagged as identifying).")
    else:
        counts = data.counts("condition")
        if len(counts):
            _print(args, "\nClients per condition (a client with two conditions counts in each):")
            _print(args, counts.to_string(index=False))
        else:
            _print(
                args, "\nNo score is left to analyse: every row was excluded (the problems are listed below)."
            )
    fc = data.failure_cases
    if len(fc):
        ending = (
            ": they are counted as excluded in the flow above. Fix them in the export and validate again."
        )
        print("\n" + failure_message(fc, file=p["file"], ending=ending), file=sys.stderr)
        if (fc["check"] == "unknown_measure").any():
            print(
                "A measure of your own is registered from a file: outcomes validate FILE --instruments "
                "MEASURES.toml (see docs/data-format.md, 'Measures').",
                file=sys.stderr,
            )
        table = fc[["row", "column", "check", "value", "message"]].fillna("")
        print("\nEvery problem, by row:\n" + table.to_string(index=False), file=sys.stderr)
        return EXIT_DATA
    _print(
        args,
        f"\nNo problems found: {len(data.frame):,} scores from "
        f"{data.frame['client_id'].nunique():,} clients are ready for analysis.",
    )
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from .analysis import analyze
    from .reporting import report

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise _UsageError(f"-o must end in .html (got {out.name!r})")
    with _progress(args, 2, "outcomes report") as bar:
        data = _read(args)
        bar.update()
        # one analysis: every table, figure and verdict of the report comes from it
        analysis = analyze(data, by=args.by, seed=args.seed, n_boot=args.n_boot)
        report(analysis, out, synthetic=not args.file)
        bar.update()
    if not args.file:
        _print(args, "No file given: the report uses the bundled SYNTHETIC sample (not real clients).")
    _print(args, f"Wrote the practice report to {out}")
    return EXIT_OK


def _cmd_summarize(args: argparse.Namespace) -> int:
    from .summary import LEVELS, summarize

    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise _UsageError(f"-o must end in .csv, .xlsx or .parquet (got {out.name!r})")
    levels = _split(args.level)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise _UsageError(f"--level takes {', '.join(LEVELS)} (comma-separated); got {args.level!r}")
    with _progress(args, 2, "outcomes summarize") as bar:
        data = _read(args)
        bar.update()
        table = summarize(
            data,
            by=_split(args.by),
            level=levels,
            measures=_split(args.measures) or None,
            seed=args.seed,
            n_boot=args.n_boot,
        )
        bar.update()
    table["level"] = table["level"].astype(str)
    if out.suffix.lower() == ".csv":
        table.to_csv(out, index=False, lineterminator="\n")
    elif out.suffix.lower() == ".xlsx":
        table.to_excel(out, index=False, sheet_name="summary")
    else:
        table.to_parquet(out, index=False)
    _print(args, f"Wrote {len(table)} rows x {table.shape[1]} columns to {out}")
    _print(args, _directions(table))
    return EXIT_OK


def _directions(table: Any) -> str:
    """How many rows of each level improved, got worse or show no clear change (the report's words)."""
    import pandas as pd

    from ._sentences import DIRECTIONS, SIGN_CONVENTION, direction

    words = [
        direction(r.mean_improvement, r.improvement_ci_low, r.improvement_ci_high, r.n_clients)
        for r in table.itertuples(index=False)
    ]
    lines = ["Rows by their interval of improvement (the words of the report):"]
    for level in dict.fromkeys(table["level"].astype(str)):
        counts = pd.Series(words)[(table["level"].astype(str) == level).to_numpy()].value_counts()
        shown = ", ".join(f"{int(counts[w])} {w}" for w in DIRECTIONS if w in counts)
        lines.append(f"  {level}: {shown}")
    return "\n".join([*lines, SIGN_CONVENTION])


def _cmd_grant(args: argparse.Namespace) -> int:
    from .reporting import grant_report, write_grant_html, write_grant_xlsx

    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".html", ".htm"):
        raise _UsageError(f"-o must end in .xlsx or .html (got {out.name!r})")
    if args.end and not args.start and not args.period:
        args.start = None
    with _progress(args, 3, "outcomes grant") as bar:
        data = _read(args)
        bar.update()
        try:
            rep = grant_report(
                data,
                period=args.period,
                start=args.start,
                end=args.end,
                by=_split(args.by),
                min_cell=args.min_cell,
                seed=args.seed,
            )
        except ValueError as exc:
            if isinstance(exc, OutcomesError):
                raise
            raise _UsageError(str(exc)) from exc
        bar.update()
        if out.suffix.lower() == ".xlsx":
            write_grant_xlsx(rep, out, synthetic=not args.file)
        else:
            write_grant_html(rep, out, synthetic=not args.file)
        bar.update()
    if not args.file:
        _print(args, "No file given: the report uses the bundled SYNTHETIC sample (not real clients).")
    for note in rep.warnings:
        _print(args, f"Note: {note}")
    _print(
        args, f"Wrote the funder report for {rep.period} to {out} (counts 1-{rep.min_cell - 1} suppressed)."
    )
    return EXIT_OK


def _cmd_keygen(args: argparse.Namespace) -> int:
    from .privacy import keygen

    try:
        fingerprint = keygen(args.keyfile)
    except FileExistsError as exc:
        print(f"outcomes keygen: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"outcomes keygen: could not write {args.keyfile}: {exc.strerror}", file=sys.stderr)
        return EXIT_DATA
    _print(args, f"Wrote a new key to {args.keyfile} (fingerprint {fingerprint}, readable by you only).")
    _print(
        args,
        "Keep it at the practice with the same care as the raw records, and never put it next to the "
        "anonymized data: anyone with the key and a client's id can recompute that client's pseudonym.",
    )
    return EXIT_OK


def _cmd_anonymize(args: argparse.Namespace) -> int:
    from .io import anonymize_file
    from .privacy import read_key

    out = Path(args.output)
    if out.suffix.lower() != ".csv":
        raise _UsageError(f"-o must end in .csv (got {out.name!r})")
    if args.random_ids:
        if args.key_file:
            raise _UsageError("--random-ids does not use a key; give either --key-file or --random-ids")
        if not args.crosswalk:
            raise _UsageError("--random-ids needs --crosswalk FILE (the table that stays at the practice)")
        key = None
    else:
        if args.crosswalk:
            raise _UsageError("--crosswalk goes with --random-ids (keyed pseudonyms need no crosswalk)")
        if not args.key_file:
            raise _UsageError(
                "give --key-file KEY (make one once with 'outcomes keygen KEY'), or --random-ids"
            )
        key = read_key(args.key_file)
    try:
        manifest = anonymize_file(
            args.raw,
            out,
            key=key,
            id_column=args.id_column,
            date_column=args.date_column,
            dob_column=args.dob_column,
            age_column=args.age_column,
            drop=_split(args.drop),
            method="random" if args.random_ids else "hmac",
            crosswalk=args.crosswalk,
            date_format=args.date_format,
        )
    except FileExistsError as exc:
        print(f"outcomes anonymize: {exc}", file=sys.stderr)
        return EXIT_DATA
    except ValueError as exc:
        if isinstance(exc, OutcomesError):
            raise
        raise _UsageError(str(exc)) from exc
    ids = (
        f"keyed pseudonyms (key fingerprint {manifest['key_fingerprint']})"
        if manifest["key_fingerprint"]
        else "random ids"
    )
    _print(args, f"Wrote {out}: {manifest['rows']:,} rows, {manifest['clients']:,} clients as {ids}.")
    for t in manifest["transformed"]:
        _print(args, f"  changed {t['column']!r} -> {', '.join(t['into'])}: {t['how']}")
    for d in manifest["dropped"]:
        _print(args, f"  dropped {d['column']!r}: {d['reason']}")
    if manifest.get("crosswalk"):
        _print(
            args,
            f"Crosswalk: {args.crosswalk} links the random ids to your clients. Keep it at the practice; "
            "never share it with the anonymized file.",
        )
    _print(args, f"Manifest: {out.with_name(manifest['manifest']['file'])}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 data problems, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help / usage errors
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at exit
        return code
    except BrokenPipeError:
        # the reader of our output went away (``outcomes validate x.csv | head``): stop quietly, as
        # the Python docs advise (note on SIGPIPE), pointing stdout at devnull so that the flush at
        # exit does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except _UsageError as exc:
        print(
            f"outcomes {args.command}: error: {exc}\nRun 'outcomes {args.command} --help' for examples.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except OutcomesError as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(f"outcomes {args.command}: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
