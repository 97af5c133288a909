"""Progress bars for long work: shown in notebooks and terminals, silent in tests, CI and pipes.

Every long-running function (:func:`outcomes.read_sessions`,
:func:`outcomes.summarize`) takes ``progress=None``, which means *automatic*:
a bar appears only when the session is interactive (a Jupyter kernel, or a
terminal on stderr) and only once the work has lasted a second, so quick calls
stay silent. ``progress=True`` or ``False`` decides for one call;
:func:`set_progress` decides for the whole session (the CLI's ``--quiet`` uses
it). The environment variable ``OUTCOMES_PROGRESS`` (``0`` or ``1``) does the
same from outside; runs under ``CI`` or pytest are silent in automatic mode.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["progress_bar", "progress_setting", "set_progress"]

_SESSION: bool | None = None
#: seconds a task must run before its bar appears (automatic mode)
DELAY = 1.0


def set_progress(enabled: bool | None) -> None:
    """Show (``True``), hide (``False``) or decide automatically (``None``) for every later call.

    >>> set_progress(False)
    >>> progress_bar(10, "quiet").disable
    True
    >>> set_progress(None)
    """
    global _SESSION
    if type(enabled) not in (bool, type(None)):
        raise TypeError(f"enabled must be True, False or None (got {enabled!r})")
    _SESSION = enabled


@contextlib.contextmanager
def progress_setting(enabled: bool | None) -> Iterator[None]:
    """:func:`set_progress` for the duration of a ``with`` block, then the previous setting."""
    before = _SESSION
    set_progress(enabled)
    try:
        yield
    finally:
        set_progress(before)


def _in_notebook() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None  # type: ignore[attr-defined]
    return shell is not None and hasattr(shell, "kernel")


def _automatic() -> bool:
    env = os.environ.get("OUTCOMES_PROGRESS", "").strip()
    if env in ("0", "1"):
        return env == "1"
    if os.environ.get("CI") or "PYTEST_CURRENT_TEST" in os.environ:
        return False
    if _in_notebook():
        return True
    stream = sys.stderr
    return stream is not None and hasattr(stream, "isatty") and stream.isatty()


def progress_bar(total: int, desc: str, *, unit: str = "it", enabled: bool | None = None) -> Any:
    """A tqdm bar for ``total`` steps, or a disabled one (same methods, prints nothing).

    ``enabled=None`` follows :func:`set_progress`, then the automatic rule of
    the module docstring. In a notebook the bar is a widget when ipywidgets is
    installed, text otherwise.
    """
    if enabled not in (True, False, None) or type(enabled) not in (bool, type(None)):
        raise TypeError(f"progress must be True, False or None (got {enabled!r})")
    choice = enabled if enabled is not None else _SESSION
    show = choice if choice is not None else _automatic()
    delay = 0.0 if choice else DELAY
    if show and _in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm as notebook_tqdm

            return notebook_tqdm(total=total, desc=desc, unit=unit, delay=delay, leave=False)
        except ImportError:
            pass
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        delay=delay,
        leave=False,
        disable=not show,
        file=sys.stderr,
        dynamic_ncols=True,
    )
