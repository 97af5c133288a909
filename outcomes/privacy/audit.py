"""What an attacker can work out from the counts a report publishes.

A report's tables are tied together: a condition's clients are the total of its row in every
cross-table, a group's clients the total of its column, no outcome row holds more clients than
its group. Someone who reads every table, knows these identities and the suppression rule, and
reasons in whole numbers, can narrow a hidden count further than any one table allows.
:class:`Disclosure` holds the published counts (shown or hidden) and the identities, and
:meth:`Disclosure.ranges` gives the smallest and largest value of each protected count that is
consistent with all of it: two integer programmes per count (HiGHS, through
:func:`scipy.optimize.milp`). See ``docs/methods.md``, "Suppression in the grant report".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Disclosure"]


class Disclosure:
    """Counts a report shows or hides, and the linear identities an attacker knows between them.

    Parameters
    ----------
    min_cell : int
        Counts from 1 to ``min_cell − 1`` are small. A hidden small count is known to the attacker
        to be small (he knows the rule; assuming he also knows *which* hidden counts are small
        makes him stronger, so the audit errs on the safe side); any other hidden count is only
        known to be at least 0.

    Examples
    --------
    A total of 12 split into a shown 9 and a hidden 3: the 3 is pinned.

    >>> d = Disclosure(min_cell=11)
    >>> for key, value, shown in [("a", 9, True), ("b", 3, False), ("total", 12, True)]:
    ...     d.count(key, value, shown=shown)
    >>> d.equal({"a": 1, "b": 1, "total": -1})
    >>> d.ranges({"b": {"b": 1}})[["low", "high"]].to_numpy().tolist()
    [[3.0, 3.0]]
    """

    def __init__(self, min_cell: int) -> None:
        self.min_cell = int(min_cell)
        self._index: dict[Hashable, int] = {}
        self._true: list[float] = []
        self._shown: list[bool] = []
        self._rows: list[dict[int, float]] = []
        self._lo: list[float] = []
        self._hi: list[float] = []

    # -- building --------------------------------------------------------------------------
    def count(self, key: Hashable, value: float, *, shown: bool) -> None:
        """A published count. The same key given again (one count in two tables) is one count,
        shown when any table shows it."""
        if key in self._index:
            k = self._index[key]
            if self._true[k] != float(value):
                raise ValueError(f"internal error: {key!r} is given as {self._true[k]:g} and {value:g}")
            self._shown[k] = self._shown[k] or bool(shown)
            return
        self._index[key] = len(self._true)
        self._true.append(float(value))
        self._shown.append(bool(shown))

    def __contains__(self, key: Hashable) -> bool:
        return key in self._index

    def shown(self, key: Hashable) -> bool:
        return self._shown[self._index[key]]

    def value(self, key: Hashable) -> float:
        return self._true[self._index[key]]

    def keys(self) -> list[Hashable]:
        return list(self._index)

    def _add(self, parts: Mapping[Hashable, float], lo: float, hi: float) -> None:
        row: dict[int, float] = {}
        for key, coef in parts.items():
            k = self._index[key]
            row[k] = row.get(k, 0.0) + float(coef)
        self._rows.append(row)
        self._lo.append(lo)
        self._hi.append(hi)

    def equal(self, parts: Mapping[Hashable, float], rhs: float = 0.0) -> None:
        """``Σ coef · count = rhs``."""
        self._add(parts, rhs, rhs)

    def at_most(self, parts: Mapping[Hashable, float], rhs: float = 0.0) -> None:
        """``Σ coef · count ≤ rhs``."""
        self._add(parts, -np.inf, rhs)

    # -- reasoning -------------------------------------------------------------------------
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """What the attacker knows of each count on its own: shown ones exactly, hidden small
        ones in ``1 .. min_cell − 1``, other hidden ones ``≥ 0``."""
        true = np.asarray(self._true)
        shown = np.asarray(self._shown, dtype=bool)
        small = ~shown & (true >= 1) & (true < self.min_cell)
        lb = np.where(shown, true, np.where(small, 1.0, 0.0))
        ub = np.where(shown, true, np.where(small, self.min_cell - 1.0, np.inf))
        return lb, ub

    def neighbours(self, keys: list[Hashable]) -> list[Hashable]:
        """The counts that share an identity with any of ``keys`` (themselves included)."""
        wanted = {self._index[k] for k in keys}
        near = set(wanted)
        for row in self._rows:
            if wanted & row.keys():
                near |= row.keys()
        names = list(self._index)
        return [names[k] for k in sorted(near)]

    def _problem(self) -> tuple[Any, ...]:
        from scipy.optimize import Bounds, LinearConstraint
        from scipy.sparse import csr_array

        n = len(self._true)
        lb, ub = self.bounds()
        true = np.asarray(self._true)
        constraints = []
        if self._rows:
            ri = [r for r, row in enumerate(self._rows) for _ in row]
            ci = [k for row in self._rows for k in row]
            data = [coef for row in self._rows for coef in row.values()]
            a = csr_array((data, (ri, ci)), shape=(len(self._rows), n))
            lo, hi = np.asarray(self._lo), np.asarray(self._hi)
            at_true = a @ true
            if np.any(at_true < lo - 1e-9) or np.any(at_true > hi + 1e-9):
                raise ValueError("internal error: the published counts break an identity given for them")
            constraints = [LinearConstraint(a, lo, hi)]
        return Bounds(lb, ub), constraints, true

    def _matrix(self, targets: Mapping[Hashable, Mapping[Hashable, float]]) -> np.ndarray:
        c = np.zeros((len(targets), len(self._true)))
        for t, expr in enumerate(targets.values()):
            for key, coef in expr.items():
                c[t, self._index[key]] += float(coef)
        return c

    def _extreme(self, objective: np.ndarray, problem: tuple[Any, ...]) -> tuple[float, np.ndarray | None]:
        """Minimum of ``objective · x`` over whole-number counts consistent with what is shown."""
        from scipy.optimize import milp

        bounds, constraints, _ = problem
        res = milp(objective, integrality=np.ones(len(objective)), bounds=bounds, constraints=constraints)
        if res.status == 3 or (res.status != 0 and "unbounded" in str(res.message).lower()):
            # HiGHS may say "infeasible or unbounded"; the true counts are feasible: unbounded
            return -np.inf, None
        if res.status != 0:  # the true counts are feasible: nothing else should happen
            raise RuntimeError(f"internal error: the disclosure audit's programme failed ({res.message})")
        return float(res.fun), res.x

    def ranges(self, targets: Mapping[Hashable, Mapping[Hashable, float]]) -> pd.DataFrame:
        """The smallest and largest value of each target consistent with what is shown.

        ``targets`` maps a name to a linear expression of counts (``{key: coefficient}``): a
        hidden count itself, or a difference of two counts that is a small count of people.
        Returns one row per target: ``true``, ``low``, ``high`` and ``width = high − low`` (0:
        the attacker knows it exactly). Two integer programmes per target.
        """
        problem = self._problem()
        c = self._matrix(targets)
        rows = []
        for name, row in zip(targets, c, strict=True):
            low, _ = self._extreme(row, problem)
            high, _ = self._extreme(-row, problem)
            rows.append({"target": name, "true": float(row @ problem[2]), "low": low, "high": -high})
        return _table(rows)

    def narrowed(self, targets: Mapping[Hashable, Mapping[Hashable, float]], width: float) -> pd.DataFrame:
        """The targets an attacker can narrow to a range smaller than ``width``, with that range.

        Faster than :meth:`ranges` on many targets: each solution of a programme is a whole-number
        table consistent with everything shown, so it is a value each target can take. Pushing
        the sum of the open targets down, then up, gives many of them two values ``width``
        apart at once (they are safe); only the targets left open are solved one by one.
        Returns ``target``, ``true``, ``low``, ``high``, ``width`` for the narrowed targets only.
        """
        if not targets:
            return _table([])
        problem = self._problem()
        c = self._matrix(targets)
        seen_lo = seen_hi = c @ problem[2]
        open_ = np.ones(len(c), dtype=bool)
        for sign in (1.0, -1.0, 1.0, -1.0):
            while open_.any():
                _, x = self._extreme(sign * c[open_].sum(axis=0), problem)
                if x is None:  # unbounded: no help in telling the targets apart
                    break
                vals = c @ np.rint(x)
                before = open_.copy()
                seen_lo, seen_hi = np.minimum(seen_lo, vals), np.maximum(seen_hi, vals)
                open_ = seen_hi - seen_lo < width
                if not (before & ~open_).any():
                    break
        rows = []
        for t in np.flatnonzero(open_):
            low, _ = self._extreme(c[t], problem)
            high, _ = self._extreme(-c[t], problem)
            if -high - low < width:
                name = list(targets)[t]
                rows.append({"target": name, "true": float(c[t] @ problem[2]), "low": low, "high": -high})
        return _table(rows)


def _table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["target", "true", "low", "high"])
    table["width"] = table["high"] - table["low"]
    return table
