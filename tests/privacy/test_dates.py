"""outcomes.privacy.dates: the dates and ages of a raw export become days from the first session, year,
session numbers and age bands; ambiguous or unreadable values stop the run without being shown."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.errors import SchemaError
from outcomes.privacy import anonymize, scan


@pytest.mark.parametrize(
    ("dates", "fmt"),
    [
        (["2024-03-15", "2024-03-29", "2024-04-12"], None),
        (["03/15/2024", "03/29/2024", "04/12/2024"], None),
        (["15/03/2024", "29/03/2024", "12/04/2024"], None),
        (["15.03.2024", "29.03.2024", "12.04.2024"], None),
        (["March 15, 2024", "March 29, 2024", "April 12, 2024"], None),
        (["15 Mar 2024", "29 Mar 2024", "12 Apr 2024"], None),
        (["2024-03-15T09:30:00", "2024-03-29 16:00:00", "2024-04-12"], None),
        (["03/04/2024", "03/18/2024", "05/02/2024"], "%m/%d/%Y"),
    ],
)
def test_dates_become_days_from_first_year_and_sessions(practice_key, dates, fmt):
    raw = pd.DataFrame({"Client": ["Jane Doe"] * 3, "Visit Date": dates, "score": ["4", "3", "2"]})
    clean = anonymize(
        raw, key=practice_key, id_column="Client", date_column="Visit Date", date_format=fmt
    ).frame
    expected = [0, 14, 28] if fmt is None else [0, 14, 59]
    assert clean["days_from_first"].tolist() == expected
    assert clean["year"].tolist() == [2024] * 3
    assert clean["session"].tolist() == [1, 2, 3]


def test_ambiguous_and_unreadable_dates_stop_without_showing_them(practice_key):
    raw = pd.DataFrame({"Client": ["Jane Doe"] * 3, "Visit": ["03/04/2024", "05/06/2024", "07/08/2024"]})
    with pytest.raises(SchemaError, match="month-first or day-first") as err:
        anonymize(raw, key=practice_key, id_column="Client", date_column="Visit")
    assert "03/04/2024" not in str(err.value) and "Jane" not in str(err.value)
    raw["Visit"] = ["2024-03-15", "the 2nd of May", "2024-03-29"]
    with pytest.raises(SchemaError, match=r"1 date in column 'Visit' could not be read \(row 1;") as err:
        anonymize(raw, key=practice_key, id_column="Client", date_column="Visit")
    assert "May" not in str(err.value) and "2024-03" not in str(err.value)


def test_ages_become_bands_at_the_first_visit(practice_key):
    raw = pd.DataFrame(
        {
            "Client": ["A B", "A B", "C D", "E F", "G H", "I J"],
            "Age": ["34", "35", "17", "89", "90", "104"],
            "score": ["1"] * 6,
        }
    )
    clean = anonymize(raw, key=practice_key, id_column="Client", age_column="Age").frame
    assert clean["age_band"].tolist() == ["25-34", "25-34", "under 18", "75-89", "90+", "90+"]
    assert "Age" not in clean.columns
    raw.loc[2, "Age"] = "Jane's age"
    with pytest.raises(SchemaError, match=r"age column 'Age' is not an age in years \(row 2\)") as err:
        anonymize(raw, key=practice_key, id_column="Client", age_column="Age")
    assert "Jane" not in str(err.value)


def test_date_of_birth_becomes_an_age_band_at_the_first_visit_and_is_dropped(practice_key):
    raw = pd.DataFrame(
        {
            "Client": ["Jane Doe", "Jane Doe", "John Smith"],
            "Visit": ["2024-03-15", "2025-03-16", "2024-06-01"],
            "DOB": ["1990-03-16", "1990-03-16", "1930-06-01"],
            "score": ["4", "3", "2"],
        }
    )
    result = anonymize(raw, key=practice_key, id_column="Client", date_column="Visit", dob_column="DOB")
    assert result.frame["age_band"].tolist() == ["25-34", "25-34", "90+"]  # 33 the day before her birthday
    assert "DOB" not in result.frame.columns and scan(result.frame).empty
    with_age = raw.assign(Age=["33", "34", "94"])
    result = anonymize(
        with_age,
        key=practice_key,
        id_column="Client",
        date_column="Visit",
        dob_column="DOB",
        age_column="Age",
    )
    assert {"column": "DOB", "reason": "dates of birth"} in result.manifest["dropped"]
