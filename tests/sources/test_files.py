"""File sources on real files written to tmp_path: every kind, every encoding, every failure."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.sources import describe_target, open_target
from scanner.sources.base import SourceError, SourceOptions
from tests.sources.conftest import open_all, read_all

JA_HEADER = ["氏名", "生年月日", "旅券番号", "JMB会員番号"]
JA_ROWS = [
    ["木村 陽一", "2006-11-19", "TK7439150", "000631706"],
    ["井上 春香", "1973-05-10", "TZ5851781", ""],
    ["ｶﾀｶﾅ ﾀﾛｳ", "1980-01-02", "MU1234567", "123456789"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8", sep: str = ",") -> Path:
    text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("name", "encoding", "sep", "detected"),
    [
        ("utf8.csv", "utf-8", ",", "utf-8"),
        ("bom.csv", "utf-8-sig", ",", "utf-8-sig"),
        ("sjis.csv", "cp932", ",", "cp932"),
        ("tabs.tsv", "utf-8", "\t", "utf-8"),
        ("semicolons.csv", "utf-8", ";", "utf-8"),
    ],
)
def test_delimited_encodings_and_separators(tmp_path, name, encoding, sep, detected):
    write_csv(tmp_path / name, JA_HEADER, JA_ROWS, encoding, sep)
    opened = open_all(tmp_path)
    assert opened.errors == []
    dataset = opened.one(name)
    assert dataset.encoding == detected
    table = read_all(dataset)
    assert table.column_names == JA_HEADER
    assert table.schema.types == [pa.string()] * 4  # numbers keep their leading zeros
    assert table.column("JMB会員番号").to_pylist() == ["000631706", "", "123456789"]
    assert table.column("氏名").to_pylist() == [r[0] for r in JA_ROWS]


def test_cp932_met_only_far_into_the_file_is_still_detected(tmp_path):
    rows = [[str(i), "2024-01-01", "ascii"] for i in range(20_000)] + [["20000", "2024-01-02", "予約 山田"]]
    write_csv(tmp_path / "late.csv", ["id", "date", "note"], rows, encoding="cp932")
    dataset = open_all(tmp_path).one("late.csv")
    assert dataset.encoding == "cp932"
    assert read_all(dataset).column("note").to_pylist()[-1] == "予約 山田"


def test_csv_gzip_quoted_newlines_and_ragged_rows(tmp_path):
    body = 'id,note,email\n1,"line one\nline two",a@example.com\n2,short\n3,x,c@example.com\n'
    with gzip.open(tmp_path / "x.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(body)
    dataset = open_all(tmp_path).one("x.csv.gz")
    table = read_all(dataset)
    assert table.column("note").to_pylist() == ["line one\nline two", "x"]
    assert table.column("id").to_pylist() == ["1", "3"]
    assert dataset.bad_records == 1
    assert "expected 3" in dataset.issues[0].message and "short" not in dataset.issues[0].message


def test_csv_blank_and_duplicate_headers_get_names(tmp_path):
    (tmp_path / "h.csv").write_text("email,,email\na@x.jp,1,b@x.jp\n", encoding="utf-8")
    table = read_all(open_all(tmp_path).one("h.csv"))
    assert table.column_names == ["email", "column_2", "email_2"]


def test_csv_invalid_utf8_midway_is_an_encoding_error_without_values(tmp_path):
    head = "name,card\n" + "".join(f"n{i},4111111111111111\n" for i in range(5000))
    (tmp_path / "bad.csv").write_bytes(head.encode() + b"\xff\xfe,4111111111111111\n")
    dataset = open_all(tmp_path).one("bad.csv")
    with pytest.raises(SourceError) as caught:
        read_all(dataset)
    assert caught.value.kind == "encoding"
    assert "bad.csv" in str(caught.value) and "4111" not in str(caught.value)


def test_json_array_and_wrapped_object_flatten_to_dotted_paths(tmp_path):
    records = [
        {"booking": "B1", "traveler": {"name": "山田 太郎", "passport": {"number": "TK1234567"}},
         "phones": ["090-1234-5678", "03-1234-5678"], "items": [{"name": "ホテル"}, {"name": "航空券"}]},
        {"booking": "B2", "traveler": {"name": "佐藤 花子"}, "phones": ["080-0000-0000"], "items": []},
    ]
    (tmp_path / "array.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "wrapped.json").write_text(json.dumps({"count": 2, "data": records}), encoding="utf-8")
    opened = open_all(tmp_path)
    for name in ("array.json", "wrapped.json"):
        table = read_all(opened.one(name))
        assert table.column("traveler.passport.number").to_pylist() == ["TK1234567", None]
        assert table.column("phones").to_pylist() == ["090-1234-5678\n03-1234-5678", "080-0000-0000"]
        assert table.column("items.name").to_pylist() == ["ホテル\n航空券", None]
        assert table.column("traveler.name").to_pylist() == ["山田 太郎", "佐藤 花子"]


def test_json_corrupt_document_is_a_clear_error(tmp_path):
    (tmp_path / "broken.json").write_text('[{"passport": "TK1234567", ', encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_all(open_all(tmp_path).one("broken.json"))
    assert caught.value.kind == "corrupt" and "TK1234567" not in str(caught.value)


def test_jsonl_streams_nested_records_and_skips_bad_lines(tmp_path):
    lines = [json.dumps({"id": i, "traveler": {"passport": {"number": f"TK{i:07d}"}}}) for i in range(25)]
    lines.insert(10, '{"id": 99, "traveler": TK9999999}')  # invalid JSON holding a value
    lines.insert(5, "[1, 2]")  # valid JSON, not an object
    lines.insert(3, "")  # blank lines are ignored
    lines.append(json.dumps({"id": 25, "extra": {"email": "a@example.com"}}))
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset = open_all(tmp_path).one("events.jsonl")
    batches = list(dataset.iter_batches(batch_rows=10))
    assert [b.num_rows for b in batches] == [10, 10, 6]
    assert batches[-1].schema.names == ["id", "traveler.passport.number", "extra.email"]
    table = read_all(dataset)
    assert table.column("traveler.passport.number").to_pylist()[:2] == ["TK0000000", "TK0000001"]
    assert dataset.bad_records == 2
    messages = " ".join(e.message for e in dataset.issues)
    assert "line 7" in messages and "line 13" in messages and "TK9999999" not in messages


def test_xlsx_each_sheet_is_a_dataset_with_first_nonempty_row_as_header(tmp_path):
    workbook = openpyxl.Workbook()
    members = workbook.active
    members.title = "会員"
    members.append([])
    members.append([None, None])
    members.append(["氏名", "電話番号", "JMB"])
    members.append(["山田 太郎", 9012345678, "000123456"])
    members.append([])
    members.append(["佐藤 花子", "080-1234-5678", 123456789])
    cards = workbook.create_sheet("cards")
    cards.append(["card", "expiry"])
    cards.append(["4111 1111 1111 1111", "12/29"])
    workbook.save(tmp_path / "book.xlsx")
    opened = open_all(tmp_path)
    assert [(d.source, d.table) for d in opened.datasets] == [("book.xlsx", "会員"), ("book.xlsx", "cards")]
    members_table = read_all(opened.one("book.xlsx", "会員"))
    assert members_table.to_pydict() == {
        "氏名": ["山田 太郎", "佐藤 花子"],
        "電話番号": ["9012345678", "080-1234-5678"],
        "JMB": ["000123456", "123456789"],
    }
    assert read_all(opened.one("book.xlsx", "cards")).column("card").to_pylist() == ["4111 1111 1111 1111"]


def test_parquet_row_groups_nested_columns_and_row_count(tmp_path):
    n = 1000
    table = pa.table({
        "id": pa.array(range(n), pa.int64()),
        "traveler": pa.array([{"name": f"名前{i}", "passport": {"number": f"TK{i:07d}"}} for i in range(n)]),
        "phones": pa.array([[f"090-0000-{i:04d}"] for i in range(n)]),
        "legs": pa.array([[{"flight": "JL1"}, {"flight": "JL2"}]] * n),
    })
    pq.write_table(table, tmp_path / "w.parquet", row_group_size=100)
    dataset = open_all(tmp_path).one("w.parquet")
    assert dataset.row_count() == n
    assert dataset.metadata.num_row_groups == 10
    read = read_all(dataset, batch_rows=64)
    assert read.column_names == ["id", "traveler.name", "traveler.passport.number", "phones", "legs.flight"]
    assert read.num_rows == n
    assert read.column("traveler.passport.number")[999].as_py() == "TK0000999"
    assert read.column("legs.flight")[0].as_py() == "JL1\nJL2"
    only = list(dataset.iter_batches(500, columns=["traveler.passport"]))
    assert only[0].schema.names == ["traveler.passport.number"]


@pytest.mark.parametrize("name", ["app.log", "app.log.1", "notes.md", "readme.txt", "NOTICE"])
def test_text_files_are_numbered_lines(tmp_path, name):
    (tmp_path / name).write_text("first\r\n旅券 TK1234567\n\nlast", encoding="utf-8")
    dataset = open_all(tmp_path).one(name)
    assert dataset.kind == "text"
    table = read_all(dataset)
    assert table.schema == pa.schema([("line", pa.int64()), ("text", pa.string())])
    assert table.to_pydict() == {"line": [1, 2, 3, 4], "text": ["first", "旅券 TK1234567", "", "last"]}


def test_gzipped_rotated_log_and_cp932_text(tmp_path):
    with gzip.open(tmp_path / "app.log.1.gz", "wb") as fh:
        fh.write("INFO 予約 TK1234567\nWARN done\n".encode("cp932"))
    dataset = open_all(tmp_path).one("app.log.1.gz")
    assert dataset.kind == "text" and dataset.encoding == "cp932"
    assert read_all(dataset).column("text").to_pylist() == ["INFO 予約 TK1234567", "WARN done"]


def test_long_lines_are_read_in_overlapping_windows_and_stray_bytes_replaced_and_counted(tmp_path):
    (tmp_path / "x.log").write_bytes(b"a" * 45 + b"bcdefghij" + b"\nok\n" + "予約".encode() + b"\xff\nend\n")
    opened = open_all(tmp_path, max_text_line_chars=20)
    dataset = opened.one("x.log")
    table = read_all(dataset)
    long_line = "a" * 45 + "bcdefghij"  # 54 characters: windows of 20 that overlap by 10
    assert table.column("text").to_pylist() == [long_line[s:s + 20] for s in (0, 10, 20, 30, 40)] + [
        "ok", "予約\ufffd", "end"]
    assert table.column("line").to_pylist() == [1, 1, 1, 1, 1, 2, 3, 4]
    assert sorted(e.kind for e in dataset.issues) == ["encoding"]


def test_failures_are_yielded_with_clear_messages_and_the_walk_goes_on(tmp_path):
    cards = "".join(f"41111111{i:08d}\n" for i in range(20000))
    packed = gzip.compress(("card\n" + cards[:60000]).encode())
    (tmp_path / "a_corrupt.parquet").write_bytes(b"PAR1 this is not parquet at all")
    (tmp_path / "b_broken.csv.gz").write_bytes(packed[: len(packed) // 2])  # breaks within the sniffed head
    (tmp_path / "c_gone.csv").symlink_to(tmp_path / "does-not-exist.csv")
    (tmp_path / "d_bad.json").write_bytes(b"\x00\x01\x02binary")
    os.mkfifo(tmp_path / "d_pipe.log")  # opening it would block forever
    packed = gzip.compress(("card\n" + cards).encode())
    (tmp_path / "e_late.csv.gz").write_bytes(packed[: len(packed) * 3 // 4])  # breaks after the head
    (tmp_path / "f_late.log.gz").write_bytes(packed[: len(packed) * 3 // 4])
    write_csv(tmp_path / "z_good.csv", ["email"], [["a@example.com"]])
    opened = open_all(tmp_path)
    errors = {e.source: e for e in opened.errors}
    assert set(errors) == {"a_corrupt.parquet", "b_broken.csv.gz", "c_gone.csv", "d_bad.json", "d_pipe.log"}
    assert (errors["d_pipe.log"].status, errors["d_pipe.log"].kind) == ("skipped", "not_regular")
    assert {e.status for name, e in errors.items() if name != "d_pipe.log"} == {"failed"}
    assert errors["a_corrupt.parquet"].kind == "corrupt"
    assert errors["b_broken.csv.gz"].kind == "corrupt"
    assert "No such file" in errors["c_gone.csv"].message
    assert errors["d_bad.json"].kind == "encoding"
    for late in ("e_late.csv.gz", "f_late.log.gz"):
        with pytest.raises(SourceError) as caught:
            read_all(opened.one(late))
        assert caught.value.kind == "corrupt" and "gzip" in caught.value.message
    for error in [*errors.values(), caught.value]:
        assert "4111" not in str(error)
    assert read_all(opened.one("z_good.csv")).num_rows == 1


def test_binary_files_are_skipped_by_name_and_counted(tmp_path):
    (tmp_path / "photo.xyz").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 10)
    (tmp_path / "blob.bin").write_bytes(os.urandom(4096))
    (tmp_path / "ok.txt").write_text("hello", encoding="utf-8")
    opened = open_all(tmp_path)
    assert [(e.source, e.status, e.kind) for e in opened.errors] == [("blob.bin", "skipped", "binary"),
                                                                    ("photo.xyz", "skipped", "binary")]
    assert "'.bin'" in opened.errors[0].message
    assert [d.source for d in opened.datasets] == ["ok.txt"]
    assert opened.stats.files_skipped_binary == 2
    assert opened.stats.skipped_binary == ["blob.bin", "photo.xyz"]
    assert opened.stats.files_seen == 3


def test_walk_is_sorted_relative_and_honours_include_exclude(tmp_path):
    for rel in ["b/x.csv", "a/y.csv", "a/z.log", "archive/old.csv", "top.csv"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(path, ["c"], [["1"]])
    assert [d.source for d in open_all(tmp_path).datasets] == [
        "a/y.csv", "a/z.log", "archive/old.csv", "b/x.csv", "top.csv"]
    opened = open_all(tmp_path, include=["*.csv"], exclude=["archive/*"])
    assert [d.source for d in opened.datasets] == ["a/y.csv", "b/x.csv", "top.csv"]
    assert opened.stats.files_excluded == 1  # a/z.log; archive/ is pruned without being walked


def test_single_file_target_keeps_the_path_as_given(tmp_path):
    path = write_csv(tmp_path / "one.csv", ["c"], [["1"]])
    [dataset] = list(open_target(str(path), SourceOptions()))
    assert dataset.source == str(path)
    assert describe_target(str(path)) == str(path)
    [missing] = list(open_target(str(tmp_path / "nope.csv"), SourceOptions()))
    assert isinstance(missing, SourceError)


def test_file_signature_changes_with_content(tmp_path):
    path = write_csv(tmp_path / "s.csv", ["c"], [["1"]])
    before = open_all(tmp_path).one("s.csv").signature()
    assert set(before) == {"kind", "size", "mtime_ns", "sha256"}
    assert open_all(tmp_path).one("s.csv").signature() == before
    write_csv(path, ["c"], [["2"]])
    os.utime(path, ns=(before["mtime_ns"], before["mtime_ns"]))  # same size and mtime: the hash still tells
    after = open_all(tmp_path).one("s.csv").signature()
    assert after["size"] == before["size"] and after["sha256"] != before["sha256"]
