"""The synthetic practice laid out the ways practices export it: long, pre/post, wide and REDCap."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import check_argument
from ..instruments import default_registry
from ..schema import TIMEPOINT_DTYPE, TIMEPOINTS
from .model import CLIENT_FIELDS, SESSION_FIELDS, str_array

#: Layouts :func:`to_layout` produces (the readers in :mod:`outcomes.io` accept them all).
LAYOUTS = ("long", "prepost", "wide", "redcap")


_REDCAP_IDS = ("record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")


def check_layout(layout: str) -> None:
    check_argument("layout", LAYOUTS, layout)


def _timepoint_strings(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    cat = pd.Categorical(values, dtype=TIMEPOINT_DTYPE)
    return str_array(cat.codes, TIMEPOINTS)


def _groups(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group number of every row (groups in sorted key order) and the first row of each group."""
    gid = frame.groupby(keys, sort=True, observed=True, dropna=False).ngroup().to_numpy()
    order = np.argsort(gid, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(gid[order]) != 0])
    return gid, order[starts]


def _require_constant(
    frame: pd.DataFrame, gid: np.ndarray, first: np.ndarray, columns: Sequence[str], within: str
) -> None:
    """Raise if a column would lose values when kept once per group."""
    varying = []
    for col in columns:
        values = frame[col]
        ref = values.iloc[first[gid]].reset_index(drop=True)
        cur = values.reset_index(drop=True)
        same = (cur == ref) | (cur.isna() & ref.isna())
        if not bool(same.all()):
            varying.append(col)
    if varying:
        raise ValueError(
            f"column(s) {', '.join(repr(c) for c in varying)} vary within one {within}; "
            "this layout keeps one value per " + within + ", so values would be lost. "
            "Use the 'long' layout for these data."
        )


def _attribute_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c not in ("client_id", "session", "timepoint", "measure", "score", "condition")
    ]


def _measure_columns(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Wide column names ``<measure>_<timepoint>`` in registry order, and each row's column number."""
    registry_order = list(default_registry())
    present = pd.unique(frame["measure"].astype("str"))
    known = [m for m in registry_order if m in set(present)]
    measures = known + sorted(set(present) - set(known))
    m_code = pd.Categorical(frame["measure"].astype("str"), categories=measures).codes.astype(np.int64)
    t_code = pd.Categorical(frame["timepoint"], dtype=TIMEPOINT_DTYPE).codes.astype(np.int64)
    occurs = np.zeros((len(measures), len(TIMEPOINTS)), dtype=bool)
    occurs[m_code, t_code] = True
    col_of = np.full(occurs.shape, -1, dtype=np.int64)
    col_of[occurs] = np.arange(occurs.sum())
    names = [f"{m}_{t}" for i, m in enumerate(measures) for j, t in enumerate(TIMEPOINTS) if occurs[i, j]]
    return names, col_of[m_code, t_code], t_code


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    gid, first = _groups(frame, ["client_id", "session"])
    attrs = _attribute_columns(frame)
    _require_constant(frame, gid, first, ["condition", *attrs], "client and session")
    names, col, _ = _measure_columns(frame)
    values = np.full((len(first), len(names)), np.nan)
    values[gid, col] = frame["score"].to_numpy(dtype=np.float64)
    out = frame.iloc[first][["client_id", "session", "condition", *attrs]].reset_index(drop=True)
    return pd.concat([out, pd.DataFrame(values, columns=names)], axis=1)


def to_layout(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    """Lay the canonical long table out the way practices export it.

    Parameters
    ----------
    frame : DataFrame
        Canonical long table (as from :func:`generate_practice`).
    layout : {'long', 'prepost', 'wide', 'redcap'}
        - ``long``: the canonical table, ``timepoint`` as plain strings.
        - ``prepost``: one row per client x session x measure: ``client_id,
          session, measure, pre, post, followup, condition`` and the attributes.
        - ``wide``: one row per client x session: ``client_id, session,
          condition``, the attributes, then ``<measure>_<timepoint>`` for each
          measure in the data (registry order) and each timepoint it has.
        - ``redcap``: a REDCap flat export: ``record_id, redcap_event_name,
          redcap_repeat_instrument, redcap_repeat_instance``, the record fields
          (``condition`` and the client attributes), the session fields
          (``technique, year, days_from_first``) and the wide measure columns.
          Each client has one record row (``intake_arm_1``, session fields
          blank) followed by one row per session (``treatment_arm_1``, repeat
          instrument ``session``, repeat instance = session number, record
          fields blank).

    Returns
    -------
    DataFrame
        A score that was not recorded is a missing value (NaN); nothing else is
        lost, so every layout reads back to the same canonical table. Rows are in
        ``client_id, session`` (and ``measure``) order.

    Raises
    ------
    ValueError
        For an unknown ``layout``, or when an attribute varies where the layout
        keeps it once (within a client x session for ``prepost``/``wide``,
        within a client for the ``redcap`` record fields).

    Examples
    --------
    >>> from outcomes.datasets import generate_practice
    >>> frame = generate_practice(n_clients=5, seed=1)
    >>> wide = to_layout(frame, "wide")
    >>> int(wide.filter(regex="_(pre|post|followup)$").notna().sum().sum()) == len(frame)
    True
    """
    check_layout(layout)
    if layout == "long":
        out = frame.copy()
        out["timepoint"] = _timepoint_strings(frame["timepoint"])
        return out
    if layout == "prepost":
        gid, first = _groups(frame, ["client_id", "session", "measure"])
        attrs = _attribute_columns(frame)
        _require_constant(frame, gid, first, ["condition", *attrs], "client, session and measure")
        t_code = pd.Categorical(frame["timepoint"], dtype=TIMEPOINT_DTYPE).codes
        values = np.full((len(first), len(TIMEPOINTS)), np.nan)
        values[gid, t_code] = frame["score"].to_numpy(dtype=np.float64)
        out = frame.iloc[first][["client_id", "session", "measure"]].reset_index(drop=True)
        for j, tp in enumerate(TIMEPOINTS):
            out[tp] = values[:, j]
        rest = frame.iloc[first][["condition", *attrs]].reset_index(drop=True)
        return pd.concat([out, rest], axis=1)
    wide = _wide(frame)
    if layout == "wide":
        return wide
    # redcap: record rows and repeating session rows
    attrs = _attribute_columns(frame)
    record_fields = ["condition", *[c for c in attrs if c in CLIENT_FIELDS]]
    extra = [c for c in attrs if c not in CLIENT_FIELDS and c not in SESSION_FIELDS]
    gid_client, first_client = _groups(wide, ["client_id"])
    constant = []
    for col in extra:
        try:
            _require_constant(wide, gid_client, first_client, [col], "client")
        except ValueError:
            continue
        constant.append(col)
    record_fields += constant
    _require_constant(wide, gid_client, first_client, record_fields, "client")
    session_fields = [c for c in attrs if c not in record_fields]
    measure_cols = list(wide.columns[3 + len(attrs) :])

    records = wide.iloc[first_client][["client_id", *record_fields]].reset_index(drop=True)
    n_rec, n_ses = len(records), len(wide)
    out_rec = pd.DataFrame(
        {
            "record_id": records["client_id"],
            "redcap_event_name": pd.array(["intake_arm_1"] * n_rec, dtype="str"),
            "redcap_repeat_instrument": pd.array([np.nan] * n_rec, dtype="str"),
            "redcap_repeat_instance": pd.array([pd.NA] * n_rec, dtype="Int64"),
        }
    )
    out_ses = pd.DataFrame(
        {
            "record_id": wide["client_id"],
            "redcap_event_name": pd.array(["treatment_arm_1"] * n_ses, dtype="str"),
            "redcap_repeat_instrument": pd.array(["session"] * n_ses, dtype="str"),
            "redcap_repeat_instance": wide["session"].astype("Int64"),
        }
    )
    for col in record_fields:
        out_rec[col] = records[col]
        out_ses[col] = _blank_like(wide[col], n_ses)
    for col in [*session_fields, *measure_cols]:
        out_rec[col] = _blank_like(wide[col], n_rec)
        session_values = wide[col]
        out_ses[col] = (
            session_values.astype("Int64")
            if pd.api.types.is_integer_dtype(session_values.dtype)
            else session_values
        )
    out = pd.concat([out_rec, out_ses], ignore_index=True)
    client_rank = np.r_[np.arange(n_rec), gid_client]
    instance = np.r_[np.zeros(n_rec, dtype=np.int64), wide["session"].to_numpy(dtype=np.int64)]
    order = np.lexsort((instance, client_rank))
    return out.iloc[order].reset_index(drop=True)


def _blank_like(values: pd.Series, n: int) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``n`` missing values of a dtype that fits ``values`` (nullable integers for integers)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return pd.array([pd.NA] * n, dtype="Int64")
    if pd.api.types.is_float_dtype(values.dtype):
        return np.full(n, np.nan)
    return pd.array([np.nan] * n, dtype="str")
