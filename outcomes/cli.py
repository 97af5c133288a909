"""The ``outcomes`` command: wiring only.

Every command reads through :func:`outcomes.read_sessions` and reports data
problems as one readable paragraph (exit code 1); usage errors exit with 2;
``--debug`` shows the Python traceback instead.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import OutcomesError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


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
        "  outcomes report -o sample_report.html   # the bundled synthetic sample",
    )
    _add_read_options(r)
    r.add_argument("-o", "--output", default="report.html", metavar="FILE", help="report.html (default)")
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
    return parser


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


@contextlib.contextmanager
def _progress(args: argparse.Namespace, total: int, desc: str) -> Iterator[Any]:
    """A progress bar on an interactive terminal; silent otherwise (pipes, CI, tests, --quiet)."""
    from tqdm import tqdm

    disable = args.quiet or not sys.stderr.isatty()
    with tqdm(total=total, desc=desc, disable=disable, leave=False, file=sys.stderr) as bar:
        yield bar


def _read(args: argparse.Namespace, **extra: object) -> Any:
    from .io import read_sessions

    kwargs: dict[str, Any] = dict(
        extra,
        layout=args.layout,
        columns=args.columns,
        instruments=args.instruments,
        na_values=_split(args.na_values) or None,
    )
    if args.file:
        return read_sessions(args.file, **kwargs)
    from .synthetic import sample_data

    return sample_data(**kwargs)


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
    counts = data.counts("condition")
    _print(args, "\nClients per condition (a client with two conditions counts in each):")
    _print(args, counts.to_string(index=False))
    fc = data.failure_cases
    if len(fc):
        ending = (
            ": they are counted as excluded in the flow above. Fix them in the export and validate again."
        )
        print("\n" + failure_message(fc, file=p["file"], ending=ending), file=sys.stderr)
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
    from .reporting.practice import report

    out = Path(args.output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise _UsageError(f"-o must end in .html (got {out.name!r})")
    with _progress(args, 2, "outcomes report") as bar:
        data = _read(args)
        bar.update()
        report(data, out, seed=args.seed, n_boot=args.n_boot, synthetic=not args.file)
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
    return EXIT_OK


def _cmd_grant(args: argparse.Namespace) -> int:
    from .reporting.grant import grant_report, write_grant_html, write_grant_xlsx

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
        return int(args.func(args))
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
