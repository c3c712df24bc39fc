"""Raw values in names and errors never leave the process (issue 13).

A file named after a card number, a column named after a passport number, a SQLite
table named after a card number, and a card number with `.`, `/`, `_` or `,`
separators inside parser error messages (the paths pyarrow quotes back) are scanned
by the real CLI at DEBUG log level; none of them appears raw in stdout, the JSON
result, the log, any report file, the nightly state store or the notification payload.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CARD = "4532011475538514"
RAW = [CARD, "TK1234567", "4532.0114.7553.8514", "4532_0114_7553_8514", "4532,0114,7553,8514",
       "4532/0114/7553/8514", "0114.7553", "0114_7553", "0114,7553", "0114/7553"]


def plant(folder: Path) -> None:
    """The nasty names, beside an ordinary file with a finding."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{CARD}.csv").write_text("name,TK1234567,email\nKen,x,ken@example.org\n", encoding="utf-8")
    with sqlite3.connect(folder / "crm.db") as conn:
        conn.execute(f'CREATE TABLE "{CARD}" (email TEXT)')
        conn.execute(f'INSERT INTO "{CARD}" VALUES (\'ami@example.org\')')
    conn.close()
    nested = folder / "4532" / "0114" / "7553"
    nested.mkdir(parents=True)
    for path in (nested / "8514.parquet", folder / "4532_0114_7553_8514.parquet",
                 folder / "4532,0114,7553,8514.parquet", folder / "4532.0114.7553.8514.parquet"):
        path.write_bytes(b"PAR1 not a parquet file at all")  # pyarrow's error quotes the path


def texts_of(folder: Path) -> dict[str, str]:
    """Every file under `folder` as text (xlsx and other zips: every member)."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(path) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        out[str(path)] = data.decode("utf-8", errors="replace")
    return out


def assert_clean(where: str, text: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{raw!r} leaked into {where}"


def _piiscan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "scanner.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done


def test_scan_outputs_logs_and_reports_hold_no_raw_value(tmp_path):
    estate = tmp_path / "estate"
    plant(estate)
    as_json = _piiscan("scan", str(estate), "--format", "json", "-o", str(tmp_path / "result.json"),
                       "--report", str(tmp_path / "reports"), "--log-level", "debug", "--no-progress", cwd=REPO)
    as_table = _piiscan("scan", str(estate), "--format", "table", "--log-level", "debug", "--no-progress", cwd=REPO)
    result = (tmp_path / "result.json").read_text(encoding="utf-8")
    assert "4532********8514.csv" in result  # the shape is kept: a person can find the file
    assert "ken@example.org" not in result and "k**@example.org" in result or "k*" in result
    for where, text in [("stdout", as_table.stdout), ("stderr (DEBUG log)", as_json.stderr + as_table.stderr),
                        ("result.json", result), *texts_of(tmp_path / "reports").items()]:
        assert_clean(where, text)
    assert "DEBUG" in as_json.stderr  # the log really ran at DEBUG


@pytest.fixture(scope="module")
def nightly(tmp_path_factory) -> dict[str, str]:
    """One nightly run over the sample estate with the nasty files planted: what it left, as text."""
    root = tmp_path_factory.mktemp("nightly")
    shutil.copytree(REPO / "configs", root / "configs")
    shutil.copytree(REPO / "sample_data", root / "sample_data")
    (root / "configs" / "triage.yaml").write_text("[]\n", encoding="utf-8")
    plant(root / "sample_data" / "exports")
    payload = root / "notified.json"
    command = f"{sys.executable} -c \"import sys; open({str(payload)!r}, 'wb').write(sys.stdin.buffer.read())\""
    done = _piiscan("nightly", "--inventory", str(root / "configs" / "inventory.yaml"),
                    "--policy", str(root / "configs" / "policy.yaml"), "--state", str(root / "state.db"),
                    "--reports", str(root / "reports"), "--notify-command", command, "--log-level", "debug",
                    cwd=root)
    assert payload.exists(), done.stderr[-2000:]
    with sqlite3.connect(root / "state.db") as conn:
        state = "\n".join(conn.iterdump())
    conn.close()
    return {"log": done.stderr + done.stdout, "state": state, "notification": payload.read_text(encoding="utf-8"),
            **texts_of(root / "reports")}


def test_nightly_log_and_notification_hold_no_raw_value(nightly):
    assert "DEBUG" in nightly["log"]
    assert_clean("nightly log", nightly["log"])
    assert_clean("notification", nightly["notification"])


def test_nightly_state_store_and_reports_hold_no_raw_value(nightly):
    assert "4532********8514" in nightly["state"]  # the nasty file was recorded, masked
    for where, text in nightly.items():
        if where not in ("log", "notification"):
            assert_clean(where, text)


@pytest.mark.parametrize("separator", [".", "/", "_", ",", " ", "-"])
def test_error_messages_with_separated_card_numbers_are_scrubbed(separator):
    from scanner.sources.base import SourceError

    card = separator.join(["4532", "0114", "7553", "8514"])
    error = SourceError("x.db", f"OperationalError: near \"{card}\": syntax error")
    assert "0114" not in error.message and "7553" not in error.message
