"""Progress along the course of care: mixed-effects trajectories of a measure
(:func:`trajectory_model`)."""

from __future__ import annotations

from .trajectory import TIME_SCALES, TrajectoryModel, time_axis, trajectory_model

__all__ = ["TIME_SCALES", "TrajectoryModel", "time_axis", "trajectory_model"]
