"""What every command shares: usage errors, option values, reading the export, printing, the bar."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
#: A process whose output pipe was closed by its reader, as the shell reports one ended by SIGPIPE.
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """A bad option value found after parsing (exit code 2)."""


def output_path(text: str, suffixes: tuple[str, ...], option: str = "-o") -> Path:
    """The file a command writes: checked before any work, so that a bad path is a usage error.

    Its extension must be one of ``suffixes``; its folder must exist; it must not be a folder.
    """
    out = Path(text)
    dotted = [s for s in suffixes if s != ".htm"]
    listed = dotted[0] if len(dotted) == 1 else ", ".join(dotted[:-1]) + " or " + dotted[-1]
    if out.is_dir():
        raise UsageError(f"{option} {text!r} is a folder; give a file name ending in {listed}")
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"{option} must end in {listed} (got {out.name!r})")
    if not out.parent.is_dir():
        raise UsageError(
            f"{option} {text!r}: the folder {str(out.parent)!r} does not exist; create it or write elsewhere"
        )
    return out


def positive_n_boot(text: str) -> int:
    """``--n-boot``: a whole number of at least 100 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a whole number of resamples, at least 100 (got {text!r})"
        ) from None
    if value < 100:
        raise argparse.ArgumentTypeError(f"at least 100 resamples (got {value}); 2000 is the default")
    return value


def split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


@contextlib.contextmanager
def progress(args: argparse.Namespace, total: int, desc: str) -> Iterator[Any]:
    """A bar over the command's steps, above the bars of long library work (reading, bootstraps).

    Shown on an interactive terminal once a step has run for a second; silent in pipes, CI,
    tests and with --quiet (which silences the library's bars too).
    """
    from .._progress import progress_bar, progress_setting

    quiet = progress_setting(False) if args.quiet else contextlib.nullcontext()
    with quiet, progress_bar(total, desc, unit="step") as bar:
        yield bar


def read_export(args: argparse.Namespace, **extra: object) -> Any:
    from ..io import read_sessions

    reason = args.allow_identifiers
    if reason is not None and not reason.strip():
        raise UsageError(
            '--allow-identifiers needs the reason, e.g. --allow-identifiers "data use agreement with X"'
        )
    kwargs: dict[str, Any] = dict(
        extra,
        layout=args.layout,
        columns=args.columns,
        instruments=args.instruments,
        na_values=split(args.na_values) or None,
        allow_identifiers=reason,
    )
    if args.file:
        data = read_sessions(args.file, **kwargs)
    else:
        from ..datasets import sample_data

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


def echo(args: argparse.Namespace, text: str = "") -> None:
    if not args.quiet:
        print(text)


def course_end_value(text: str | None) -> int | tuple[float, float] | None:
    """``--course-end``: ``6`` (a session) or ``days:42-70`` (a window of days_from_first)."""
    from ..summary.course import as_course_end

    if text is None:
        return None
    value: Any = None
    match = re.fullmatch(r"\s*(?:(\d+)|days:\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?))\s*", text)
    if match and match.group(1):
        value = int(match.group(1))
    elif match:
        value = (float(match.group(2)), float(match.group(3)))
    else:
        raise UsageError(
            f"--course-end takes a session number (6) or a window of days (days:42-70); got {text!r}"
        )
    try:
        end = as_course_end(value)
    except ValueError as exc:
        raise UsageError(f"--course-end: {exc}") from exc
    return end.session if end.session is not None else end.days
