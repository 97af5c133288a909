"""The command line, driven through outcomes.cli.main([...]), in sections by command (a test that runs
several commands sits with the first it is about).

Tests of other modules that call main() only to get their input stay with those modules:
tests/reporting/test_practice.py (the report the ``report_path`` fixture writes with ``outcomes report``;
the summary CSV of a determinism test) and tests/privacy/test_keys.py (keygen never overwrites a key,
through the function and the command alike).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from outcomes.cli import main
from outcomes.io import manifest_path


# ---------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------
def test_cli_validate_on_samples(samples, capsys):
    assert main(["validate", str(samples / "synthetic_practice_redcap.csv")]) == 0
    out = capsys.readouterr().out
    assert "Layout:  redcap" in out and "pelvic_pain" in out
    assert main(["validate", str(samples / "broken_export.csv")]) == 1
    captured = capsys.readouterr()
    assert "Every problem, by row" in captured.err and "unknown_measure" in captured.err
    assert main(["validate"]) == 0  # the bundled sample
    assert "SYNTHETIC" in capsys.readouterr().out


def test_cli_privacy_error_and_override(identifier_export, write_export, tmp_path, capsys):
    path = write_export(tmp_path, identifier_export({"E-mail": ["jane.doe@example.com", "john@example.org"]}))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "column 'E-mail'" in err and "example" not in err
    assert main(["validate", str(path), "--allow-identifiers", "expert determination #2025-14"]) == 0
    captured = capsys.readouterr()
    assert "identifiers allowed (expert determination #2025-14)" in captured.err
    assert "example" not in captured.out + captured.err
    assert main(["validate", str(path), "--allow-identifiers", ""]) == 2
    out = tmp_path / "s.csv"
    assert (
        main(["summarize", str(path), "-q", "-o", str(out), "--n-boot", "200", "--allow-identifiers", "DUA"])
        == 0
    )


def test_no_identifying_value_from_the_command_line(
    leaky_export, write_export, assert_no_secret, tmp_path, capsys
):
    path = write_export(tmp_path, leaky_export())
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--allow-identifiers", "DUA"]) == 1
    captured = capsys.readouterr()
    assert_no_secret(captured.out, captured.err)


def test_debug_shows_the_traceback(capsys, samples):
    assert main(["validate", str(samples / "nope.csv"), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# summarize and grant
# ---------------------------------------------------------------------------------------
def test_cli_report_grant_and_summarize(tmp_path, capsys, samples):
    src = str(samples / "synthetic_practice_wide.csv")
    assert main(["grant", src, "--period", "2025", "-o", str(tmp_path / "g.xlsx"), "-q"]) == 0
    assert (tmp_path / "g.xlsx").stat().st_size > 0
    assert (
        main(["grant", src, "--from", "2025-01-01", "--to", "2025-12-31", "-o", str(tmp_path / "g.html")])
        == 0
    )
    # the documented default min_cell is 11: counts 1 to 10 suppressed (asserted on purpose)
    assert "counts 1-10 suppressed" in capsys.readouterr().out
    for ext in ("csv", "xlsx", "parquet"):
        out = tmp_path / f"s.{ext}"
        assert (
            main(
                [
                    "summarize",
                    src,
                    "--level",
                    "course",
                    "--by",
                    "condition",
                    "-o",
                    str(out),
                    "-q",
                    "--n-boot",
                    "200",
                ]
            )
            == 0
        )
    back = pd.read_parquet(tmp_path / "s.parquet")
    assert set(back["level"]) == {"course"} and "p_holm" in back.columns


def test_cli_summarize_writes_formulas_as_text(tmp_path):
    """Issue 16: payers spelled as formulas in the export begin with a single quote in the summary CSV
    and are strings, never formulas, in the workbook; the numbers, negative ones too, stay numbers. The
    reader strips a leading tab or carriage return ("\\t=1" and "\\r=1" arrive as "=1"); one inside a
    payer stays, and the CSV keeps that payer in one cell (a line feed, quoted)."""
    import csv
    import io
    import re
    import zipfile

    from openpyxl import load_workbook

    from outcomes.datasets import generate_practice

    hostile = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "Self-pay\r=1"]
    frame = generate_practice(n_clients=70, seed=3)
    code = frame["client_id"].astype("category").cat.codes
    frame["payer"] = [hostile[k % len(hostile)] for k in code]
    path = tmp_path / "visits.csv"
    frame.to_csv(path, index=False, quoting=csv.QUOTE_NONNUMERIC)  # the carriage returns quoted
    expected = {"'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'=1", "Self-pay\n=1"}
    for ext in ("csv", "xlsx"):
        out = tmp_path / f"s.{ext}"
        args = ["summarize", str(path), "--by", "payer", "--level", "course", "-o", str(out), "-q"]
        assert main([*args, "--n-boot", "200"]) == 0
    text = (tmp_path / "s.csv").read_bytes().decode("utf-8")  # no newline translation
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {r["payer"] for r in rows} == expected
    changes = [float(v) for r in rows if (v := r["mean_change"])]  # pain falls: a negative number
    assert min(changes) < 0 and not any(r["mean_change"].startswith("'") for r in rows)
    sheet = load_workbook(tmp_path / "s.xlsx")["summary"]
    header = [c.value for c in sheet[1]]
    payer = [c for c in next(sheet.iter_cols(min_col=1, min_row=2)) if c.value is not None]
    assert header[0] == "payer" and {c.data_type for c in payer} == {"s"}
    assert {c.value for c in payer} == expected  # an XML reader reads a carriage return as a line feed
    column = next(sheet.iter_cols(min_col=header.index("mean_change") + 1, min_row=2))
    change = [c for c in column if c.value is not None]
    assert {c.data_type for c in change} == {"n"} and min(c.value for c in change) < 0
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert xml and not any(re.search(r"<f[ >/]", x) for x in xml), "a formula is stored"


# ---------------------------------------------------------------------------------------
# report (and the usage errors and --help of every command)
# ---------------------------------------------------------------------------------------
def test_cli_usage_and_data_errors(tmp_path, capsys, samples):
    assert main(["report", "-o", str(tmp_path / "r.pdf")]) == 2
    assert "-o must end in .html" in capsys.readouterr().err
    assert main(["grant", "--period", "lastyear", "-o", str(tmp_path / "g.xlsx")]) == 2
    assert main(["summarize", "--level", "weekly", "-o", str(tmp_path / "s.csv")]) == 2
    assert main(["report", str(samples / "broken_export.csv"), "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "problems of" in err
    assert main(["nonsense"]) == 2
    for command in ("validate", "report", "grant", "summarize"):
        assert main([command, "--help"]) == 0
        assert "Examples:" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------
# keygen and anonymize
# ---------------------------------------------------------------------------------------
def test_cli_keygen_anonymize_validate(raw_export, tmp_path, capsys):
    raw, _ = raw_export
    source = tmp_path / "raw.csv"
    raw.head(300).to_csv(source, index=False)
    key = tmp_path / "practice.key"
    assert main(["keygen", str(key)]) == 0
    assert "fingerprint" in capsys.readouterr().out
    out = tmp_path / "clean.csv"
    code = main(
        [
            "anonymize",
            str(source),
            "-o",
            str(out),
            "--key-file",
            str(key),
            "--id-column",
            "Client Name",
            "--date-column",
            "Visit Date",
            "--age-column",
            "Age",
            "--drop",
            "Technique",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"Wrote {out}: 300 rows" in captured.out and "dropped 'Phone'" in captured.out
    assert "dropped 'Technique': listed in drop" in captured.out
    assert "Jane" not in captured.out + captured.err
    assert manifest_path(out).exists()
    assert main(["validate", str(out), "--columns", _when_map(tmp_path)]) == 0
    assert main(["validate", str(source)]) == 1  # the raw file itself stops at the scan


def _when_map(tmp_path: Path) -> str:
    path = tmp_path / "map.toml"
    path.write_text('[columns]\n"When" = "timepoint"\n', encoding="utf-8")
    return str(path)


def test_cli_anonymize_usage_and_key_errors(tmp_path, capsys, samples):
    source = samples / "synthetic_practice_long.csv"
    out = str(tmp_path / "clean.csv")
    assert main(["anonymize", str(source), "-o", out]) == 2
    assert "keygen" in capsys.readouterr().err
    assert main(["anonymize", str(source), "-o", out, "--random-ids"]) == 2
    assert main(["anonymize", str(source), "-o", str(tmp_path / "clean.xlsx"), "--random-ids"]) == 2
    weak = tmp_path / "weak.key"
    weak.write_text("changeme\n", encoding="ascii")
    assert main(["anonymize", str(source), "-o", out, "--key-file", str(weak)]) == 1
    assert "does not hold a key" in capsys.readouterr().err
    crosswalk = tmp_path / "cw.csv"
    assert (
        main(["anonymize", str(source), "-o", out, "--random-ids", "--crosswalk", str(crosswalk), "-q"]) == 0
    )
    assert crosswalk.exists() and stat.S_IMODE(os.stat(crosswalk).st_mode) == 0o600


def _anonymize_args(source: Path, out: Path, key: Path, *extra: str) -> list[str]:
    return [
        *["anonymize", str(source), "-o", str(out), "--key-file", str(key)],
        *["--id-column", "Client Name", "--date-column", "Visit Date", "--dob-column", "DOB", *extra],
    ]


def test_cli_anonymize_refuses_to_overwrite_without_force(
    attacked_export, attack_secrets, tmp_path, capsys, new_key
):
    source = tmp_path / "raw.csv"
    attacked_export().to_csv(source, index=False)
    key, out = new_key(tmp_path / "practice.key"), tmp_path / "clean.csv"
    assert main(_anonymize_args(source, out, key)) == 0
    captured = capsys.readouterr()
    assert "dropped 'Therapist'" in captured.out and "dropped 'Emergency Contact'" in captured.out
    assert "dropped 'Insurance Member'" in captured.out
    assert "1 client had ids spelled in more than one way" in captured.out
    first = out.read_bytes()
    out.write_text("an older copy\n", encoding="utf-8")
    assert main(_anonymize_args(source, out, key)) == 1
    err = capsys.readouterr().err
    assert err == (
        f"outcomes anonymize: {out} and {manifest_path(out)} already exist; outcomes anonymize does not "
        "overwrite an output or its manifest. Choose another output name, or replace them: --force on the "
        "command line (force=True in Python).\n"
    )
    assert out.read_text(encoding="utf-8") == "an older copy\n"
    assert main([*_anonymize_args(source, out, key), "--force", "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    assert out.read_bytes() == first  # the same key, the same copy
    for secret in attack_secrets:
        assert secret not in captured.out + captured.err + out.read_text(encoding="utf-8")
    assert main(["validate", str(out), "-q"]) == 0


def test_cli_anonymize_names_a_column_it_cannot_clear_and_the_drop_option(tmp_path, capsys, new_key):
    source = tmp_path / "raw.csv"
    pd.DataFrame(
        {
            "Client Name": ["Jane Doe", "Jane Doe", "John Smith"],
            "Visit Date": ["2025-03-01", "2025-03-08", "2025-03-02"],
            "DOB": ["1980-01-22", "1980-01-22", "1975-07-19"],
            "Timepoint": ["pre", "post", "pre"],
            "Measure": ["pain_nrs"] * 3,
            "Score": ["6", "4", "5"],
            "Condition": ["pelvic_pain", "Jane's visit 2025-03-08", "tmj"],
        }
    ).to_csv(source, index=False)
    key, out = new_key(tmp_path / "practice.key"), tmp_path / "clean.csv"
    assert main(_anonymize_args(source, out, key)) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "outcomes anonymize: The anonymized copy would still hold 1 column that looks like direct "
        "identifiers (the scan every read runs), so nothing was written:\n"
        "- column 'Condition' looks like full dates (1 of 3 values)\n"
        "'Condition' is a column the reports read (the data contract: session, timepoint, measure, score, "
        "condition ...), which the anonymizer never drops unasked. To fix it: correct those values in the "
        "raw export, or drop it: --drop Condition (in Python: drop=['Condition']).\n"
    )
    assert "Jane" not in captured.out + captured.err and "2025-03-08" not in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["practice.key", "raw.csv"]
    assert main([*_anonymize_args(source, out, key), "--drop", "Condition"]) == 0
    assert "dropped 'Condition': listed in drop" in capsys.readouterr().out


@pytest.mark.skipif(os.name == "nt", reason="Windows files have no Unix mode")
def test_cli_anonymize_warns_in_one_line_about_a_key_file_others_can_read(
    attacked_export, tmp_path, capsys, new_key
):
    source = tmp_path / "raw.csv"
    attacked_export().to_csv(source, index=False)
    key = new_key(tmp_path / "practice.key")
    key.chmod(0o644)
    assert main([*_anonymize_args(source, tmp_path / "clean.csv", key), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"outcomes anonymize: warning: Key file '{key}' can be read by other users of this computer (mode "
        "0644); anyone who can read it can recompute your clients' pseudonyms. Make it readable by you "
        f"only: chmod 600 {key}\n"
    )
    assert key.read_text(encoding="ascii").strip() not in captured.err


@pytest.mark.parametrize("command", ["anonymize", "keygen"])
def test_cli_help_has_examples(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out and f"outcomes {command} " in out


def test_layout_redcap_on_a_file_without_record_id_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("client_id,session,timepoint,measure,score,condition\nC1,1,pre,pain_nrs,5,tmj\n")
    assert main(["validate", str(path), "--layout", "redcap"]) == 1
    err = capsys.readouterr().err
    assert "no record_id column" in err and "Traceback" not in err


def test_validate_with_no_score_left_prints_the_problems_and_how_to_register(tmp_path, capsys):
    """Issue 15: with no score left (an unregistered measure, or one row out of range) validate once
    crashed in SessionData.counts() before printing the problem list."""
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("client_id,session,timepoint,measure,score,condition\nC1,1,pre,weight,80,tmj\n")
    assert main(["validate", str(unknown)]) == 1
    out, err = capsys.readouterr()
    assert "No score is left to analyse" in out and "Empty DataFrame" not in out
    assert "unknown_measure" in err and "--instruments MEASURES.toml" in err and "Traceback" not in err
    one = tmp_path / "one.csv"
    one.write_text("client_id,session,timepoint,measure,score,condition\nC1,1,pre,pain_nrs,15,tmj\n")
    assert main(["validate", str(one)]) == 1
    out, err = capsys.readouterr()
    assert "out_of_range" in err and "score outside 0..10" in err


def test_a_closed_output_pipe_ends_quietly(tmp_path):
    """``outcomes validate | head`` printed a BrokenPipeError traceback (issue 15). The reader of
    the pipe is gone before anything is written: the command ends without a traceback and with the
    shell's code for a process ended by SIGPIPE."""
    import subprocess
    import sys

    from outcomes.cli import EXIT_BROKEN_PIPE

    read, write = os.pipe()
    os.close(read)  # the reader ('head') has already gone
    try:
        done = subprocess.run(
            [sys.executable, "-m", "outcomes", "validate"], stdout=write, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.returncode == EXIT_BROKEN_PIPE


# ---------------------------------------------------------------------------------------
# exit codes: a user's mistake is a usage error (2), the package's own fault is 3
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["report", "-o", "{tmp}/missing/report.html"], "the folder"),
        (["report", "-o", "{tmp}"], "is a folder; give a file name ending in .html"),
        (["summarize", "-o", "{tmp}/missing/s.csv"], "does not exist"),
        (["report", "--n-boot", "0", "-o", "{tmp}/r.html"], "at least 100 resamples"),
        (["report", "--n-boot", "many", "-o", "{tmp}/r.html"], "a whole number of resamples"),
        (["grant", "--period", "2025", "--by", "client_id", "-o", "{tmp}/g.xlsx"], "by names client_id"),
    ],
)
def test_cli_usage_errors_exit_2_without_a_traceback(tmp_path, capsys, argv, words):
    """Each of these once ended in a raw FileNotFoundError, IsADirectoryError, ValueError or KeyError
    (issue 16)."""
    code = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert words in err and "Traceback" not in err


def test_cli_an_internal_error_exits_3_and_asks_for_a_report(monkeypatch, capsys):
    import outcomes.cli.commands as commands

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(commands, "validate_command", broken)
    from outcomes.cli import parser

    monkeypatch.setattr(parser, "validate_command", broken)
    assert main(["validate"]) == 3
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err and "please report it" in err and "Traceback" not in err
    assert main(["validate", "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err
