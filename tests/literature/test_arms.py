"""outcomes.literature.arms: published arms on the practice's metric, the standardized mean change
(worked_examples.md), for each assumed pre-post correlation."""

from __future__ import annotations

import math

import pytest

from outcomes.literature import literature_arms


def test_published_arm_smc_follows_the_worked_example():
    """Domaranczyk 2020 HIT-6: baseline 62.67 (SD 4.65) -> 48.43 (SD 9.45), n = 30.
    worked_examples.md: d = (M_post − M_pre) / SD_pre, J = 1 − 3 / (4(n − 1) − 1), g = J d.
    Both SDs are published, so the variance lets them differ (Bonett 2008, metafor's SMCRH):
    var = J² [(SD_pre² + SD_post² − 2 r SD_pre SD_post) / (SD_pre² (n − 1)) + g² / (2 (n − 1))].
    HIT-6 is lower-better, so the improvement is −g."""
    arms = literature_arms(assumed_r=(0.5,))
    row = arms.set_index("id").loc["domaranczyk2020_hit6"]
    d = (48.43 - 62.67) / 4.65
    j = 1 - 3 / (4 * 29 - 1)
    g = j * d
    var = j**2 * ((4.65**2 + 9.45**2 - 2 * 0.5 * 4.65 * 9.45) / (4.65**2 * 29) + g**2 / (2 * 29))
    assert row["smc"] == pytest.approx(-g)
    assert row["smc_var"] == pytest.approx(var)
    assert row["sd_source"].startswith("published baseline and endpoint SDs")
    assert row["pct_change"] == pytest.approx(100 * (62.67 - 48.43) / 62.67)
    # the equal-SD variance would be 2(1 − r)/n + g²/(2n), a quarter smaller here (SD ratio 2.0)
    assert 2 * 0.5 / 30 + g**2 / 60 < 0.75 * var


def test_published_arm_smc_from_sd_of_change_uses_the_assumed_r():
    """Ughreja 2023 PSQI: change −5.44 (SD 3.28), n = 9. Equal pre/post SDs give
    SD_pre = SD_change / sqrt(2(1 − r)); the result depends on r and says so."""
    arms = literature_arms(assumed_r=(0.3, 0.7)).set_index(["id", "assumed_r"])
    for r in (0.3, 0.7):
        row = arms.loc[("ughreja2023_psqi", r)]
        sd_pre = 3.28 / math.sqrt(2 * (1 - r))
        g = (1 - 3 / (4 * 8 - 1)) * (-5.44 / sd_pre)
        assert row["smc"] == pytest.approx(-g)
        assert row["smc_var"] == pytest.approx(2 * (1 - r) / 9 + g**2 / 18)
        assert "SD of the change" in row["sd_source"]


def test_arms_without_sd_or_n_are_not_standardized():
    arms = literature_arms(assumed_r=(0.5,)).set_index("id")
    assert not arms.loc["haller2016_vas_cst_w8", "comparable"]
    assert arms.loc["haller2016_vas_cst_w8", "pct_change"] == pytest.approx(50.0)
    assert "arm size not published" in arms.loc["dysmenorrhea2014_omt", "why_not"]
