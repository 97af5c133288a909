"""Reading practice exports into the canonical table: the only layer that reads session files.

:func:`read_sessions` accepts the layouts practices really export (long, one
row per session x measure with ``pre``/``post``/``followup`` columns, wide,
REDCap flat exports) as CSV, TSV, Excel or Parquet, or a DataFrame already in
memory; maps the practice's column names onto the data contract; scans for
identifiers; validates everything at once; and returns a :class:`SessionData`:
the canonical frame, the flow of every source row, the provenance of the file
and the instrument registry it was read with.

Modules, in the order the data pass through them:

``files``
    bytes to a raw table: encodings, separators, comment lines, Excel, Parquet,
    folders of site files (:func:`load_table`).
``columns``
    the column map (:class:`ColumnMap`, :func:`read_column_map`) and its application.
``layouts``
    layout detection and the reshaping of every layout to long rows.
``flow``
    the ledger of every source row and score: kept, or excluded with its reason.
``session_data``
    :class:`SessionData`, what a read returns.
``read``
    :func:`read_sessions`, the steps above in order.
``lazy``
    :class:`LazySessionData`, a folder of site files read on Dask one file per
    partition (``read_sessions(folder, engine="dask")``).
``anonymize_file``
    a raw export file to an anonymized CSV file (the anonymizer itself works on
    frames, in :mod:`outcomes.privacy`).
"""

from .anonymize_file import anonymize_file, manifest_path
from .columns import ColumnMap, read_column_map
from .files import RawTable, load_table
from .layouts import LAYOUTS
from .lazy import LazySessionData
from .read import read_sessions
from .session_data import SessionData

__all__ = [
    "LAYOUTS",
    "ColumnMap",
    "LazySessionData",
    "RawTable",
    "SessionData",
    "anonymize_file",
    "load_table",
    "manifest_path",
    "read_column_map",
    "read_sessions",
]
