"""The command line's grammar: every command, its options and its help."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .._version import __version__
from .commands import (
    anonymize_command,
    client_command,
    clients_command,
    grant_command,
    keygen_command,
    network_export_command,
    network_pool_command,
    report_command,
    summarize_command,
    validate_command,
)
from .common import EXIT_USAGE, positive_n_boot


class Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a hint on every usage error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for examples.\n")


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    verbosity = common.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print more detail")
    return common


def add_read_options(p: argparse.ArgumentParser, *, file_required: bool = False) -> None:
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


def subcommand(sub: Any, name: str, *, help: str, description: str, examples: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help,
        description=description,
        parents=[common_options()],
        epilog="Examples:\n"
        + examples
        + "\nExit codes: 0 ok, 1 problems in the data, 2 usage error, 3 internal error (please report it).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """The options of a command that analyses: the bootstrap's seed and resamples, the course end."""
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--n-boot", type=positive_n_boot, default=2000, help="bootstrap resamples (default 2000)")
    p.add_argument(
        "--course-end",
        metavar="END",
        help="where the course change ends: a session number (6) or a window of days since the first "
        "session (days:42-70); default the last session with a before-score",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    v = subcommand(
        sub,
        "validate",
        help="check an export against the data contract and count clients per condition",
        description="Read an export, check every row against the data contract, and print the layout "
        "detected, the flow of rows, every problem found, and clients/sessions per condition.",
        examples="  outcomes validate visits.csv\n  outcomes validate export.xlsx --columns my_columns.toml\n"
        "  outcomes validate visits.csv --na-values UNK,-999\n  outcomes validate   # the bundled sample",
    )
    add_read_options(v)
    v.set_defaults(func=validate_command)

    r = subcommand(
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
    add_read_options(r)
    r.add_argument("-o", "--output", default="report.html", metavar="FILE", help="report.html (default)")
    r.add_argument(
        "--by",
        default="condition",
        metavar="COLUMN",
        help="the column the report's groups come from, e.g. technique, site or an arm (default: condition)",
    )
    add_analysis_options(r)
    r.add_argument(
        "--no-safety-sessions",
        dest="safety_sessions",
        action="store_false",
        help="count positive answers to a safety item (EPDS item 10, PHQ-9 item 9) without listing the "
        "clients and sessions: for a copy of the report that leaves the practice",
    )
    r.set_defaults(func=report_command)

    s = subcommand(
        sub,
        "summarize",
        help="effect summaries per group as CSV, Excel or Parquet (for analysts)",
        description="Compute the per-group effect summary (all columns, full precision) and write it "
        "to a file; the format follows the extension of -o.",
        examples="  outcomes summarize visits.csv -o summary.csv\n"
        "  outcomes summarize visits.csv --by condition,technique --level session,course -o s.xlsx",
    )
    add_read_options(s)
    s.add_argument("-o", "--output", required=True, metavar="FILE", help="summary.csv, .xlsx or .parquet")
    s.add_argument("--by", default="condition", help="comma-separated grouping columns (default: condition)")
    s.add_argument("--level", default="session,followup,course", help="comma-separated levels (default: all)")
    s.add_argument("--measures", default="", help="comma-separated measures (default: all)")
    add_analysis_options(s)
    s.set_defaults(func=summarize_command)

    c = subcommand(
        sub,
        "clients",
        help="which clients are not improving as expected (the practice's own view)",
        description="For every client and measure, the latest score beside the score expected at that "
        "session given the client's intake score, from the practice's other clients (or a published "
        "rule where the history is thin); the clients who need attention first. Pseudonymous ids only: "
        "this list is for the practice, not for sharing. A flag is a prompt for clinical review, not a "
        "diagnosis.",
        examples="  outcomes clients visits.csv\n"
        "  outcomes clients visits.csv --measure pain_nrs --all\n"
        "  outcomes clients visits.csv -o clients.csv",
    )
    add_read_options(c)
    c.add_argument("--measure", help="one measure (default: every measure)")
    c.add_argument(
        "--time",
        default="log_session",
        choices=["log_session", "session", "weeks", "days"],
        help="time scale of the expected course (default: log_session)",
    )
    c.add_argument("--all", action="store_true", help="list every client, not only those who need attention")
    c.add_argument("-o", "--output", metavar="FILE", help="also write the whole list to a .csv file")
    c.set_defaults(func=clients_command)

    one = subcommand(
        sub,
        "client",
        help="one client's progress page (HTML), to look at with the client",
        description="Write one client's progress page: each measure session by session beside the band "
        "most of the practice's clients who started at the same score were in, the MCID and "
        "reliable-change lines, in plain words. Pseudonymous id only; for the practice and the client, "
        "never for a grant output.",
        examples="  outcomes client C0053 visits.csv -o C0053.html\n"
        "  outcomes client C0053 -o C0053.html   # the bundled synthetic sample",
    )
    one.add_argument("client_id", metavar="ID", help="the client's pseudonymous id, as in the export")
    add_read_options(one)
    one.add_argument("-o", "--output", default="client.html", metavar="FILE", help="client.html (default)")
    one.add_argument(
        "--time",
        default="log_session",
        choices=["log_session", "session", "weeks", "days"],
        help="time scale of the expected course (default: log_session)",
    )
    one.set_defaults(func=client_command)

    net = sub.add_parser(
        "network",
        help="a research network: export a site's client-level file, or pool the sites' files",
        description="A research network pools clinics that send no session rows: each clinic writes "
        "its client-level file ('outcomes network export'), the coordinator pools them "
        "('outcomes network pool'). See docs/scale.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    net_sub = net.add_subparsers(dest="network_command", metavar="STEP", parser_class=Parser, required=True)
    ex = subcommand(
        net_sub,
        "export",
        help="write this clinic's client-level file for the network",
        description="Read the clinic's export (the privacy guard runs as on every read) and write what "
        "the network needs: per grouping, level, measure and client the earlier and later scores, "
        "under network pseudonyms (a fresh random key per export), with the site's flow; no session "
        "rows and no dates.",
        examples="  outcomes network export visits.csv --site north -o north.parquet\n"
        "  outcomes network export visits.csv --site north --by condition,age_band -o north.parquet",
    )
    add_read_options(ex, file_required=True)
    ex.add_argument("--site", required=True, help="the site's name in the network")
    ex.add_argument("-o", "--output", required=True, metavar="SITE.parquet", help="the site file to write")
    ex.add_argument(
        "--by", default="condition", help="client attributes the network may group by (default: condition)"
    )
    ex.add_argument(
        "--aggregate-only",
        action="store_true",
        help="send counts and moments per group and measure only, no client rows (the network then "
        "lacks what needs client values: the MCID share, reliable change, the bootstrap, Wilcoxon)",
    )
    ex.add_argument(
        "--min-cell",
        type=int,
        default=None,
        metavar="N",
        help="with --aggregate-only: withhold groups of fewer than N clients (in all, or with a pair of "
        "scores), and any group the whole site's counts would give back (default 11: groups of 1-10 "
        "clients are not sent)",
    )
    ex.set_defaults(func=network_export_command)
    po = subcommand(
        net_sub,
        "pool",
        help="pool the sites' files, print what was pooled, write the network report",
        description="Read every site file of a folder, report each that cannot be pooled and why, "
        "print the sites, and with -o write the network's report (HTML, small cells suppressed: it "
        "may leave the coordinator).",
        examples="  outcomes network pool sites/\n  outcomes network pool sites/ -o network_report.html",
    )
    po.add_argument("folder", metavar="FOLDER", help="folder of site files (*.parquet)")
    po.add_argument("-o", "--output", metavar="REPORT.html", help="write the network report here")
    po.add_argument(
        "--min-cell",
        type=int,
        default=11,
        help="smallest count of clients the report shows (default 11: counts of 1-10 are hidden)",
    )
    po.set_defaults(func=network_pool_command)

    g = subcommand(
        sub,
        "grant",
        help="funder report (Excel or HTML) with small cells suppressed",
        description="Clients served, sessions, conditions, demographics and outcomes for a reporting "
        "period, with counts from 1 to MIN_CELL-1 suppressed (and complementary suppression).",
        examples="  outcomes grant visits.csv --period 2025 -o grant.xlsx\n"
        "  outcomes grant visits.csv --from 2024-01-01 --to 2025-12-31 -o grant.html\n"
        "  outcomes grant visits.csv --period 2025 --by race_ethnicity,payer --min-cell 11 -o g.xlsx",
    )
    add_read_options(g)
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
    g.add_argument(
        "--ledger",
        metavar="FILE",
        help="the practice's record of published grant reports (JSON, kept at the practice): a period "
        "that overlaps a published one is refused, and the report written is recorded",
    )
    g.add_argument(
        "--allow-overlap",
        action="store_true",
        help="with --ledger: publish a period that overlaps a published one (the report says so)",
    )
    g.add_argument("--min-cell", type=int, default=11, help="smallest count shown (default 11)")
    g.add_argument("-o", "--output", required=True, metavar="FILE", help="grant.xlsx or grant.html")
    g.add_argument("--seed", type=int, default=0)
    g.set_defaults(func=grant_command)

    k = subcommand(
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
    k.set_defaults(func=keygen_command)

    a = subcommand(
        sub,
        "anonymize",
        help="make an anonymized copy of a raw export (pseudonymous ids, no dates, age bands)",
        description="Read a raw export as it comes from your records system and write a copy that can be "
        "shared: client ids (one client however its id is spelled: Jane Doe, JANE DOE, jane doe) become "
        "keyed pseudonyms (HMAC-SHA256 with your key) or random ids with a "
        "crosswalk that stays at the practice; service dates become days_from_first (0 at each client's "
        "first date) and year; ages become age_band (90+ for any age over 89); dates of birth and every "
        "column that looks identifying (names, phones, e-mails, addresses, ZIP codes, record numbers, "
        "other dates, notes, therapists, contacts, insurance numbers) are dropped. A column the reports "
        "read (session, timepoint, measure, score, condition ...) that still looks identifying stops the "
        "command, naming it, so that you fix its values or drop it with --drop. The output passes the "
        "privacy scan of every read before it is written; an existing output is kept unless --force. "
        "Next to the output goes OUTPUT.manifest.json: what was changed, the key's fingerprint (never the "
        "key), and the SHA-256 of both files.",
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
    a.add_argument(
        "--drop",
        default="",
        metavar="COLUMNS",
        help="comma-separated further columns to drop (a column the anonymizer cannot clear is named in "
        "its error with this option)",
    )
    a.add_argument(
        "--force",
        action="store_true",
        help="replace CLEAN.csv and its manifest if they exist (default: stop; a crosswalk is never "
        "replaced)",
    )
    a.add_argument(
        "--random-ids", action="store_true", help="random ids instead of keyed pseudonyms (needs --crosswalk)"
    )
    a.add_argument(
        "--crosswalk",
        metavar="FILE",
        help="with --random-ids: where to write the table linking your ids to the random ones "
        "(keep it at the practice)",
    )
    a.set_defaults(func=anonymize_command)
    return parser
