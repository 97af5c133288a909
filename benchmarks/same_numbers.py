"""Do two checkouts of ``outcomes`` give the same numbers on the bundled sample?

Usage::

    python benchmarks/same_numbers.py OLD_CHECKOUT NEW_CHECKOUT

Each checkout runs in its own subprocess (``PYTHONPATH`` = the checkout, so that
the two never share a module) and writes what a user gets from the bundled
synthetic sample through the public API of both versions:

* the summary table (``summarize`` by condition and for the whole practice, all
  three levels, seed 0, 2,000 resamples), compared with
  ``pandas.testing.assert_frame_equal(check_exact=True)``;
* every cell of the grant workbook (``grant_report`` + ``write_grant_xlsx``, read
  back with openpyxl), compared as numbers where both are numbers and as text
  otherwise;
* every number of the practice report's text (``report``), in page order, outside
  the provenance block and the time it was generated, compared as numbers
  (``-0.0`` and ``0.0`` are the same number).

A summary column that one version adds is named and left out of the comparison;
the workbook's numbers are compared as Excel shows them, in order, so that a cell
"3.1 (2.0 to 4.2)" and three cells 3.1, 2.0, 4.2 read the same.

Used to show that moving code changed no result (issue 13). Exit code 0 when
everything is identical; 1 with a list of differences otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DUMP = r"""
import json, re, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
import pandas as pd
import outcomes as oc
out = Path(sys.argv[1])
data = oc.sample_data()
levels = ["session", "followup", "course"]
by_cond = oc.summarize(data, by="condition", level=levels, seed=0, n_boot=2000)
whole = oc.summarize(data, by=None, level=levels, seed=0, n_boot=2000)
whole.insert(0, "condition", "all")
table = pd.concat([by_cond, whole], ignore_index=True)
table["level"] = table["level"].astype(str)
table.to_pickle(out / "summary.pkl")
grant = oc.grant_report(data, period=2025)
oc.write_grant_xlsx(grant, out / "grant.xlsx", synthetic=True)
from openpyxl import load_workbook
cells = {}
for ws in load_workbook(out / "grant.xlsx").worksheets:
    if ws.title == "README":
        continue
    # each cell as Excel shows it: a share stored as 0.45 with format 0% reads 45%
    cells[ws.title] = [
        [
            f"{c.value * 100:.10g}%"
            if isinstance(c.value, (int, float)) and str(c.number_format).endswith("%")
            else c.value
            for c in row
        ]
        for row in ws.iter_rows()
    ]
(out / "grant.json").write_text(json.dumps(cells, default=str))
oc.report(data, out / "report.html", synthetic=True)
"""

_NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?%?")


def _dump(checkout: Path, where: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(checkout), MPLBACKEND="Agg", OUTCOMES_PROGRESS="0")
    subprocess.run([sys.executable, "-c", DUMP, str(where)], env=env, check=True, cwd=where)


def report_numbers(html: str) -> list[str]:
    """Every number of the page's text, in order, leaving out the provenance block and images."""
    body = html.split('<section id="provenance">', 1)[0]
    body = re.sub(r"<img[^>]*>", " ", body)
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    text = text.replace("&#43;", "+").replace("&lt;", "<")
    text = re.sub(r"(?i)generated\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC", " ", text)  # the time it was made
    return [n.replace("−", "-").replace(",", "") for n in _NUMBER.findall(text)]


def _numbers(value: object) -> list[str]:
    if isinstance(value, str) and "95% CI" in value:
        return []  # a column heading, however the columns are split
    if isinstance(value, float) and value == 0:
        return ["0"]  # 0.0 and -0.0 as one
    text = str(value)
    if isinstance(value, float):
        text = f"{value:.10g}"
    return [n.replace("−", "-").replace(",", "") for n in _NUMBER.findall(text)]


def _same_cell(a: object, b: object) -> bool:
    try:
        return float(str(a).replace(",", "")) == float(str(b).replace(",", ""))
    except ValueError:
        return a == b


def compare(old: Path, new: Path) -> list[str]:
    import pandas as pd

    problems: list[str] = []
    a, b = pd.read_pickle(old / "summary.pkl"), pd.read_pickle(new / "summary.pkl")
    # a column one version adds is named, not counted as a difference of the shared numbers
    added = [c for c in b.columns if c not in a.columns]
    dropped = [c for c in a.columns if c not in b.columns]
    if added or dropped:
        print(f"summary columns: added {added or 'none'}, dropped {dropped or 'none'}")
    try:
        shared = [c for c in a.columns if c in b.columns]
        pd.testing.assert_frame_equal(a[shared], b[shared], check_exact=True)
    except AssertionError as exc:
        problems.append(f"summary differs: {exc}")
    ga = json.loads((old / "grant.json").read_text())
    gb = json.loads((new / "grant.json").read_text())
    for sheet in sorted(set(ga) | set(gb)):
        rows_a, rows_b = ga.get(sheet), gb.get(sheet)
        if rows_a is None or rows_b is None:
            problems.append(f"grant sheet {sheet!r} only in {'new' if rows_a is None else 'old'}")
            continue
        # every number in the cells' text, in order: "3.1 (2.0 to 4.2)" in one cell and 3.1, 2.0,
        # 4.2 in three cells read the same
        nums_a = [n.rstrip("%") for row in rows_a[2:] for v in row if v is not None for n in _numbers(v)]
        nums_b = [n.rstrip("%") for row in rows_b[2:] for v in row if v is not None for n in _numbers(v)]
        if len(nums_a) != len(nums_b) or not all(map(_same_cell, nums_a, nums_b)):
            problems.append(f"grant sheet {sheet!r}: numbers differ ({len(nums_a)} vs {len(nums_b)} cells)")
    ra = report_numbers((old / "report.html").read_text(encoding="utf-8"))
    rb = report_numbers((new / "report.html").read_text(encoding="utf-8"))
    if len(ra) != len(rb) or not all(
        map(_same_cell, [a.rstrip("%") for a in ra], [b.rstrip("%") for b in rb])
    ):
        first = next(
            (i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y), min(len(ra), len(rb))
        )
        problems.append(
            f"report numbers differ: {len(ra)} vs {len(rb)} numbers, first difference at #{first}: "
            f"{ra[first - 3 : first + 3]} vs {rb[first - 3 : first + 3]}"
        )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    old, new = (Path(p).resolve() for p in argv)
    with tempfile.TemporaryDirectory() as tmp:
        dirs = []
        for name, checkout in (("old", old), ("new", new)):
            d = Path(tmp) / name
            d.mkdir()
            _dump(checkout, d)
            dirs.append(d)
        problems = compare(*dirs)
        n_rows = len(__import__("pandas").read_pickle(dirs[1] / "summary.pkl"))
        n_numbers = len(report_numbers((dirs[1] / "report.html").read_text(encoding="utf-8")))
    if problems:
        print("\n".join(problems))
        return 1
    print(
        f"identical: summary ({n_rows} rows, check_exact), grant workbook cells, "
        f"{n_numbers} numbers of the practice report"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
