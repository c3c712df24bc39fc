"""Object storage: the planted files in a bucket of an S3-compatible server (moto, started on
127.0.0.1 by the test), each found at `s3://bucket/key`; Parquet read in place; signatures
keyed on the ETag; a missing bucket or an unreachable store is a named error."""

from __future__ import annotations

import io
import socket
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scanner.sources import images
from scanner.sources.base import SourceError, SourceOptions
from tests.sources import planted

pytest.importorskip("boto3", reason="the 's3' extra (pip install 'piiscan[s3]')")
moto_server = pytest.importorskip("moto.server", reason="moto[server] (the dev extra)")

BUCKET = "travel-exports"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A moto S3 server on 127.0.0.1 and a boto3 client for it; the AWS environment points there."""
    import boto3

    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    # moto keeps its buckets in this process across servers: start each test from none
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    try:
        client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}")
        client.create_bucket(Bucket=BUCKET)
        yield client
    finally:
        server.stop()


def upload_planted(client: object, tmp_path: Path) -> None:
    put = client.put_object  # type: ignore[attr-defined]
    put(Bucket=BUCKET, Key="2026/booking.pdf",
        Body=planted.write_pdf(tmp_path / "b.pdf", [["Cover"], planted.LINES]).read_bytes())
    put(Bucket=BUCKET, Key="2026/record.docx", Body=planted.write_docx(tmp_path / "r.docx").read_bytes())
    put(Bucket=BUCKET, Key="2026/mail.eml", Body=planted.write_eml(tmp_path / "m.eml").read_bytes())
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2026/customers.csv", planted.csv_bytes())
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())
    put(Bucket=BUCKET, Key="2026/exports.zip", Body=outer.getvalue())
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as archive:
        data = planted.csv_bytes()
        info = tarfile.TarInfo("db/customers.csv")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    put(Bucket=BUCKET, Key="2026/backup.tar.gz", Body=tgz.getvalue())
    table = pa.table({"guest_name": [planted.NAME, "Sato Hanako"] * 50,
                      "card_number": [planted.CARD_VISA, planted.CARD_JCB] * 50,
                      "passport_no": [planted.PASSPORT, "TZ7654321"] * 50})
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=10)
    put(Bucket=BUCKET, Key="2026/lake/guests.parquet", Body=sink.getvalue())
    put(Bucket=BUCKET, Key="2026/blob.bin", Body=bytes(range(256)) * 1000)
    put(Bucket=BUCKET, Key="other/ignored.csv", Body=planted.csv_bytes())
    if images.ocr_available():  # the passport page too, when Tesseract can read it
        put(Bucket=BUCKET, Key="2026/passport.png", Body=planted.write_passport_png(tmp_path / "p.png").read_bytes())


def test_every_kind_found_in_the_bucket(s3: object, tmp_path: Path) -> None:
    upload_planted(s3, tmp_path)

    doc = planted.scan_json(f"s3://{BUCKET}/2026/")

    base = f"s3://{BUCKET}/2026"
    assert planted.found(doc, "CREDIT_CARD", f"{base}/booking.pdf", "pages", line=2)
    assert planted.found(doc, "PASSPORT_NUMBER", f"{base}/booking.pdf", "pages", line=2)
    assert planted.found(doc, "EMAIL_ADDRESS", f"{base}/booking.pdf", "pages", line=2)
    assert planted.found(doc, "PERSON", f"{base}/booking.pdf", "pages", line=2)
    assert planted.found(doc, "CREDIT_CARD", f"{base}/record.docx", "paragraphs", line=4)
    assert planted.found(doc, "EMAIL_ADDRESS", f"{base}/mail.eml", None, line=1)
    assert [f["field"] for f in planted.found(doc, "CREDIT_CARD", f"{base}/mail.eml!customers.csv")] == \
        ["card_number"]
    member = f"{base}/exports.zip!inner.zip!2026/customers.csv"
    assert planted.found(doc, "PASSPORT_NUMBER", member)
    assert planted.found(doc, "PERSON", member)
    assert planted.found(doc, "CREDIT_CARD", f"{base}/backup.tar.gz!db/customers.csv")
    lake = f"{base}/lake/guests.parquet"
    assert [f["field"] for f in planted.found(doc, "CREDIT_CARD", lake)] == ["card_number"]
    assert [f["field"] for f in planted.found(doc, "PASSPORT_NUMBER", lake)] == ["passport_no"]
    if images.ocr_available():
        assert planted.found(doc, "PASSPORT_NUMBER", f"{base}/passport.png")
        assert planted.found(doc, "PERSON", f"{base}/passport.png")
    assert not [f for f in doc["findings"] if f["source"].startswith(f"s3://{BUCKET}/other/")]
    statuses = {s["source"]: (s["status"], s["reason"]) for s in doc["sources"]}
    assert statuses[f"{base}/blob.bin"] == ("skipped", "binary")
    assert doc["errors"] == []


def test_signatures_key_on_the_etag(s3: object, tmp_path: Path) -> None:
    from scanner.sources.objectstore import open_s3

    client = s3
    client.put_object(Bucket=BUCKET, Key="a.csv", Body=planted.csv_bytes())  # type: ignore[attr-defined]
    table = pa.table({"x": [1, 2, 3]})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    client.put_object(Bucket=BUCKET, Key="t.parquet", Body=sink.getvalue())  # type: ignore[attr-defined]

    def signatures() -> dict[str, dict]:
        out = {}
        for item in open_s3(f"s3://{BUCKET}/", SourceOptions()):
            assert not isinstance(item, SourceError), item
            out[item.source] = item.signature()
            item.close()
        return out

    first = signatures()
    etag = client.head_object(Bucket=BUCKET, Key="a.csv")["ETag"].strip('"')  # type: ignore[attr-defined]
    assert first[f"s3://{BUCKET}/a.csv"]["etag"] == etag
    assert signatures() == first
    client.put_object(Bucket=BUCKET, Key="a.csv", Body=planted.csv_bytes() + b"x,y,z,w\n")  # type: ignore[attr-defined]
    second = signatures()
    assert second[f"s3://{BUCKET}/a.csv"] != first[f"s3://{BUCKET}/a.csv"]
    assert second[f"s3://{BUCKET}/t.parquet"] == first[f"s3://{BUCKET}/t.parquet"]


def test_parquet_dataset_travels_to_a_worker(s3: object) -> None:
    import pickle

    from scanner.sources.objectstore import S3Object, S3ParquetDataset

    dataset = S3ParquetDataset(S3Object(BUCKET, "k.parquet", 1, "e"))
    assert pickle.loads(pickle.dumps(dataset)).obj == dataset.obj


def test_missing_bucket_and_unreachable_store_are_named(s3: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from scanner.sources.objectstore import open_s3

    [empty] = list(open_s3(f"s3://{BUCKET}/nothing-here/", SourceOptions()))
    assert isinstance(empty, SourceError) and (empty.kind, empty.status) == ("empty", "skipped")
    [error] = list(open_s3("s3://no-such-bucket/x", SourceOptions()))
    assert isinstance(error, SourceError) and error.kind == "not_found"
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    [error] = list(open_s3(f"s3://{BUCKET}/", SourceOptions()))
    assert isinstance(error, SourceError) and error.kind == "connection"
    assert "testing" not in error.message
