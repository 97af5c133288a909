"""Figures a therapist understands at a glance.

Every function takes the session data or a table from :mod:`outcomes.summary` /
:mod:`outcomes.literature`, draws on ``ax`` (a new figure when ``ax`` is None)
and returns that Axes: ``plot_x(data_or_table, *, options..., ax=None, **kwargs)``.

No statistic is computed here. Every number drawn comes from
:func:`~outcomes.summarize`, :func:`~outcomes.client_changes`,
:func:`~outcomes.classify_change`, :func:`~outcomes.trajectory`,
:func:`~outcomes.compare_literature` or :func:`outcomes.effects.bootstrap_means`;
individual scores are drawn as they are. Turning a sign so that improvement
points right, jittering tied scores sideways, counting clients that share a
point and choosing colours are presentation.

One look for all figures (``style``): the Okabe–Ito colour-blind-safe palette
(:data:`PALETTE`), fonts of at least 9 pt at a size that pastes into a grant
document (:data:`STYLE`, 6.5 x 4 in by default), the instrument's label and
unit on the axis with the direction that is better, score axes spanning the
instrument's range (plus :data:`PAD` of it on each side), small groups
(``small_n`` / ``insufficient`` flags) drawn hollow and grey with an
"n < 10" note, and rows flagged ``suppressed`` not drawn at all.

One module per family of figures: ``paired`` (each client's two scores, the
estimation plot), ``forest`` (change per condition), ``trajectories`` (session
by session), ``responders`` (reliable change, Jacobson–Truax), ``literature``
(the practice beside published arms; between-group results).

matplotlib is imported when a function is first called, so
``import outcomes`` stays light.
"""

from .client import plot_client
from .forest import plot_condition_forest
from .literature import plot_between_groups, plot_literature_forest
from .paired import plot_change_estimation, plot_paired
from .responders import plot_jacobson_truax, plot_responders
from .style import MIN_TRAJECTORY_N, PAD, PALETTE, SERIES, STYLE
from .trajectories import plot_trajectory

__all__ = [
    "MIN_TRAJECTORY_N",
    "PAD",
    "PALETTE",
    "SERIES",
    "STYLE",
    "plot_between_groups",
    "plot_change_estimation",
    "plot_client",
    "plot_condition_forest",
    "plot_jacobson_truax",
    "plot_literature_forest",
    "plot_paired",
    "plot_responders",
    "plot_trajectory",
]
