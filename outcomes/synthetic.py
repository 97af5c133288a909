"""Deprecated: the synthetic data are now :mod:`outcomes.datasets`.

``from outcomes.synthetic import generate_practice`` still works and warns
``DeprecationWarning``; ``python -m outcomes.synthetic DIR`` still writes the
samples.
"""

import warnings

from .datasets import (  # noqa: F401
    ADULT_AGE_BANDS,
    LAYOUTS,
    PAYERS,
    RACE_ETHNICITY,
    TECHNIQUES,
    __all__,
    broken_export,
    generate_practice,
    generate_rows,
    main,
    sample_data,
    to_layout,
    write_samples,
)

#: The old name of :data:`outcomes.datasets.ADULT_AGE_BANDS` (the bands the synthetic practice uses).
AGE_BANDS = ADULT_AGE_BANDS

warnings.warn(
    "outcomes.synthetic is now outcomes.datasets (same names); import from there",
    DeprecationWarning,
    stacklevel=2,
)

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
