"""Nothing changes for users: every public name of version 0.1.0 still works.

The names are those of each module's ``__all__`` in 0.1.0 (before the package was split into
subpackages). A name that moved warns ``DeprecationWarning`` naming its new place; every other
name works without a warning.
"""

from __future__ import annotations

import importlib
import warnings

import pytest

#: Each module's ``__all__`` in outcomes 0.1.0.
PUBLIC_0_1 = {
    "outcomes": (
        "ColumnMap",
        "DataQualityWarning",
        "Instrument",
        "InstrumentRegistry",
        "InsufficientDataError",
        "OutcomesError",
        "OutcomesWarning",
        "PrivacyError",
        "ReadError",
        "SchemaError",
        "SessionData",
        "StatisticalWarning",
        "UnknownInstrumentError",
        "__version__",
        "anonymize",
        "check_anonymized",
        "classify_change",
        "client_changes",
        "compare_literature",
        "default_registry",
        "get_instrument",
        "grant_report",
        "keygen",
        "literature_arms",
        "load_instruments",
        "load_literature",
        "pool_arms",
        "read_column_map",
        "read_sessions",
        "register_instrument",
        "report",
        "sample_data",
        "score_questionnaire",
        "scan",
        "set_progress",
        "summarize",
        "summarize_ratings",
        "trajectory",
        "validate_sessions",
        "write_grant_html",
        "write_grant_xlsx",
    ),
    "outcomes.errors": (
        "DataQualityWarning",
        "InsufficientDataError",
        "OutcomesError",
        "OutcomesWarning",
        "PrivacyError",
        "ReadError",
        "SchemaError",
        "StatisticalWarning",
        "UnknownInstrumentError",
    ),
    "outcomes.instruments": (
        "DIRECTIONS",
        "Instrument",
        "InstrumentRegistry",
        "default_registry",
        "get_instrument",
        "load_instruments",
        "normalize_key",
        "register_instrument",
    ),
    "outcomes.schema": (
        "ATTRIBUTE_COLUMNS",
        "CANONICAL_COLUMNS",
        "CHECKS",
        "CONDITIONS",
        "MISSING_CODES",
        "TIMEPOINTS",
        "TIMEPOINT_ALIASES",
        "TIMEPOINT_DTYPE",
        "check_sessions",
        "split_condition_codes",
        "split_conditions",
        "validate_sessions",
    ),
    "outcomes.io": (
        "ColumnMap",
        "LAYOUTS",
        "SessionData",
        "read_column_map",
        "read_sessions",
    ),
    "outcomes.privacy": (
        "AGE_BANDS",
        "Anonymized",
        "DEFAULT_MIN_CELL",
        "age_bands",
        "anonymize",
        "anonymize_file",
        "check_anonymized",
        "key_fingerprint",
        "keygen",
        "manifest_path",
        "read_key",
        "scan",
        "suppress_counts",
        "suppress_rows",
    ),
    "outcomes.effects": (
        "Estimate",
        "TestResult",
        "bca_interval",
        "bootstrap_mean_ci",
        "bootstrap_means",
        "classify_reliable_change",
        "cohens_dav",
        "cohens_dz",
        "hedges_correction",
        "hedges_g_av",
        "jacobson_truax_cutoff",
        "mean_change",
        "paired",
        "paired_ttest",
        "reliable_change_index",
        "reliable_change_threshold",
        "smc_from_summary",
        "smc_from_summary_arrays",
        "standardized_mean_change",
        "wilcoxon_signed_rank",
        "wilson_interval",
    ),
    "outcomes.summary": (
        "LEVELS",
        "SMALL_N",
        "classify_change",
        "client_changes",
        "summarize",
        "summarize_ratings",
        "trajectory",
    ),
    "outcomes.literature": (
        "ARM_ROLES",
        "EFFECT_KINDS",
        "ESTIMATE_TYPES",
        "compare_literature",
        "literature_arms",
        "load_literature",
        "pool_arms",
    ),
    "outcomes.plots": (
        "MIN_TRAJECTORY_N",
        "PAD",
        "PALETTE",
        "SERIES",
        "STYLE",
        "plot_between_groups",
        "plot_change_estimation",
        "plot_condition_forest",
        "plot_jacobson_truax",
        "plot_literature_forest",
        "plot_paired",
        "plot_responders",
        "plot_trajectory",
    ),
    "outcomes.synthetic": (
        "AGE_BANDS",
        "LAYOUTS",
        "PAYERS",
        "RACE_ETHNICITY",
        "TECHNIQUES",
        "broken_export",
        "generate_practice",
        "generate_rows",
        "main",
        "sample_data",
        "to_layout",
        "write_samples",
    ),
    "outcomes.reporting": (
        "GrantReport",
        "grant_html",
        "grant_report",
        "practice_report_html",
        "presentation_tables",
        "report",
        "write_grant_html",
        "write_grant_xlsx",
    ),
}
#: Names that moved, with the module that holds them now.
MOVED = {
    ("outcomes.privacy", "anonymize_file"): "outcomes.io",
    ("outcomes.privacy", "manifest_path"): "outcomes.io",
}
#: Modules that moved as a whole.
MOVED_MODULES = {"outcomes.synthetic": "outcomes.datasets"}


@pytest.mark.parametrize(
    ("module", "name"), [(m, n) for m, names in PUBLIC_0_1.items() if m not in MOVED_MODULES for n in names]
)
def test_every_public_name_of_0_1_still_works(module, name):
    mod = importlib.import_module(module)
    if (module, name) in MOVED:
        with pytest.warns(DeprecationWarning, match=MOVED[(module, name)]):
            value = getattr(mod, name)
        assert value is getattr(importlib.import_module(MOVED[(module, name)]), name)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            assert getattr(mod, name) is not None


@pytest.mark.parametrize("old", sorted(MOVED_MODULES))
def test_a_module_that_moved_warns_and_keeps_its_names(old):
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=MOVED_MODULES[old]):
        mod = importlib.import_module(old)
    new = importlib.import_module(MOVED_MODULES[old])
    for name in PUBLIC_0_1[old]:
        assert hasattr(mod, name)
        if hasattr(new, name):
            assert getattr(mod, name) is getattr(new, name)


def test_the_new_names_are_public():
    import outcomes as oc

    for name in ("analyze", "PracticeAnalysis", "LiteratureComparison"):
        assert name in oc.__all__ and getattr(oc, name) is not None


def test_listing_the_package_warns_of_nothing():
    """dir() feeds tab completion and doctest collection: in a fresh interpreter it must not import
    the deprecated alias (and so warn)."""
    import subprocess
    import sys

    code = (
        "import outcomes, sys; names = dir(outcomes); "
        "print('datasets' in names, 'outcomes.synthetic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]
