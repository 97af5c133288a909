"""Screening cut-offs (share above at intake and discharge, recovered) and the safety items in the
practice report: counted, shown to the therapist by session, never averaged away."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.reporting.practice_screening import safety_signals


def _epds_practice(n_clients: int = 12) -> pd.DataFrame:
    """Two EPDS forms per client (items as the box ticked, 0 = first box), item 10 'never' (box 3)
    except for two forms."""
    rng = np.random.default_rng(11)
    n = 2 * n_clients
    df = pd.DataFrame(
        {
            "client_id": [f"P{i // 2:03d}" for i in range(n)],
            "session": [1, 6] * n_clients,
            "condition": "postpartum",
            "pain_nrs_pre": rng.integers(3, 9, n),
            "pain_nrs_post": rng.integers(0, 7, n),
        }
    )
    for i in range(1, 10):
        df[f"epds_{i}"] = rng.integers(0, 4, n)
    df["epds_10"] = 3
    df.loc[[4, 9], "epds_10"] = [1, 2]  # clients P002 (session 1) and P004 (session 6)
    return df


def test_share_above_the_cut_off_at_the_first_and_last_score():
    df = _epds_practice()
    data = oc.read_sessions(df)
    course = oc.summarize(data, level="course", by=None)
    row = course.set_index("measure").loc["epds"]
    totals = oc.score_questionnaire(df, "epds")["epds"].to_numpy()
    first, last = totals[0::2], totals[1::2]
    assert row["pct_clinical_pre"] == pytest.approx(100 * np.mean(first >= 11))  # Levis 2020: >= 11
    assert row["pct_clinical_post"] == pytest.approx(100 * np.mean(last >= 11))
    assert row["n_clinical_baseline"] == np.sum(first >= 11)
    session = oc.summarize(data, level="session", by=None)
    assert session["pct_clinical_pre"].isna().all()  # a course-level share only


def test_safety_answers_are_listed_by_client_and_session():
    data = oc.read_sessions(_epds_practice())
    signals = safety_signals(data.frame, data.registry)
    assert signals[["client_id", "session", "answer"]].values.tolist() == [["P002", 1, 2.0], ["P004", 6, 1.0]]


def test_the_practice_report_surfaces_the_safety_items(tmp_path):
    data = oc.read_sessions(_epds_practice())
    html = (oc.report(data, tmp_path / "r.html")).read_text(encoding="utf-8")
    box = html[html.index('id="safety-box"') : html.index("</table>", html.index('id="safety-box"'))]
    assert "2 positive answers from 2 clients" in box and "P002" in box and "P004" in box
    assert 'id="screening"' in html and "≥ 11" in html
    shared = (oc.report(data, tmp_path / "s.html", safety_sessions=False)).read_text(encoding="utf-8")
    assert "2 positive answers from 2 clients" in shared and "P002" not in shared


def test_no_safety_box_without_a_safety_item(tmp_path):
    df = _epds_practice().drop(columns=[f"epds_{i}" for i in range(1, 11)])
    html = oc.report(oc.read_sessions(df), tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="safety-box"' not in html


def test_cli_report_can_leave_the_safety_list_out(tmp_path):
    from outcomes.cli import main

    _epds_practice().to_csv(tmp_path / "forms.csv", index=False)
    assert main(["report", str(tmp_path / "forms.csv"), "-o", str(tmp_path / "own.html"), "-q"]) == 0
    out = tmp_path / "shared.html"
    assert main(["report", str(tmp_path / "forms.csv"), "-o", str(out), "--no-safety-sessions", "-q"]) == 0
    assert "P002" in (tmp_path / "own.html").read_text(encoding="utf-8")
    shared = out.read_text(encoding="utf-8")
    assert "2 positive answers from 2 clients" in shared and "P002" not in shared


def test_a_groc_is_a_distribution_of_ratings_not_a_change(tmp_path):
    """GROC (-7..+7, Bobos 2020's Table 1): each client's rating counted once, no responder rule
    (its published MCID and ICC are for an 11-point scale)."""
    ratings = [5, 3, 0, -2, 7, 5]
    df = pd.DataFrame(
        {
            "client_id": [f"C{i}" for i in range(6)],
            "session": 4,
            "timepoint": "post",
            "measure": "groc",
            "score": ratings,
            "condition": "neck_pain",
        }
    )
    data = oc.read_sessions(df)
    r = oc.summarize_ratings(data, by=None).iloc[0]
    assert r["n_clients"] == 6 and r["n_5"] == 2 and r["n_-2"] == 1 and r["n_-7"] == 0
    assert "pct_responders" not in r.index or np.isnan(r["pct_responders"])
    assert "groc" not in set(oc.summarize(data)["measure"])
    pain = pd.DataFrame(
        {
            "client_id": [f"C{i}" for i in range(6)],
            "session": 4,
            "timepoint": "pre",
            "measure": "pain_nrs",
            "score": 5,
            "condition": "neck_pain",
        }
    )
    html = oc.report(oc.read_sessions(pd.concat([df, pain])), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Global Rating of Change" in html and "Rated -7" in html and "Rated +7" in html
