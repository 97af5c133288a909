"""Per-group effect summaries: tidy DataFrames, one row per group x measure x level.

The three levels of change of the methods contract, never mixed in one number:

``session``
    ``pre`` -> ``post`` of the same session: the immediate effect of a session.
``followup``
    ``pre`` -> ``followup`` of the same session: does it hold a few days later?
``course``
    the first session's ``pre`` -> the last session's ``pre`` (clients with at
    least two sessions): lasting change over the course of care.

Inference is at the client level. A client's session-level changes are
averaged first, so a client seen ten times weighs the same as a client seen
once; every ``n`` in a CI or test is a number of clients, and the number of
sessions is reported beside it.

The path of the numbers through the modules: ``prepare`` (the rows of the
score measures, conditions split, tone scales as distances, everything as
integer codes) -> ``pairs`` (one unit per client x session, then each client's
earlier and later score at a level) -> ``row`` (one table row's statistics) and
``parallel`` (the bootstrap intervals of the rows, on a thread per core) ->
``table`` (:func:`summarize`). Beside it: ``clients`` (:func:`classify_change`,
per client), ``trajectories`` (:func:`trajectory`, session by session) and
``ratings`` (:func:`summarize_ratings`, for ratings of change).
"""

from .clients import classify_change, client_changes
from .course import course_lengths
from .prepare import LEVELS
from .ratings import summarize_ratings
from .row import SMALL_N
from .table import summarize, summarize_pairs
from .trajectories import trajectory

__all__ = [
    "LEVELS",
    "SMALL_N",
    "classify_change",
    "client_changes",
    "course_lengths",
    "summarize",
    "summarize_pairs",
    "summarize_ratings",
    "trajectory",
]
