"""Progress along the course of care: mixed-effects trajectories of a measure
(:func:`trajectory_model`), and which clients are not improving as expected (:func:`not_on_track`)."""

from __future__ import annotations

from .client import ClientProgress, client_progress
from .expected import ExpectedRecovery, expected_from_model
from .signal import FALLBACK_SESSION, MIN_CLIENTS, STATUSES, not_on_track
from .trajectory import TIME_SCALES, TrajectoryModel, time_axis, trajectory_model

__all__ = [
    "FALLBACK_SESSION",
    "MIN_CLIENTS",
    "STATUSES",
    "TIME_SCALES",
    "ClientProgress",
    "ExpectedRecovery",
    "TrajectoryModel",
    "client_progress",
    "expected_from_model",
    "not_on_track",
    "time_axis",
    "trajectory_model",
]
