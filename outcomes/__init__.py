"""outcomes: practice-based evidence from anonymized therapy session records."""

__version__ = "0.1.0"
