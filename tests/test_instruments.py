"""The instrument registry: built-ins from the reference table, user definitions, lookups."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import outcomes as oc
from outcomes.errors import SchemaError, UnknownInstrumentError
from outcomes.instruments import Instrument, InstrumentRegistry, load_instruments, normalize_key

REFERENCE = Path(__file__).resolve().parent / "reference" / "instruments.csv"
PACKAGED = Path(oc.__file__).parent / "_data" / "instruments.csv"


def test_builtins_keep_every_reference_field():
    """Every row and field of ../shared/reference/instruments.csv is in the packaged table unchanged."""
    packaged = {r["key"]: r for r in csv.DictReader(PACKAGED.read_text(encoding="utf-8").splitlines())}
    for ref in csv.DictReader(REFERENCE.read_text(encoding="utf-8").splitlines()):
        row = packaged[ref["key"]]
        for field, value in ref.items():
            assert row[field] == value, (ref["key"], field)


def test_builtin_registry_facts():
    reg = oc.default_registry()
    pain = reg["pain_nrs"]
    assert (pain.min, pain.max, pain.direction, pain.mcid_points, pain.mcid_percent) == (
        0,
        10,
        "lower",
        2,
        30,
    )
    assert pain.test_retest == pytest.approx(0.76)
    assert "Farrar" in pain.mcid_source
    tone = reg["pelvic_tone"]
    assert tone.direction == "toward" and tone.target == 0 and tone.mcid_points is None
    assert tone.analysis_scale == "distance_to_target" and tone.analysis_range == (0, 3)
    assert reg["psqi"].clinical_cutoff == 5 and reg["psqi"].cutoff_rule == ">"
    assert reg["pgic"].kind == "global_change"
    assert reg["sleep_quality_nrs"].direction == "higher" and not reg["sleep_quality_nrs"].has_mcid


@pytest.mark.parametrize(
    "name,key",
    [
        ("Pain", "pain_nrs"),
        ("  PAIN_NRS ", "pain_nrs"),
        ("HIT-6", "hit6"),
        ("hit6", "hit6"),
        ("PFDI 20", "pfdi20"),
        ("Sleep quality", "sleep_quality_nrs"),
        ("pelvic floor tone", "pelvic_tone"),
    ],
)
def test_resolve_ignores_case_spaces_and_punctuation(name, key):
    assert oc.default_registry().resolve(name) == key


def test_unknown_key_lists_close_matches():
    with pytest.raises(UnknownInstrumentError) as err:
        oc.get_instrument("pian_nrs")
    assert err.value.suggestions[0] == "pain_nrs"
    assert "Did you mean 'pain_nrs'" in str(err.value)
    assert "register_instrument" in str(err.value)
    assert isinstance(err.value, LookupError)


def test_toward_measure_is_analysed_as_distance_to_target():
    tone = oc.get_instrument("jaw_tone")
    scores = pd.Series([-2.0, 0.0, 3.0])
    assert tone.to_analysis_scale(scores).tolist() == [2.0, 0.0, 3.0]
    assert tone.improvement_sign() == -1
    assert oc.get_instrument("sleep_quality_nrs").improvement_sign() == 1


def test_register_in_code_and_refuse_duplicates():
    reg = InstrumentRegistry(oc.default_registry().values())
    inst = Instrument(
        key="urgency_nrs", label="Urgency NRS 0-10", min=0, max=10, direction="lower", aliases=("urgency",)
    )
    reg.register(inst)
    assert reg.resolve("Urgency") == "urgency_nrs"
    with pytest.raises(ValueError, match="already registered"):
        reg.register(inst)
    with pytest.raises(ValueError, match="'pain'"):
        reg.register(Instrument(key="pain2", label="x", min=0, max=1, direction="lower", aliases=("pain",)))


def test_invalid_definition_lists_every_problem():
    with pytest.raises(SchemaError) as err:
        Instrument(key="Bad Key", label="", min=5, max=1, direction="sideways", test_retest=1.2)
    msg = str(err.value)
    for part in ("snake_case", "label is empty", "min (5", "direction must be one of", "test_retest 1.2"):
        assert part in msg
    assert len(err.value.failure_cases) == 5


def test_load_instruments_from_toml(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[instruments.urgency_nrs]\nlabel = "Bladder urgency NRS 0-10"\nmin = 0\nmax = 10\n'
        'direction = "lower"\nconstruct = "bladder"\naliases = ["urgency"]\n'
        '[instruments.pain_nrs]\nlabel = "Pain NRS (practice MCID)"\nmin = 0\nmax = 10\n'
        'direction = "lower"\nmcid_points = 1.5\n',
        encoding="utf-8",
    )
    reg = load_instruments(path)
    assert reg["urgency"].verification == "user"
    assert reg["pain_nrs"].mcid_points == 1.5  # the file overrides the built-in
    assert oc.get_instrument("pain_nrs").mcid_points == 2  # default registry untouched


def test_load_instruments_from_csv_reports_all_rows(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "key,label,min,max,direction,target\n"
        "ok_nrs,OK,0,10,lower,\n"
        "tone2,Tone,-3,3,toward,\n"
        "bad,Bad,10,0,lower,\n"
        "worse,Worse,0,x,lower,\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as err:
        load_instruments(path)
    fc = err.value.failure_cases
    assert list(fc["row"]) == ["row 3", "row 4", "row 5"]
    assert "needs a target" in fc["message"].iloc[0]
    assert "min (10" in fc["message"].iloc[1]
    assert "max must be a number" in fc["message"].iloc[2]
    assert "3 problem(s)" in str(err.value)


def test_load_instruments_rejects_unknown_fields_and_bad_files(tmp_path):
    p = tmp_path / "x.toml"
    p.write_text('[instruments.a_b]\nlabel="A"\nmin=0\nmax=1\ndirection="lower"\nmcid=3\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="unknown field"):
        load_instruments(p)
    p.write_text("this is = not toml [", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid TOML"):
        load_instruments(p)
    q = tmp_path / "x.json"
    q.write_text("{}", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"\.toml or \.csv"):
        load_instruments(q)


def test_registry_frame_has_every_field():
    frame = oc.default_registry().to_frame()
    packaged = [r["key"] for r in csv.DictReader(PACKAGED.read_text(encoding="utf-8").splitlines())]
    assert len(packaged) == 40 and set(packaged) <= set(frame["key"])
    assert {"key", "mcid_source", "test_retest_source", "verification", "aliases"} <= set(frame.columns)


def test_normalize_key():
    assert normalize_key(" Race/Ethnicity ") == "race_ethnicity"


@pytest.mark.parametrize(
    ("key", "facts", "doi"),
    [
        # Ohno 2021: "The MICadjust values were 2.20 points ... and 2.06 points"; Eyssen 2005: ICC 0.67 / 0.69
        ("copm_performance", (1, 10, "higher", 2.2, 0.67, None), "10.1186/s41687-021-00405-y"),
        ("copm_satisfaction", (1, 10, "higher", 2.06, 0.69, None), "10.1191/0269215505cr883oa"),
        # Abbott & Schmitt 2014: MID 1.3 (small) to 2.7 (large); Cleland 2006: ICC 0.82
        ("psfs", (0, 10, "higher", 1.3, 0.82, None), "10.2519/jospt.2014.5248"),
        # Montazeri 2007: ICC 0.80; Levis 2020: >= 11; no MCID (Matthey's 4 points is an RCI)
        ("epds", (0, 30, "lower", None, 0.8, 11), "10.1136/bmj.m4022"),
        # Nystrom 2015: "The MIDs were 2.52 (SD 2.56) for ICIQ-UI SF"
        ("iciq_uisf", (0, 21, "lower", 2.52, None, None), "10.1002/nau.22657"),
        # IMMPACT (Dworkin 2008): BPI interference, a 1-point decrease is minimally important
        ("bpi_interference", (0, 10, "lower", 1, None, None), "10.1016/j.jpain.2007.09.005"),
    ],
)
def test_the_professions_instruments_with_their_sources(key, facts, doi):
    """Issue 17: the facts of the COPM, PSFS, EPDS and ICIQ-UI SF, each checked against the text of its
    source (quoted in the comments above) and carried with its DOI."""
    inst = oc.default_registry()[key]
    got = (inst.min, inst.max, inst.direction, inst.mcid_points, inst.test_retest, inst.clinical_cutoff)
    assert got == facts
    sources = " ".join((inst.mcid_source, inst.test_retest_source, inst.cutoff_source, inst.note))
    assert doi in sources and inst.verification == "verified"


@pytest.mark.parametrize(
    ("key", "facts", "doi"),
    [
        # Monticone 2022: "ROC analysis yielded an MIC of 8 points"; Fernandes 2012: "ICC 0.74 - 0.87"
        ("pcs", (0, 52, "lower", 8, 0.74, 30), "10.23736/S1973-9087.21.06729-0"),
        # Blanchard 2023: "change scores of 9-12 ... at least an MID"; Blevins 2015: "test-retest (r = .82)";
        # Bovin 2016: "scores of 31 to 33 were optimally efficient"
        ("pcl5", (0, 80, "lower", 10, 0.82, 31), "10.1002/jts.22975"),
        # Mayer 2012: test-retest 0.817; Neblett 2013: "a CSI score of 40 out of 100"
        ("csi", (0, 100, "lower", None, 0.817, 40), "10.1111/j.1533-2500.2011.00493.x"),
        # Stuge 2017: changes "smaller than 25" on the total insignificant; Stuge 2011: ICC .93 / .91
        ("pgq", (0, 100, "lower", 25, 0.91, None), "10.1093/ptj/pzx078"),
        ("bpi_severity", (0, 10, "lower", None, None, None), ""),
        # Wiegel 2005: "26.55 to be the optimal cut score"
        ("fsfi", (2, 36, "higher", None, None, 26.55), "10.1080/00926230590475206"),
        # Terwee 2021: "a MIC value of 2-6 T-score points ... reasonable"; HealthMeasures: <=55 normal limits
        ("promis_anxiety", (0, 100, "lower", None, None, 55), "10.1007/s11136-021-02925-y"),
        ("promis_physical_function", (0, 100, "higher", None, None, None), "10.1007/s11136-021-02925-y"),
    ],
)
def test_the_instruments_checked_in_part_say_what_is_not_verified(key, facts, doi):
    """Issue 17, second group: each number checked against its source where the source could be
    read; what could not be (the PCS manual's wording, the CSI's and FSFI's edge, PGQ's scoring of
    unanswered items, PROMIS physical-function bands) is said in the row, which is marked partial."""
    inst = oc.default_registry()[key]
    got = (inst.min, inst.max, inst.direction, inst.mcid_points, inst.test_retest, inst.clinical_cutoff)
    assert got == facts
    sources = " ".join((inst.mcid_source, inst.test_retest_source, inst.cutoff_source, inst.note))
    assert doi in sources and inst.verification == "partial"
    assert any(
        w in sources for w in ("not read", "not stated", "not found", "not verified", "no MCID", "no single")
    )
