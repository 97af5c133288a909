"""outcomes.instruments.scoring: questionnaires scored from their items (issue 17, point 3).

Property tests: every item at its lowest answer gives the lowest total and every item at its
highest the highest; reverse-scored items turn around; an item unanswered beyond the published
rule gives no score and a reason naming it. Worked examples are in tests/test_scoring_examples.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import SchemaError
from outcomes.instruments.scoring import QUESTIONNAIRES, score_questionnaire

#: The range of each total, as the registry or the source gives it.
RANGES = {
    "pfdi20": (0, 300),
    "hit6": (36, 78),
    "odi": (0, 100),
    "ndi": (0, 50),
    "gad7": (0, 21),
    "phq9": (0, 27),
    "epds": (0, 30),
    "pcs": (0, 52),
    "iciq_uisf": (0, 21),
    "copm_performance": (1, 10),
}


def _forms(key: str, answer) -> pd.DataFrame:
    """One form per answer rule: ``answer(item) -> value``."""
    q = QUESTIONNAIRES[key]
    return pd.DataFrame({q.prefix + i: [answer(i)] for i in q.items})


def _extreme(key: str, highest: bool):
    q = QUESTIONNAIRES[key]

    def answer(item):
        if item in q.points:
            values = sorted(q.points[item].items(), key=lambda kv: kv[1])
            return values[-1][0] if highest else values[0][0]
        worst = q.high if highest else q.low
        if item in q.reversed:
            worst = q.low + q.high - worst
        return worst

    return answer


@pytest.mark.parametrize("key", [k for k in RANGES if k != "copm_performance"])
def test_lowest_and_highest_answers_give_the_ends_of_the_range(key):
    lo, hi = RANGES[key]
    low = score_questionnaire(_forms(key, _extreme(key, False)), key)
    high = score_questionnaire(_forms(key, _extreme(key, True)), key)
    assert low[key].iat[0] == lo and high[key].iat[0] == hi
    assert low["reason"].iat[0] == "" and high["reason"].iat[0] == ""
    assert low["items_answered"].iat[0] == len(QUESTIONNAIRES[key].items)
    registry = oc.default_registry()
    if key in registry:
        inst = registry.get_instrument(key)
        assert (inst.min, inst.max) == (lo, hi)


def test_epds_reverses_items_3_and_5_to_10():
    """The first box of items 3 and 5-10 scores 3 (Cox 1987): all first boxes give 7 × 3 = 21;
    with the points already scored, all zeros give 0."""
    first = _forms("epds", lambda i: 0)
    assert score_questionnaire(first, "epds")["epds"].iat[0] == 21
    assert score_questionnaire(first, "epds", scored_items=True)["epds"].iat[0] == 0
    last = _forms("epds", lambda i: 3)
    assert score_questionnaire(last, "epds")["epds"].iat[0] == 9
    # item 10's points (the self-harm item) are given on their own: never averaged away
    assert score_questionnaire(first, "epds")["epds_item10"].iat[0] == 3


def test_pfdi20_scales_are_means_times_25():
    forms = _forms("pfdi20", lambda i: 2 if int(i) <= 6 else (4 if int(i) <= 14 else 0))
    out = score_questionnaire(forms, "pfdi20").iloc[0]
    assert (out["popdi6"], out["cradi8"], out["udi6"], out["pfdi20"]) == (50, 100, 0, 150)


def test_pcs_subscales():
    forms = _forms("pcs", lambda i: 4 if i in ("8", "9", "10", "11") else 0)
    out = score_questionnaire(forms, "pcs").iloc[0]
    assert (out["pcs"], out["pcs_rumination"], out["pcs_magnification"], out["pcs_helplessness"]) == (
        16,
        16,
        0,
        0,
    )


def test_hit6_words_numbers_and_points_agree():
    words = _forms(
        "hit6", lambda i: ["Never", "Rarely", "Sometimes", "Very often", "Always", "always"][int(i) - 1]
    )
    positions = _forms("hit6", lambda i: [1, 2, 3, 4, 5, 5][int(i) - 1])
    points = _forms("hit6", lambda i: [6, 8, 10, 11, 13, 13][int(i) - 1])
    totals = [score_questionnaire(f, "hit6")["hit6"].iat[0] for f in (words, positions, points)]
    assert totals == [61, 61, 61]


def test_a_missing_section_of_the_odi_is_left_out_of_the_percentage():
    """Fairbank 2000: total / (5 × sections answered) × 100; two missing sections: no score."""
    one = _forms("odi", lambda i: np.nan if i == "10" else 3)
    two = _forms("odi", lambda i: np.nan if i in ("9", "10") else 3)
    assert score_questionnaire(one, "odi")["odi"].iat[0] == pytest.approx(60)
    out = score_questionnaire(two, "odi").iloc[0]
    assert (
        np.isnan(out["odi"]) and "odi: 2 of 10 items unanswered (9, 10); the rule allows 1" in out["reason"]
    )
    assert score_questionnaire(two, "odi", missing=2)["odi"].iat[0] == pytest.approx(60)


@pytest.mark.parametrize("key", ["gad7", "phq9", "epds", "pcs", "hit6", "iciq_uisf"])
def test_one_unanswered_item_gives_no_score_and_says_which(key):
    q = QUESTIONNAIRES[key]
    gap = q.items[-1]
    forms = _forms(key, lambda i: np.nan if i == gap else _extreme(key, False)(i))
    out = score_questionnaire(forms, key).iloc[0]
    assert np.isnan(out[key]) and f"({gap})" in out["reason"]
    assert out["items_answered"] == len(q.items) - 1


def test_an_answer_outside_the_item_range_is_a_reason_not_a_score():
    forms = _forms("gad7", lambda i: 7 if i == "3" else 1)
    out = score_questionnaire(forms, "gad7").iloc[0]
    assert np.isnan(out["gad7"]) and "item 3: not a valid answer" in out["reason"]
    iciq = score_questionnaire(
        pd.DataFrame({"iciq_uisf_3": [2], "iciq_uisf_4": [3], "iciq_uisf_5": [5]}), "iciq"
    )
    assert np.isnan(iciq["iciq_uisf"].iat[0]) and "item 4" in iciq["reason"].iat[0]  # 3 is not 0, 2, 4 or 6


def test_copm_is_the_mean_over_the_problems_chosen():
    forms = pd.DataFrame(
        {
            "COPM performance 1": [4, 6],
            "copm_performance_2": [6, np.nan],
            "copm_performance_3": [8, np.nan],
            "copm_satisfaction_1": [2, 9],
            "copm_satisfaction_2": [3, np.nan],
            "copm_satisfaction_3": [4, np.nan],
        }
    )
    out = score_questionnaire(forms, "copm")
    assert out["copm_performance"].tolist() == [6, 6] and out["copm_satisfaction"].tolist() == [3, 9]


def test_a_missing_item_column_is_named():
    forms = _forms("gad7", lambda i: 1).drop(columns="gad7_4")
    with pytest.raises(SchemaError, match="no column for item\\(s\\) gad7_4"):
        score_questionnaire(forms, "gad7")
    renamed = forms.assign(nervous=1)
    assert score_questionnaire(renamed, "gad7", columns={"4": "nervous"})["gad7"].iat[0] == 7


def test_an_unknown_questionnaire_lists_the_known_ones():
    with pytest.raises(ValueError, match="questionnaires scored from items: copm, epds, gad7"):
        score_questionnaire(pd.DataFrame(), "bdi2")


def test_psqi_best_and_worst_nights():
    best = pd.DataFrame(
        {"psqi_q1": ["22:00"], "psqi_q2": [5], "psqi_q3": ["7:00"], "psqi_q4": [9]}
        | {f"psqi_q5{c}": [0] for c in "abcdefghi"}
        | {"psqi_q6": [0], "psqi_q7": [0], "psqi_q8": [0], "psqi_q9": [0]}
    )
    worst = pd.DataFrame(
        {"psqi_q1": ["1:00 AM"], "psqi_q2": [90], "psqi_q3": ["9:00"], "psqi_q4": [3]}
        | {f"psqi_q5{c}": [3] for c in "abcdefghij"}
        | {"psqi_q6": [3], "psqi_q7": [3], "psqi_q8": [3], "psqi_q9": [3]}
    )
    assert score_questionnaire(best, "psqi")["psqi"].iat[0] == 0  # no 5j: "other reason" left blank
    out = score_questionnaire(worst, "psqi").iloc[0]
    assert out["psqi"] == 21 and out["psqi_c4_efficiency"] == 3  # 3 h asleep of 8 in bed: 37.5 %
    blank = best.assign(psqi_q4=np.nan)
    out = score_questionnaire(blank, "psqi").iloc[0]
    assert np.isnan(out["psqi"]) and "c3_duration" in out["reason"] and "c4_efficiency" in out["reason"]


def test_pfdi20_scales_use_the_mean_of_the_answered_items():
    """Barber 2005's scoring sheet: 'Obtain the mean value of all of the answered items within the
    corresponding scale ... Missing items are dealt with by using the mean from answered items only.'"""
    forms = _forms("pfdi20", lambda i: np.nan if i == "1" else (4 if int(i) <= 6 else 0))
    out = score_questionnaire(forms, "pfdi20").iloc[0]
    assert out["popdi6"] == 100 and out["pfdi20"] == 100  # five answered 4s: mean 4 × 25
    none = _forms("pfdi20", lambda i: np.nan if int(i) <= 6 else 1)
    out = score_questionnaire(none, "pfdi20").iloc[0]
    assert np.isnan(out["popdi6"]) and np.isnan(out["pfdi20"]) and out["cradi8"] == 25
    half = score_questionnaire(
        forms.assign(pfdi20_2=np.nan, pfdi20_3=np.nan, pfdi20_4=np.nan), "pfdi20", missing=3
    )
    assert np.isnan(half["popdi6"].iat[0])  # four of six missing: more than a stricter limit of three


@pytest.mark.parametrize(
    ("hours", "component"), [(9, 0), (7.0, 0), (6.99, 1), (6.0, 1), (5.5, 2), (5.0, 2), (4.99, 3), (3, 3)]
)
def test_psqi_duration_bands_at_their_edges(hours, component):
    """University of Pittsburgh PSQI scoring sheet (PSQIDURAT): 'IF Q4 >= 7 ... 0 / IF Q4 < 7 and >= 6
    ... 1 / IF Q4 < 6 and >= 5 ... 2 / IF Q4 < 5 ... 3'. The printed form's '>7, 6-7, 5-6, <5'
    leaves the edges open; programs that read it strictly give 7 h a 1."""
    form = _psqi_form(q4=hours, q1="22:00", q3="08:00")  # 10 h in bed
    assert score_questionnaire(form, "psqi")["psqi_c3_duration"].iat[0] == component


@pytest.mark.parametrize(
    ("asleep", "component"), [(8.5, 0), (8.49, 1), (7.5, 1), (7.49, 2), (6.5, 2), (6.49, 3)]
)
def test_psqi_efficiency_bands_at_their_edges(asleep, component):
    """The sheet's PSQIHSE: '>= 85 ... 0 / < 85 and >= 75 ... 1 / < 75 and >= 65 ... 2 / < 65 ... 3';
    with 10 h in bed, 8.5 h asleep is exactly 85 %."""
    form = _psqi_form(q4=asleep, q1="22:00", q3="08:00")
    assert score_questionnaire(form, "psqi")["psqi_c4_efficiency"].iat[0] == component


@pytest.mark.parametrize(
    ("minutes", "q5a", "component"),
    [(15, 0, 0), (16, 0, 1), (30, 1, 1), (31, 1, 2), (60, 2, 2), (61, 2, 3), (61, 3, 3)],
)
def test_psqi_latency_bands_at_their_edges(minutes, q5a, component):
    """The sheet's PSQILATEN: Q2 '>= 0 and <= 15' → 0, '> 15 and <= 30' → 1, '> 30 and <= 60' → 2,
    '> 60' → 3; plus Q5a: 0 → 0, 1–2 → 1, 3–4 → 2, 5–6 → 3."""
    form = _psqi_form(q2=minutes, q5a=q5a)
    assert score_questionnaire(form, "psqi")["psqi_c2_latency"].iat[0] == component


def test_psqi_an_answer_out_of_range_is_named():
    out = score_questionnaire(_psqi_form(q6=7, q4=30), "psqi").iloc[0]
    assert np.isnan(out["psqi"])
    assert "item q6: not a valid answer" in out["reason"] and "item q4: not a valid answer" in out["reason"]
    assert out["items_answered"] == 15  # 18 questions: 5j left blank, two not valid


def _psqi_form(**answers: object) -> pd.DataFrame:
    base: dict[str, object] = {"q1": "23:00", "q2": 10, "q3": "07:00", "q4": 7.5}
    base |= {f"q5{c}": 0 for c in "abcdefghi"} | {"q6": 1, "q7": 0, "q8": 0, "q9": 1}
    base |= answers
    return pd.DataFrame({f"psqi_{k}": [v] for k, v in base.items()})
