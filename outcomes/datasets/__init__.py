"""Synthetic practice data: realistic, seeded, clearly labelled as not real.

A pelvic-health / craniosacral therapy (CST) practice's anonymized session
records are simulated client by client (vectorized with numpy, so a million
clients take seconds) and returned as the canonical long table of
:mod:`outcomes.schema` (``generator``, with ``questionnaires`` simulated item by
item). The same data can be laid out the ways practices export them
(``layouts``: :func:`to_layout`), a deliberately broken export exercises the
readers' checks (``broken``: :func:`broken_export`), and ``samples`` writes the
files in ``data_samples/`` and reads them back (:func:`sample_data`). Run
``python -m outcomes.datasets DIR`` to regenerate them.

The numbers are plausible, not flattering: immediate (pre -> post) relief of
about one point on a 0-10 scale with client-to-client heterogeneity, modest
lasting change over a course of care that differs by condition (about zero for
pain in bladder and prolapse clients), some clients who get worse, floor
effects, a first-session flare that regresses to the mean, dropout after one to
three sessions for half of the clients, and a few values not recorded.
"""

from .broken import broken_export
from .generator import generate_practice, generate_rows
from .layouts import LAYOUTS, to_layout
from .model import ADULT_AGE_BANDS, PAYERS, RACE_ETHNICITY, TECHNIQUES
from .samples import main, sample_data, write_samples

__all__ = [
    "ADULT_AGE_BANDS",
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
]
