"""A change in words: whether clients improved, got worse, or cannot be said to have changed.

One rule, used by the practice report, the command line and the notebooks
(through :meth:`outcomes.PracticeAnalysis.headline`), so that a number and the
word beside it never disagree:

- **improved**: the interval of the average improvement lies above 0;
- **got worse**: it lies below 0;
- **no clear change**: it includes 0 (the data cannot tell a change from none);
- **too few to say**: fewer than two clients, so there is no interval.

Improvement is signed so that a positive number is a change for the better on
every measure (less pain, better sleep, tone closer to normal); the sentence
says that once (:data:`SIGN_CONVENTION`) and then shows the numbers with that
sign. Where every client changed by the same amount there is no interval; the
word then follows the sign of that one change.

>>> direction(0.9, 0.7, 1.0, 198), direction(-0.6, -1.4, 0.2, 12), direction(-0.6, -1.0, -0.2, 30)
('improved', 'no clear change', 'got worse')
>>> change_sentence("Pain NRS 0-10", "points", -0.6, -1.4, 0.2, 12, "over the course")
'Pain NRS 0-10, over the course: no clear change, -0.6 points on average (95% CI -1.4 to 0.2; 12 clients).'
"""

from __future__ import annotations

from typing import Any

from ._format import interval, is_missing, number, percent

__all__ = ["DIRECTIONS", "SIGN_CONVENTION", "change_sentence", "direction", "measure_with_unit"]

#: The words :func:`direction` can give.
DIRECTIONS = ("improved", "got worse", "no clear change", "too few to say")

#: The sign convention, said once wherever improvements are shown.
SIGN_CONVENTION = (
    "Changes are shown as improvement: a positive number means clients got better (less pain, better "
    "sleep, tone closer to normal), a negative number that they got worse."
)


def direction(improvement: Any, low: Any, high: Any, n: Any) -> str:
    """One of :data:`DIRECTIONS` for an average improvement and its interval.

    Parameters
    ----------
    improvement : float
        Average improvement (positive = better).
    low, high : float
        Its confidence interval; NaN where there is none.
    n : int
        Clients behind it.
    """
    if is_missing(n) or int(n) < 2 or is_missing(improvement):
        return "too few to say"
    if is_missing(low) or is_missing(high):  # every client changed by the same amount
        value = float(improvement)
        return "improved" if value > 0 else "got worse" if value < 0 else "no clear change"
    if float(low) > 0:
        return "improved"
    if float(high) < 0:
        return "got worse"
    return "no clear change"


def measure_with_unit(label: str, unit: str) -> str:
    """``Pain NRS 0-10 (points)``; the label alone where it already names its unit (``Body weight (lb)``)."""
    unit = str(unit or "").strip()
    if not unit or f"({unit})" in label or label.rstrip().endswith(f" {unit}"):
        return label
    return f"{label} ({unit})"


def change_sentence(
    label: str,
    unit: str,
    improvement: Any,
    low: Any,
    high: Any,
    n: Any,
    span: str,
    *,
    confidence: float = 0.95,
) -> str:
    """A measure's average change in one sentence, its word chosen by :func:`direction`.

    ``span`` says over what (``"from the first to the last session"``). The unit
    follows the number (``2.8 lb``, ``0.9 points``).
    """
    word = direction(improvement, low, high, n)
    clients = f"{int(n):,} client{'s' if int(n) != 1 else ''}" if not is_missing(n) else "no clients"
    amount = f"{number(improvement)} {unit or ''}".rstrip()
    head = f"{label}, {span}"
    if word == "too few to say":
        return f"{head}: too few clients to say ({clients})."
    if is_missing(low) or is_missing(high):
        return f"{head}: {word}, every client by {amount} ({clients}; no interval)."
    ci = f"{percent(confidence)} CI {interval(low, high)}"
    return f"{head}: {word}, {amount} on average ({ci}; {clients})."
