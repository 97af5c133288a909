"""Pure statistics on arrays: paired change, tests, effect sizes, reliable change, intervals.

Every function here takes plain arrays (anything :func:`numpy.asarray` accepts)
and returns a float, an array, or a small frozen dataclass (:class:`Estimate`,
:class:`TestResult`). There is no pandas requirement, no I/O, no global state,
no printing and no rounding; randomness comes only from an explicit ``seed``.

Notes
-----
**Sign.** ``change = post - pre``, always. Every paired function takes ``pre,
post`` in that order. A negative change on a scale where lower is better (pain)
is an improvement; turning change into improvement is the caller's job (see
:func:`classify_reliable_change` for the one place where direction enters,
through ``improvement_sign``).

**Pairing.** Paired functions call :func:`paired`, which drops a client whose
``pre`` *or* ``post`` is missing (NaN) -- incomplete *pairs* are dropped, never
values per array -- and every result reports the ``n`` of complete pairs it
used. :func:`reliable_change_index` and :func:`classify_reliable_change` are
elementwise instead: a NaN pair gives NaN (or ``''``) in its own position and
nothing is dropped.

**Degenerate input.** The rules, the same in every function:

=======================================  =====================================================
situation                                result
=======================================  =====================================================
``pre`` and ``post`` of unequal length   ``ValueError`` naming both lengths
fewer than 2 complete pairs              :class:`~outcomes.errors.InsufficientDataError` for
                                         everything that needs a variance (mean change, t-test,
                                         Wilcoxon, d_z, d_av, g_av, smc) and for the bootstrap
                                         (fewer than 2 non-missing values)
SD of the differences is zero            ``cohens_dz`` NaN; ``paired_ttest`` statistic and p
                                         NaN; ``mean_change`` interval NaN (not a
                                         zero-width ``[mean, mean]``), ``method`` says why
SD of ``pre`` is zero                    ``standardized_mean_change`` value and interval NaN
SD of ``post`` is zero                   ``standardized_mean_change``: the pre-post correlation
                                         is undefined but multiplies 0 in Bonett's variance,
                                         so value and interval are defined
all differences zero                     ``wilcoxon_signed_rank`` p NaN (V = 0 as in R, except
                                         with ``zero_method="zsplit"``)
exactly 2 pairs (df = 1)                 Hedges' correction is 0 there; g_av and smc are NaN
                                         (metafor's ``.cmicalc`` also returns NA for df <= 1)
all bootstrap values equal               ``bootstrap_mean_ci`` interval NaN, nothing resampled
=======================================  =====================================================

An SD is treated as zero when it is below ``1e-12`` times the largest absolute
score involved: differences of decimal scores such as ``0.3 - 0.1`` and ``0.2 -
0.0`` differ in the last binary digit, and without this rule a "constant"
change would give an SD of ``1e-17`` and a d_z of ``1e16``. None of these cases
lets a numpy/scipy ``RuntimeWarning`` escape.

Modules: ``core`` (results, pairing), ``paired_tests``, ``effect_sizes``,
``reliable_change``, ``proportions``, ``bootstrap``, ``meta_analysis``
(random-effects pooling, Fieller's ratio interval), ``multiple_testing``.

References
----------
.. [1] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
   science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
   https://doi.org/10.3389/fpsyg.2013.00863
"""

from .bootstrap import BootstrapMean, bca_interval, bootstrap_mean, bootstrap_mean_ci, bootstrap_means
from .core import Estimate, TestResult, paired
from .effect_sizes import (
    cohens_dav,
    cohens_dz,
    hedges_correction,
    hedges_g_av,
    smc_from_summary,
    smc_from_summary_arrays,
    standardized_mean_change,
)
from .meta_analysis import fieller_interval, pool_arms
from .multiple_testing import holm
from .paired_tests import mean_change, paired_ttest, wilcoxon_signed_rank
from .proportions import wilson_interval
from .reliable_change import (
    classify_reliable_change,
    jacobson_truax_cutoff,
    reliable_change_index,
    reliable_change_threshold,
)

__all__ = [
    "BootstrapMean",
    "Estimate",
    "TestResult",
    "bca_interval",
    "bootstrap_mean",
    "bootstrap_mean_ci",
    "bootstrap_means",
    "classify_reliable_change",
    "cohens_dav",
    "cohens_dz",
    "fieller_interval",
    "hedges_correction",
    "hedges_g_av",
    "holm",
    "jacobson_truax_cutoff",
    "mean_change",
    "paired",
    "paired_ttest",
    "pool_arms",
    "reliable_change_index",
    "reliable_change_threshold",
    "smc_from_summary",
    "smc_from_summary_arrays",
    "standardized_mean_change",
    "wilcoxon_signed_rank",
    "wilson_interval",
]
