"""Published effects, and the practice beside them, like with like.

Published effects come in kinds that answer different questions, and only like
is compared with like:

* a **within-arm change** of a CST arm (baseline -> end of treatment) is
  compared with the practice's ``course`` change: the *efficacy benchmark*;
* a within-arm change of a **sham** arm, or of a **wait-list / no-treatment**
  arm, shows what happens without CST (placebo response, natural history,
  regression to the mean): the *control benchmarks*;
* a **between-group** effect (CST minus sham or usual care) is a contrast of two
  randomised arms. A practice without a control group has no such contrast, so
  these rows are listed in their own part of the output and never set against
  a pre/post change.

All within-arm changes are put on one metric, the standardized mean change
(change / SD of the baseline, Hedges-corrected; Becker 1988), turned so that a
positive value means improvement. Published arms rarely report the pre-post
correlation *r* that the variance of that metric needs (and sometimes not the
baseline SD either), so every comparison is made for each of several assumed
values of *r* and says which.

``table`` (the packaged table and the user's rows, checked), ``arms`` (published
arms on the practice's metric), ``comparison`` (:func:`compare_literature`) and
``verdicts`` (the benchmark comparison in words). Pooling and Fieller's interval
are statistics on arrays, in :mod:`outcomes.effects.meta_analysis`.
"""

from ..effects.meta_analysis import pool_arms
from .arms import literature_arms
from .comparison import compare_literature
from .result import LiteratureComparison
from .table import ARM_ROLES, EFFECT_KINDS, ESTIMATE_TYPES, load_literature

__all__ = [
    "ARM_ROLES",
    "EFFECT_KINDS",
    "ESTIMATE_TYPES",
    "LiteratureComparison",
    "compare_literature",
    "literature_arms",
    "load_literature",
    "pool_arms",
]
