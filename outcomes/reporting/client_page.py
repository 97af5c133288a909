"""One client's progress page: each measure session by session, in words a client could be shown.

Everything on it comes from :func:`outcomes.progress.client_progress`; the practice's privacy
guard still holds on read, the page shows the client's pseudonymous id only, and nothing of it
enters a grant output.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pandas as pd

from .._format import number
from .._version import __version__
from ..instruments import InstrumentRegistry, registry_for
from ..progress import FALLBACK_SESSION, client_progress
from .pages import figure_png, render

__all__ = ["client_page_html", "client_report"]

_STATUS_WORDS = {
    "reliably worse": "This is worse than at the start by more than measurement error alone would explain: "
    "worth talking about together.",
    "not on track": "This is outside the range most clients who started like this were in at this point: "
    "worth talking about together.",
    "on track": "This is within the range most clients who started like this were in at this point.",
    "reliably improved": "This is better than at the start by more than measurement error alone would "
    "explain.",
    "too little history": "There is one score so far: nothing to compare yet.",
}


_RULE_WORDS = {
    "not on track": "It has not yet improved by a change people notice: worth talking about together.",
    "reliably improved": "This is better than at the start by more than measurement error alone would "
    "explain.",
    "reliably worse": _STATUS_WORDS["reliably worse"],
    "too little history": "There is nothing to compare it with yet.",
}


def _n(value: Any) -> str:
    """A score as it reads: ``6`` for 6.0, ``5.5``."""
    text = number(value, 1)
    return text[:-2] if text.endswith(".0") else text


def _sentences(progress: Any, key: str, inst: Any) -> list[str]:
    scores = progress.scores[progress.scores["measure"] == key]
    pre = scores[scores["timepoint"] == "pre"].sort_values("session")
    status = progress.status[progress.status["measure"] == key]
    out: list[str] = []
    if pre.empty:
        return ["No score before a session was recorded for this measure."]
    first, last = pre.iloc[0], pre.iloc[-1]
    text = f"{inst.label} was {_n(first['score'])} at session {int(first['session'])}"
    if len(pre) > 1:
        change = inst.improvement_sign() * (
            inst.to_analysis_scale(float(last["score"])) - inst.to_analysis_scale(float(first["score"]))
        )
        how = "better" if change > 0 else "worse" if change < 0 else "the same"
        size = f"{_n(abs(change))} points {how}" if change else "the same"
        text += f" and {_n(last['score'])} before session {int(last['session'])}: {size}."
    else:
        text += "."
    out.append(text)
    if inst.mcid_points is not None and inst.direction != "toward":
        out.append(
            f"A change of {_n(inst.mcid_points)} points or more is one people usually notice (the MCID)."
        )
    expected = progress.expected[(progress.expected["measure"] == key)]
    if len(status):
        s = status.iloc[0]
        at = expected[expected["session"] == int(s["latest_session"])]
        if len(at) and s["status"] != "too little history":
            a = at.iloc[0]
            out.append(
                f"Clients of this practice who started at {_n(first['score'])} were mostly between "
                f"{_n(a['band_low'])} and {_n(a['band_high'])} at session "
                f"{int(s['latest_session'])}."
            )
        if len(at) or s["status"] == "too little history":
            out.append(_STATUS_WORDS.get(str(s["status"]), ""))
        elif s["status"] == "on track":  # judged by the published rule
            reached = "reached the MCID" in str(s["reason"])
            out.append(
                "It has improved by a change people usually notice."
                if reached
                else "It is early to judge: the published rule looks at session "
                f"{FALLBACK_SESSION} and later."
            )
        else:
            out.append(_RULE_WORDS.get(str(s["status"]), ""))
    follow = scores[scores["timepoint"] == "followup"]
    if len(follow):
        out.append(
            f"A few days after {len(follow)} of the sessions the score was "
            f"{_n(follow['score'].mean())} on average (from {_n(follow['score'].min())} "
            f"to {_n(follow['score'].max())})."
        )
    return [t for t in out if t]


def client_page_html(
    data: Any,
    client_id: str,
    *,
    measures: list[str] | None = None,
    instruments: InstrumentRegistry | None = None,
    synthetic: bool = False,
    **settings: Any,
) -> str:
    """The progress page of one client as an HTML string (see :func:`client_report`)."""
    import matplotlib.pyplot as plt

    from ..plots import plot_client

    registry = registry_for(data, instruments)
    progress = client_progress(data, client_id, measures=measures, instruments=registry, **settings)
    blocks = []
    keys = list(pd.unique(progress.scores["measure"]))
    rank = {m: -len(progress.scores[progress.scores["measure"] == m]) for m in keys}
    for key in sorted(keys, key=lambda m: (rank[m], m)):
        inst = registry[key]
        ax = plot_client(progress, key, instruments=registry)
        src = figure_png(ax.figure)
        plt.close(ax.figure)
        status = progress.status[progress.status["measure"] == key]
        rule = str(status["rule"].iloc[0]) if len(status) and status["rule"].iloc[0] else ""
        blocks.append(
            {
                "key": key,
                "label": inst.label,
                "sentences": _sentences(progress, key, inst),
                "src": src,
                "alt": f"{inst.label} of client {progress.client_id} by session",
                "rule": f"Judged by: {rule}." if rule else "",
            }
        )
    provenance = getattr(data, "provenance", {}) or {}
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return render(
        "client.html.j2",
        title=f"Progress of client {progress.client_id}",
        subtitle=f"{provenance.get('file', 'data passed in memory')} · generated {when} · "
        f"outcomes {__version__}",
        synthetic=synthetic,
        measures=blocks,
        fallback_session=settings.get("fallback_session", FALLBACK_SESSION),
    )


def client_report(
    data: Any,
    client_id: str,
    path: str | Path,
    *,
    measures: list[str] | None = None,
    instruments: InstrumentRegistry | None = None,
    synthetic: bool = False,
    **settings: Any,
) -> Path:
    """Write one client's progress page to ``path`` as a self-contained HTML file.

    Each measure: the client's scores session by session (before, right after and a few days
    after sessions), the band most of the practice's clients who started at the same score were
    in (fitted without this client), the MCID and reliable-change lines, and what they mean in
    plain words. ``settings`` are those of :func:`outcomes.not_on_track` (``time``, ``band``,
    ``min_clients``, ``folds``, ``fallback_session``).
    """
    path = Path(path)
    path.write_text(
        client_page_html(
            data, client_id, measures=measures, instruments=instruments, synthetic=synthetic, **settings
        ),
        encoding="utf-8",
    )
    return path
