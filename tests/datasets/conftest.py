"""Fixtures of the dataset tests: the default synthetic practice."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.datasets import generate_practice


@pytest.fixture(scope="module")
def practice() -> pd.DataFrame:
    return generate_practice()
