"""The ``outcomes`` command: wiring only.

Every command reads through :func:`outcomes.read_sessions` and reports data
problems as one readable paragraph (exit code 1); usage errors exit with 2;
``--debug`` shows the Python traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import OutcomesError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a hint on every usage error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for examples.\n")


def _add_read_options(p: argparse.ArgumentParser) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="outcomes",
        description="Practice-based evidence from anonymized therapy session records.",
        epilog="Examples:\n  outcomes validate visits.csv\n"
        "  outcomes validate  # the bundled synthetic sample",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"outcomes {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    v = sub.add_parser(
        "validate",
        help="check an export against the data contract and count clients per condition",
        description="Read an export, check every row against the data contract, and print the layout "
        "detected, the flow of rows, every problem found, and clients/sessions per condition.",
        epilog="Examples:\n  outcomes validate visits.csv\n"
        "  outcomes validate export.xlsx --columns my_columns.toml\n"
        "  outcomes validate visits.csv --na-values UNK,-999\n"
        "Exit codes: 0 clean, 1 the data have problems, 2 usage error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_read_options(v)
    v.set_defaults(func=_cmd_validate)
    return parser


def _read(args: argparse.Namespace, **extra: object):
    from .io import read_sessions

    kwargs = dict(
        extra,
        layout=args.layout,
        columns=args.columns,
        instruments=args.instruments,
        na_values=[c.strip() for c in args.na_values.split(",") if c.strip()] if args.na_values else None,
    )
    if args.file:
        return read_sessions(args.file, **kwargs)
    from .synthetic import write_samples

    with tempfile.TemporaryDirectory() as tmp:
        write_samples(tmp)
        return read_sessions(Path(tmp) / "synthetic_practice_long.csv", **kwargs)


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
