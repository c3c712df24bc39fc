"""Archives: members found at `archive!member`, nested to a bounded depth; bombs,
encrypted members and broken archives end as named entries within bounded memory."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tarfile
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest

from scanner.sources import open_file
from scanner.sources.archives import ArchiveLimits
from scanner.sources.base import SourceError, SourceOptions
from tests.sources import planted
from tests.sources.conftest import read_all


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zeros_zip(path: Path, gigabytes: float, name: str = "zeros.bin") -> Path:
    """One member of `gigabytes` of zeros, written by hand (zip64 sizes) in a few MB: the deflate
    stream of a zero block after a full flush is the same bytes every time, so it is repeated."""
    block = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(bytes(block)) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = int(gigabytes * 1024)
    data = first + again * (count - 1) + compressor.flush(zlib.Z_FINISH)
    size = count * block
    crc = 0  # never checked: no reader gets to the end
    name_b = name.encode()
    extra = struct.pack("<HHQQ", 1, 16, size, len(data))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                        len(name_b), len(extra)) + name_b + extra
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                          len(name_b), len(extra), 0, 0, 0, 0, 0) + name_b + extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path.write_bytes(local + data + central + end)
    return path


def items(path: Path, **options) -> list:
    out = []
    for item in open_file(path, path.name, SourceOptions(**options)):
        out.append(item if isinstance(item, SourceError) else (item.source, item.table, read_all(item).num_rows))
    return out


def test_zip_in_zip_and_tar_gz_found_at_their_members(tmp_path: Path) -> None:
    inner = zip_bytes({"2026/customers.csv": planted.csv_bytes()})
    (tmp_path / "exports.zip").write_bytes(zip_bytes({"inner/customers.zip": inner,
                                                      "notes.txt": f"card {planted.CARD_VISA}\n".encode()}))
    with tarfile.open(tmp_path / "backup.tar.gz", "w:gz") as archive:
        data = planted.csv_bytes()
        info = tarfile.TarInfo("db/customers.csv")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with tarfile.open(tmp_path / "logs.tgz", "w:gz") as archive:
        data = f"login user={planted.EMAIL}\n".encode()
        info = tarfile.TarInfo("app.log")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))

    doc = planted.scan_json(tmp_path)

    member = "exports.zip!inner/customers.zip!2026/customers.csv"
    assert planted.found(doc, "CREDIT_CARD", member)
    assert planted.found(doc, "PASSPORT_NUMBER", member)
    assert planted.found(doc, "EMAIL_ADDRESS", member)
    assert planted.found(doc, "PERSON", member)
    assert planted.found(doc, "CREDIT_CARD", "exports.zip!notes.txt", line=1)
    assert planted.found(doc, "CREDIT_CARD", "backup.tar.gz!db/customers.csv")
    assert planted.found(doc, "PASSPORT_NUMBER", "backup.tar.gz!db/customers.csv")
    assert planted.found(doc, "EMAIL_ADDRESS", "logs.tgz!app.log", line=1)  # routed to archives, not un-gzipped text
    assert doc["errors"] == []


def test_depth_is_bounded(tmp_path: Path) -> None:
    data = zip_bytes({"deep.txt": f"card {planted.CARD_VISA}\n".encode()})
    for level in range(5):
        data = zip_bytes({f"level{level}.zip": data})
    (tmp_path / "nested.zip").write_bytes(data)
    [error, summary] = items(tmp_path / "nested.zip")
    assert error.kind == "budget" and error.status == "skipped"
    assert error.source == "nested.zip!level4.zip!level3.zip!level2.zip"
    assert "more than 3 levels" in error.message
    assert (summary.source, summary.status) == ("nested.zip", "partial")


def test_encrypted_member_is_skipped(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"secret.csv": planted.csv_bytes(), "open.txt": b"hello\n"}))
    # mark the first member encrypted (general purpose flag bit 0) in its local and central headers
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    data[local + 6] |= 1
    data[central + 8] |= 1
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    result = items(tmp_path / "locked.zip")
    errors = [i for i in result if isinstance(i, SourceError)]
    assert [(e.source, e.kind, e.status) for e in errors] == [("locked.zip!secret.csv", "encrypted", "skipped")]
    assert ("locked.zip!open.txt", None, 1) in result


def test_member_count_limit(tmp_path: Path) -> None:
    (tmp_path / "many.zip").write_bytes(zip_bytes({f"f{i}.txt": b"x\n" for i in range(5)}))
    result = items(tmp_path / "many.zip", )
    assert len(result) == 5
    from scanner.sources import archives

    original = archives.limits_from
    archives.limits_from = lambda options: ArchiveLimits(max_members=2)
    try:
        result = items(tmp_path / "many.zip")
    finally:
        archives.limits_from = original
    assert [r for r in result if not isinstance(r, SourceError)] == [("many.zip!f0.txt", None, 1),
                                                                       ("many.zip!f1.txt", None, 1)]
    [summary] = [r for r in result if isinstance(r, SourceError)]
    assert summary.status == "partial" and "3 members not read" in summary.message


def test_broken_archives_fail_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "bad.tgz").write_bytes(zlib.compress(b"x")[:5])
    for name in ("bad.zip", "bad.tgz"):
        [error] = items(tmp_path / name)
        assert isinstance(error, SourceError) and error.status == "failed", name


BOMB_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from scanner.pipeline import ScanOptions, run_scan
    result = run_scan([sys.argv[1]], ScanOptions(jobs=1)).to_dict()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    entries = result["errors"] + [{**s, "kind": s["reason"], "message": s["detail"]} for s in result["sources"]
                                  if s["status"] == "skipped"]
    print(json.dumps({"peak": peak, "errors": entries, "findings": len(result["findings"])}))
""")


def test_bombs_end_as_bounded_entries(tmp_path: Path) -> None:
    """A single 10 GB-of-zeros member and a 42.zip-style nest (16 x 16 x 16 x 16 leaves of
    1 GB of zeros, ~70 TB unpacked) scanned in a child process: named entries, peak RSS < 1 GB."""
    zeros_zip(tmp_path / "zeros10g.zip", 10)
    leaf = zeros_zip(tmp_path / "leaf.zip", 1).read_bytes()
    level = leaf
    for depth in range(4):
        level = zip_bytes({f"{depth}_{i:x}.zip": level for i in range(16)})
    (tmp_path / "42.zip").write_bytes(level)
    (tmp_path / "leaf.zip").unlink()
    assert (tmp_path / "zeros10g.zip").stat().st_size < 20_000_000
    assert (tmp_path / "42.zip").stat().st_size < 1_000_000

    import json

    run = subprocess.run([sys.executable, "-c", BOMB_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                         timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["peak"] < 1 << 30
    errors = out["errors"]
    bomb = [e for e in errors if e["source"] == "zeros10g.zip!zeros.bin"]
    assert bomb and bomb[0]["kind"] == "too_large" and "ratio" in bomb[0]["message"]
    assert any(e["source"] == "zeros10g.zip" and e["status"] == "partial" for e in errors)
    summary = [e for e in errors if e["source"] == "42.zip"]
    assert summary and summary[0]["status"] == "partial"
    assert len([e for e in errors if e["source"].startswith("42.zip")]) <= ArchiveLimits().max_reported + 1


DEEP_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from scanner.sources import open_file
    from scanner.sources.base import SourceOptions
    options = SourceOptions()
    options.limits = {"archives": {"max_depth": 10}}
    items = list(open_file(Path(sys.argv[1]), "nest.zip", options))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"peak": peak, "items": [[i.source, i.kind, i.status, i.message] for i in items]}))
""")


def test_nested_bomb_reaching_its_leaves_is_bounded(tmp_path: Path) -> None:
    """With the depth limit raised, a 16 x 16 x 16 nest of 1 GB zero leaves (4 TB unpacked) reaches
    every leaf: each is refused by its ratio from the directory, before a byte is inflated."""
    import json

    level = zeros_zip(tmp_path / "leaf.zip", 1).read_bytes()
    for depth in range(3):
        level = zip_bytes({f"{depth}_{i:x}.zip": level for i in range(16)})
    (tmp_path / "nest.zip").write_bytes(level)
    run = subprocess.run([sys.executable, "-c", DEEP_SCRIPT, str(tmp_path / "nest.zip")], capture_output=True,
                         text=True, timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["peak"] < 1 << 30
    *members, summary = out["items"]
    assert len(members) == ArchiveLimits().max_reported
    assert all(kind == "too_large" and "ratio" in message for _, kind, _, message in members)
    assert summary[0] == "nest.zip" and summary[2] == "partial"
    assert "4096 members not read" in summary[3] and "4076 further" in summary[3]


def test_member_signatures_are_stable_and_follow_content(tmp_path: Path) -> None:
    """Incremental runs key a member on its content, not on its temporary copy."""
    path = tmp_path / "a.zip"

    def signatures() -> dict:
        out = {}
        for item in open_file(path, path.name, SourceOptions()):
            assert not isinstance(item, SourceError)
            out[item.source] = item.signature()
        return out

    path.write_bytes(zip_bytes({"x.csv": planted.csv_bytes(), "y.txt": b"hello\n"}))
    first = signatures()
    assert signatures() == first
    path.write_bytes(zip_bytes({"x.csv": planted.csv_bytes() + b"a,b,c,d\n", "y.txt": b"hello\n"}))
    second = signatures()
    assert second["a.zip!x.csv"] != first["a.zip!x.csv"] and second["a.zip!y.txt"] == first["a.zip!y.txt"]


def test_members_are_scanned_in_this_process_with_worker_processes(tmp_path: Path) -> None:
    """A member's temporary copy is deleted when its container moves on: members never travel
    to a worker (they refuse pickling) and the result equals a sequential scan."""
    import pickle

    inner = zip_bytes({"2026/customers.csv": planted.csv_bytes()})
    (tmp_path / "exports.zip").write_bytes(zip_bytes({"inner.zip": inner, "notes.txt": b"hello\n"}))
    planted.write_eml(tmp_path / "mail.eml")
    [member, *_] = [i for i in open_file(tmp_path / "exports.zip", "exports.zip", SourceOptions())]
    with pytest.raises(TypeError):
        pickle.dumps(member)

    def findings(processes: int) -> list:
        doc = planted.scan_json(tmp_path, processes=processes)
        assert doc["errors"] == []
        return sorted((f["source"], f["entity_type"], f["field"] or "") for f in doc["findings"])

    assert findings(2) == findings(1)


def test_member_names_cannot_escape_the_temporary_directory(tmp_path: Path) -> None:
    (tmp_path / "evil.zip").write_bytes(zip_bytes({"../../escaped.txt": f"card {planted.CARD_VISA}\n".encode(),
                                                   "/abs/rooted.txt": b"hello\n"}))
    result = items(tmp_path / "evil.zip")
    assert [r[0] for r in result] == ["evil.zip!../../escaped.txt", "evil.zip!/abs/rooted.txt"]
    assert not (tmp_path.parent / "escaped.txt").exists() and not Path("/abs").exists()


def test_limits_come_from_the_options(tmp_path: Path) -> None:
    (tmp_path / "two.zip").write_bytes(zip_bytes({"a.txt": b"x\n", "b.txt": b"y\n"}))
    options = SourceOptions()
    options.limits = {"archives": {"max_members": 1}}  # what configs/detection.yaml `archives:` sets
    result = list(open_file(tmp_path / "two.zip", "two.zip", options))
    assert [getattr(r, "status", "dataset") for r in result] == ["dataset", "partial"]


def test_tar_bombs_stop_on_declared_size_and_on_ratio(tmp_path: Path) -> None:
    import gzip

    # a member that declares 10 GB: refused from its header, nothing inflated
    header = tarfile.TarInfo("zeros.bin")
    header.size = 10 << 30
    (tmp_path / "declared.tar.gz").write_bytes(gzip.compress(header.tobuf(tarfile.GNU_FORMAT) + bytes(1 << 16)))
    [summary] = items(tmp_path / "declared.tar.gz")
    assert summary.status == "partial" and "unpacked-bytes limit" in summary.message
    # many small members of zeros: the ratio of the whole stream stops it
    with tarfile.open(tmp_path / "zeros.tgz", "w:gz") as archive:
        for i in range(40):
            info = tarfile.TarInfo(f"z{i}.txt")
            info.size = 1 << 20
            archive.addfile(info, io.BytesIO(bytes(1 << 20)))
    result = items(tmp_path / "zeros.tgz")
    assert result[-1].status == "partial" and "ratio" in result[-1].message
    assert len(result) < 40


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scanner.sources.nested import safe_name  # noqa: E402


@given(st.text(max_size=300))
def test_safe_name_stays_inside_its_directory(name: str) -> None:
    cleaned = safe_name(name)
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and not cleaned.startswith(".")
    assert len(cleaned) <= 90


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_named_zip_or_tar_never_raise(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    for name in ("x.zip", "x.tar", "x.tgz"):
        (folder / name).write_bytes(data)
        items = list(open_file(folder / name, name, SourceOptions()))
        assert items, "every file ends as a dataset or an entry, never as nothing"
        for item in items:
            assert isinstance(item, SourceError) or item.source.startswith(name + "!")


def test_empty_archives_are_named(tmp_path: Path) -> None:
    (tmp_path / "empty.zip").write_bytes(zip_bytes({}))
    with tarfile.open(tmp_path / "dirs.tar.gz", "w:gz") as archive:
        folder = tarfile.TarInfo("only/a/folder")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
    for name in ("empty.zip", "dirs.tar.gz"):
        [entry] = items(tmp_path / name)
        assert (entry.source, entry.kind, entry.status) == (name, "empty", "skipped")
