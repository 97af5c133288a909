"""The commands: each reads the export, does one job through the library and says what it wrote."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

from .._spreadsheet import neutralize_frame, write_csv
from .._words import plural
from ..errors import OutcomesError
from .common import (
    EXIT_DATA,
    EXIT_OK,
    UsageError,
    course_end_value,
    echo,
    output_path,
    progress,
    read_export,
    split,
)


def validate_command(args: argparse.Namespace) -> int:
    from ..schema import failure_message

    data = read_export(args, errors="exclude")
    if not args.file:
        echo(args, "No file given: validating the bundled SYNTHETIC sample (not real clients).\n")
    p = data.provenance
    echo(args, f"File:    {p['file']} (SHA-256 {p['sha256'][:16]}...)")
    echo(args, f"Layout:  {p['layout']} ({p['layout_reason']})")
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
                echo(args, f"  {key}: {p[key]!r}")
    echo(args, "\nFlow:")
    echo(args, data.flow_text())
    flagged = {f["read_as"] for f in p.get("privacy_findings", [])}
    if "condition" in flagged:  # its values may identify: never print them
        echo(args, "\nClients per condition: not shown (the condition column was flagged as identifying).")
    else:
        counts = data.counts("condition")
        if len(counts):
            echo(args, "\nClients per condition (a client with two conditions counts in each):")
            echo(args, counts.to_string(index=False))
        else:
            echo(
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
    echo(
        args,
        f"\nNo problems found: {len(data.frame):,} scores from "
        f"{data.frame['client_id'].nunique():,} clients are ready for analysis.",
    )
    return EXIT_OK


def report_command(args: argparse.Namespace) -> int:
    from ..analysis import analyze
    from ..reporting import report

    out = output_path(args.output, (".html", ".htm"))
    with progress(args, 2, "outcomes report") as bar:
        data = read_export(args)
        bar.update()
        # one analysis: every table, figure and verdict of the report comes from it
        analysis = analyze(
            data, by=args.by, seed=args.seed, n_boot=args.n_boot, course_end=course_end_value(args.course_end)
        )
        report(analysis, out, synthetic=not args.file, safety_sessions=args.safety_sessions)
        bar.update()
    if not args.file:
        echo(args, "No file given: the report uses the bundled SYNTHETIC sample (not real clients).")
    echo(args, f"Wrote the practice report to {out}")
    return EXIT_OK


def summarize_command(args: argparse.Namespace) -> int:
    from ..summary import LEVELS, summarize

    out = output_path(args.output, (".csv", ".xlsx", ".parquet"))
    levels = split(args.level)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad or not levels:
        raise UsageError(f"--level takes {', '.join(LEVELS)} (comma-separated); got {args.level!r}")
    with progress(args, 2, "outcomes summarize") as bar:
        data = read_export(args)
        bar.update()
        table = summarize(
            data,
            by=split(args.by),
            level=levels,
            measures=split(args.measures) or None,
            seed=args.seed,
            n_boot=args.n_boot,
            course_end=course_end_value(args.course_end),
        )
        bar.update()
    table["level"] = table["level"].astype(str)
    if out.suffix.lower() == ".csv":  # a group spelled "=HYPERLINK(...)" must not run when opened
        write_csv(table, out)
    elif out.suffix.lower() == ".xlsx":
        neutralize_frame(table).to_excel(out, index=False, sheet_name="summary")
    else:
        table.to_parquet(out, index=False)
    echo(args, f"Wrote {len(table)} rows x {table.shape[1]} columns to {out}")
    echo(args, directions(table))
    return EXIT_OK


def clients_command(args: argparse.Namespace) -> int:
    from ..progress import STATUSES, not_on_track

    with progress(args, 2, "outcomes clients") as bar:
        data = read_export(args)
        bar.update()
        table = not_on_track(data, measure=args.measure, time=args.time)
        bar.update()
    if not args.file:
        echo(args, "No file given: the bundled SYNTHETIC sample (not real clients).\n")
    counts = table["status"].value_counts()
    echo(args, "Clients x measures: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES) + ".")
    shown = table if args.all else table[table["status"].isin(STATUSES[:2])]  # those needing attention
    if shown.empty:
        echo(args, "No client needs attention by these rules.")
    else:
        cols = ["client_id", "measure", "latest_session", "status", "reason"]
        echo(
            args,
            shown[cols]
            .rename(columns={"client_id": "client", "latest_session": "session"})
            .to_string(index=False),
        )
    echo(args, "\nRules (clients judged by each):\n" + rules_text(table))
    echo(args, "A flag is a prompt for clinical review, not a diagnosis. For the practice's own view only.")
    if args.output:
        out = output_path(args.output, (".csv",))
        write_csv(table, out)
        echo(args, f"Wrote {len(table)} rows to {out}")
    return EXIT_OK


def client_command(args: argparse.Namespace) -> int:
    from ..reporting import client_report

    out = output_path(args.output, (".html", ".htm"))
    with progress(args, 2, "outcomes client") as bar:
        data = read_export(args)
        bar.update()
        ids = set(data.frame["client_id"].astype(str))
        if str(args.client_id) not in ids:
            raise UsageError(
                f"no client {args.client_id!r} in {data.provenance.get('file', 'the data')}; "
                "run 'outcomes clients FILE --all' for the ids"
            )
        client_report(data, args.client_id, out, synthetic=not args.file, time=args.time)
        bar.update()
    echo(args, f"Wrote {out} (client {args.client_id}; for the practice and the client, not for sharing)")
    return EXIT_OK


def network_export_command(args: argparse.Namespace) -> int:
    from ..network import export_site
    from ..privacy.suppression import DEFAULT_MIN_CELL

    if args.min_cell is not None and not args.aggregate_only:
        raise UsageError(
            "--min-cell goes with --aggregate-only: client rows are sent whole (the pooled statistics "
            "need each client's values), and the coordinator's report suppresses small cells"
        )
    min_cell = DEFAULT_MIN_CELL if args.min_cell is None else args.min_cell
    out = output_path(args.output, (".parquet",))
    data = read_export(args)
    try:
        export_site(
            data,
            out,
            site=args.site,
            by=split(args.by),
            aggregate_only=args.aggregate_only,
            min_cell=min_cell,
        )
    except ValueError as exc:
        print(f"outcomes network export: {exc}", file=sys.stderr)
        return EXIT_DATA
    if args.aggregate_only:
        from ..network import read_site

        withheld = read_site(out)[1]["withheld"]["rows"]
        what = (
            "counts and moments per group and measure, no client's row; "
            f"{plural(withheld, 'group row')} of fewer than {min_cell} clients (in all, or with a pair "
            "of scores) or that the site's totals would give back, withheld"
        )
    else:
        what = "client-level rows under network pseudonyms, no session rows, no dates"
    echo(args, f"Wrote {out} for site {args.site!r}: {what}")
    return EXIT_OK


def network_pool_command(args: argparse.Namespace) -> int:
    from ..network import pool_sites

    try:
        network = pool_sites(args.folder)
    except ValueError as exc:
        print(f"outcomes network pool: {exc}", file=sys.stderr)
        return EXIT_DATA
    echo(args, f"Pooled {len(network.sites)} site(s):")
    echo(args, network.sites.to_string(index=False))
    if args.output:
        from ..reporting.network import network_report

        out = output_path(args.output, (".html", ".htm"))
        try:
            network_report(network, out, min_cell=args.min_cell)
        except ValueError as exc:
            print(f"outcomes network pool: {exc}", file=sys.stderr)
            return EXIT_DATA
        echo(args, f"Wrote {out} (small cells suppressed: counts of 1 to {args.min_cell - 1} hidden)")
    if len(network.failed):
        echo(args, f"\nNot pooled ({len(network.failed)}):")
        for r in network.failed.itertuples(index=False):
            echo(args, f"  {r.reason}")
    return EXIT_DATA if len(network.failed) else EXIT_OK


def rules_text(table: Any) -> str:
    """Per measure, the rules its clients were judged by and how many by each, one line each."""
    judged = table[table["rule"] != ""]
    head = judged["rule"].str.split(":", n=1).str[0]
    detail = judged["rule"].str.split(", ", n=1).str[1].fillna("")
    lines = []
    for measure, sub in judged.assign(head=head, detail=detail).groupby("measure", sort=False):
        kinds = "; ".join(f"{h} ({n})" for h, n in sub["head"].value_counts().items())
        extra = next((d for d in sub["detail"] if d), "")
        lines.append(f"  {measure}: {kinds}" + (f"; {extra}" if extra else ""))
    return "\n".join(lines)


def directions(table: Any) -> str:
    """How many rows of each level improved, got worse or show no clear change (the report's words)."""
    import pandas as pd

    from .._sentences import DIRECTIONS, SIGN_CONVENTION, direction

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


def grant_command(args: argparse.Namespace) -> int:
    from ..reporting import grant_report, write_grant_html, write_grant_xlsx

    out = output_path(args.output, (".xlsx", ".html", ".htm"))
    if args.end and not args.start and not args.period:
        args.start = None
    with progress(args, 3, "outcomes grant") as bar:
        data = read_export(args)
        bar.update()
        try:
            rep = grant_report(
                data,
                period=args.period,
                start=args.start,
                end=args.end,
                by=split(args.by),
                min_cell=args.min_cell,
                seed=args.seed,
                ledger=args.ledger,
                allow_overlap=args.allow_overlap,
            )
        except ValueError as exc:
            if isinstance(exc, OutcomesError):
                raise
            raise UsageError(str(exc)) from exc
        bar.update()
        if out.suffix.lower() == ".xlsx":
            write_grant_xlsx(rep, out, synthetic=not args.file)
        else:
            write_grant_html(rep, out, synthetic=not args.file)
        bar.update()
    if not args.file:
        echo(args, "No file given: the report uses the bundled SYNTHETIC sample (not real clients).")
    for note in rep.warnings:
        echo(args, f"Note: {note}")
    echo(args, f"Wrote the funder report for {rep.period} to {out} (counts 1-{rep.min_cell - 1} suppressed).")
    return EXIT_OK


def keygen_command(args: argparse.Namespace) -> int:
    from ..privacy import keygen

    try:
        fingerprint = keygen(args.keyfile)
    except FileExistsError as exc:
        print(f"outcomes keygen: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"outcomes keygen: could not write {args.keyfile}: {exc.strerror}", file=sys.stderr)
        return EXIT_DATA
    echo(args, f"Wrote a new key to {args.keyfile} (fingerprint {fingerprint}, readable by you only).")
    echo(
        args,
        "Keep it at the practice with the same care as the raw records, and never put it next to the "
        "anonymized data: anyone with the key and a client's id can recompute that client's pseudonym.",
    )
    return EXIT_OK


def anonymize_command(args: argparse.Namespace) -> int:
    from ..io import anonymize_file
    from ..privacy import read_key

    out = output_path(args.output, (".csv",))
    if args.random_ids:
        if args.key_file:
            raise UsageError("--random-ids does not use a key; give either --key-file or --random-ids")
        if not args.crosswalk:
            raise UsageError("--random-ids needs --crosswalk FILE (the table that stays at the practice)")
        key = None
    else:
        if args.crosswalk:
            raise UsageError("--crosswalk goes with --random-ids (keyed pseudonyms need no crosswalk)")
        if not args.key_file:
            raise UsageError(
                "give --key-file KEY (make one once with 'outcomes keygen KEY'), or --random-ids"
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            key = read_key(args.key_file)
        for warning in caught:  # a key file others can read: one line, never the key
            print(f"outcomes anonymize: warning: {warning.message}", file=sys.stderr)
    try:
        manifest = anonymize_file(
            args.raw,
            out,
            key=key,
            id_column=args.id_column,
            date_column=args.date_column,
            dob_column=args.dob_column,
            age_column=args.age_column,
            drop=split(args.drop),
            method="random" if args.random_ids else "hmac",
            crosswalk=args.crosswalk,
            date_format=args.date_format,
            force=args.force,
        )
    except FileExistsError as exc:
        print(f"outcomes anonymize: {exc}", file=sys.stderr)
        return EXIT_DATA
    except ValueError as exc:
        if isinstance(exc, OutcomesError):
            raise
        raise UsageError(str(exc)) from exc
    ids = (
        f"keyed pseudonyms (key fingerprint {manifest['key_fingerprint']})"
        if manifest["key_fingerprint"]
        else "random ids"
    )
    echo(args, f"Wrote {out}: {manifest['rows']:,} rows, {manifest['clients']:,} clients as {ids}.")
    several = manifest.get("clients_spelled_several_ways", 0)
    if several:
        echo(
            args,
            f"  {several:,} client{'s' if several != 1 else ''} had ids spelled in more than one way (case, "
            "spaces, Unicode forms); each counts as one client with one pseudonym.",
        )
    for t in manifest["transformed"]:
        echo(args, f"  changed {t['column']!r} -> {', '.join(t['into'])}: {t['how']}")
    for d in manifest["dropped"]:
        echo(args, f"  dropped {d['column']!r}: {d['reason']}")
    if manifest.get("crosswalk"):
        echo(
            args,
            f"Crosswalk: {args.crosswalk} links the random ids to your clients. Keep it at the practice; "
            "never share it with the anonymized file.",
        )
    echo(args, f"Manifest: {out.with_name(manifest['manifest']['file'])}")
    return EXIT_OK
