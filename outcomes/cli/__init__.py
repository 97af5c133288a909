"""The ``outcomes`` command: wiring only.

Every command reads through :func:`outcomes.read_sessions` and reports data
problems as one readable paragraph (exit code 1); usage errors exit with 2;
``--debug`` shows the Python traceback instead. :mod:`.parser` holds the
grammar, :mod:`.commands` the commands, :mod:`.common` what they share.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from ..errors import OutcomesError
from .common import EXIT_BROKEN_PIPE, EXIT_DATA, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError
from .parser import build_parser

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_DATA", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    0 ok, 1 a problem in the data, 2 a usage error, 3 an internal error (a bug: the
    message asks for a report; ``--debug`` shows the traceback), 130 interrupted,
    141 the output pipe was closed.
    """
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
    except UsageError as exc:
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
    except Exception as exc:  # anything else is the package's fault, not the user's
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"outcomes {args.command}: internal error ({type(exc).__name__}). This is a bug in "
                "outcomes, not a problem with your data or options: please report it, with the command "
                "you ran, and run it again with --debug to see where it happened.",
                file=sys.stderr,
            )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
