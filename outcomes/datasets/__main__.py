"""``python -m outcomes.datasets [DIR]``: write the synthetic sample files."""

from .samples import main

raise SystemExit(main())
