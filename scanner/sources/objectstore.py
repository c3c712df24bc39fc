"""Object storage: `s3://bucket/prefix` (AWS S3 and S3-compatible stores: MinIO, Ceph...;
the `s3` extra installs boto3).

Credentials and the endpoint come from the standard AWS environment
(`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, `AWS_PROFILE`,
`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL` for a store that is not AWS); nothing is
written in a target or printed. Objects are listed in key order (include/exclude
globs apply to the key below the prefix) and each is shown as `s3://bucket/key`:

- Parquet is read in place with `pyarrow.fs.S3FileSystem`: the footer, then
  only the row groups a sample or a full scan needs (ranged GETs);
- every other kind is streamed into a bounded temporary copy
  (`ObjectStoreLimits.max_object_bytes`) and read by the reader of its kind
  (`scanner.sources.nested`), so CSV, Excel, JSON, logs, documents, e-mail,
  archives and images read from a bucket exactly as from a disk; an object whose
  extension no reader takes is judged from its first 64 KB (one ranged GET), so
  a binary object is never downloaded whole.

Each dataset's signature is the object's ETag and size, so an incremental
(nightly) run skips scanning unchanged objects: a Parquet object is then not
read at all; other kinds are still copied (their reader must run to name the
datasets, such as a workbook's sheets) but not scanned. GCS and Azure are
not wired (fsspec could add them); only S3 is tested, against moto's server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

import pyarrow as pa

from scanner.sources.base import DEFAULT_BATCH_ROWS, SKIPPED, Dataset, SourceError, SourceOptions, limits_of
from scanner.sources.files import HEAD_BYTES, is_text
from scanner.sources.limits import ObjectStoreLimits
from scanner.sources.nested import dispatch_stream

PARQUET = (".parquet", ".pq")



def limits_from(options: SourceOptions) -> ObjectStoreLimits:
    """The `object_store:` section of the detection config's `limits:`, over the defaults above."""
    return limits_of(options, "object_store", ObjectStoreLimits)


def split_url(url: str) -> tuple[str, str]:
    """(bucket, prefix) of `s3://bucket/prefix`."""
    parsed = urlparse(url)
    if parsed.scheme.lower() != "s3" or not parsed.netloc:
        raise SourceError(url, "not an s3://bucket/prefix URL", kind="not_found")
    return parsed.netloc, parsed.path.lstrip("/")


def _client() -> Any:
    try:
        import boto3
    except ImportError:
        raise SourceError("s3", "S3 needs boto3: pip install 'piiscan[s3]'", kind="missing_extra",
                          status=SKIPPED) from None
    return boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)


def _problem(source: str, exc: BaseException) -> SourceError:
    """An S3 failure as a reason, never with credentials (botocore messages hold none)."""
    code = ""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
    name = type(exc).__name__
    if code in ("NoSuchBucket", "NoSuchKey", "404"):
        return SourceError(source, f"not found ({code})", kind="not_found")
    if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AllAccessDisabled"):
        return SourceError(source, f"access denied ({code})", kind="permission")
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return SourceError(source, "no AWS credentials in the environment", kind="permission")
    if name in ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError"):
        return SourceError(source, f"cannot reach the object store ({name})", kind="connection")
    return SourceError(source, f"object store error ({code or name})", kind="connection")


def open_target(target: Any, options: SourceOptions, stats: Any = None) -> Iterator[Dataset | SourceError]:
    """The `s3` scheme of scanner.targets."""
    return open_s3(target.url, options, stats)


def open_s3(url: str, options: SourceOptions, stats: Any = None) -> Iterator[Dataset | SourceError]:
    """Every object under `s3://bucket/prefix`, read by the reader of its kind; failures are yielded."""
    from scanner.sources import READERS

    limits = limits_from(options)
    try:
        bucket, prefix = split_url(url)
        client = _client()
    except SourceError as error:
        yield error
        return
    shown = f"s3://{bucket}/{prefix}"
    try:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        count = 0
        for page in pages:
            for entry in page.get("Contents", []):
                key = entry["Key"]
                if key.endswith("/"):
                    continue  # a "folder" marker
                relative = key[len(prefix):].lstrip("/") or PurePosixPath(key).name
                if not options.wants(relative):
                    if stats is not None:
                        stats.files_excluded += 1
                    continue
                count += 1
                if count > limits.max_objects:
                    yield SourceError(shown, f"only the first {limits.max_objects} objects were read",
                                      kind="budget", status="partial")
                    return
                if stats is not None:
                    stats.files_seen += 1
                obj = S3Object(bucket, key, int(entry.get("Size", 0)), str(entry.get("ETag", "")).strip('"'))
                yield from _open_object(client, obj, options, limits, READERS)
        if count == 0:
            yield SourceError(shown, "no objects under this prefix", kind="empty", status=SKIPPED)
    except SourceError as error:
        yield error
    except Exception as exc:  # noqa: BLE001 - listing failed: this target ends, the scan goes on
        yield _problem(shown, exc)


@dataclass(frozen=True)
class S3Object:
    bucket: str
    key: str
    size: int
    etag: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    @property
    def signature(self) -> dict[str, Any]:
        return {"kind": "s3", "etag": self.etag, "size": self.size}


def _kind(name: str, readers: dict[str, Any]) -> str | None:
    """The reader key an object's name picks (as `sniff` does for files), None when unknown."""
    import re

    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for candidate in (name, re.sub(r"(\.\d+)+$", "", name)):
        suffix = PurePosixPath(candidate).suffix
        if suffix in readers:
            return suffix
    return None


def _open_object(client: Any, obj: S3Object, options: SourceOptions, limits: ObjectStoreLimits,
                 readers: dict[str, Any]) -> Iterator[Dataset | SourceError]:
    name = PurePosixPath(obj.key).name
    kind = _kind(name, readers)
    try:
        if kind in PARQUET and not name.lower().endswith(".gz"):
            yield S3ParquetDataset(obj)
            return
        if kind is None:
            head = client.get_object(Bucket=obj.bucket, Key=obj.key, Range=f"bytes=0-{HEAD_BYTES - 1}")["Body"].read()
            if not is_text(head):
                yield SourceError(obj.url, "binary: piiscan has no reader for this kind of object", kind="binary",
                                  status=SKIPPED)
                return
        if obj.size > limits.max_object_bytes:
            yield SourceError(obj.url, f"over {limits.max_object_bytes >> 20} MiB: not copied for reading",
                              kind="too_large", status=SKIPPED)
            return
        body = client.get_object(Bucket=obj.bucket, Key=obj.key)["Body"]
        try:
            yield from dispatch_stream(body, name, obj.url, options, nesting=0, max_bytes=limits.max_object_bytes,
                                       signature=obj.signature)
        finally:
            body.close()
    except SourceError as error:
        yield error
    except Exception as exc:  # noqa: BLE001 - one object failed: the listing goes on
        yield _problem(obj.url, exc)


def arrow_s3() -> Any:
    """pyarrow's S3 filesystem from the same environment boto3 reads (credentials, region, endpoint)."""
    import boto3
    from pyarrow import fs

    session = boto3.session.Session()
    credentials = session.get_credentials()
    kwargs: dict[str, Any] = {"region": session.region_name or "us-east-1"}
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        kwargs.update(access_key=frozen.access_key, secret_key=frozen.secret_key, session_token=frozen.token)
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parsed = urlparse(endpoint)
        kwargs.update(endpoint_override=parsed.netloc or endpoint, scheme=parsed.scheme or "https")
    return fs.S3FileSystem(**kwargs)


class S3ParquetDataset(Dataset):
    """A Parquet object read in place by ranged GETs. Holds no handle or credential, so it
    can travel to a worker process, which opens the store from the same environment."""

    kind = "table"

    def __init__(self, obj: S3Object):
        super().__init__(obj.url)
        self.obj = obj

    def _file(self) -> Any:
        import pyarrow.parquet as pq

        try:
            handle = arrow_s3().open_input_file(f"{self.obj.bucket}/{self.obj.key}")
            return pq.ParquetFile(handle, pre_buffer=False)
        except Exception as exc:  # noqa: BLE001
            raise _parquet_problem(self.obj, exc) from None

    def row_count(self) -> int | None:
        parquet = self._file()
        try:
            return parquet.metadata.num_rows
        finally:
            parquet.close(force=True)

    def iter_batches(self, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        from scanner.sources.columns import flatten_arrow

        parquet = self._file()
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows):
                yield flatten_arrow(batch)
        except Exception as exc:  # noqa: BLE001
            raise _parquet_problem(self.obj, exc) from None
        finally:
            parquet.close(force=True)

    def sample(self, n: int, seed: int = 0) -> pa.Table:
        """Rows from row groups spread over the object (only those row groups are fetched)."""
        import numpy as np

        from scanner.sources.columns import flatten_arrow
        from scanner.sources.parquet import _spread_groups

        parquet = self._file()
        try:
            metadata = parquet.metadata
            groups, total = metadata.num_row_groups, metadata.num_rows
            if groups == 0:
                return pa.table({})
            rng = np.random.default_rng(seed)
            chosen = list(range(groups)) if total <= n else _spread_groups(rng, groups, -(-2 * n * groups // total))
            table = parquet.read_row_groups(chosen)
            if table.num_rows > n:
                table = table.take(pa.array(np.sort(rng.choice(table.num_rows, size=n, replace=False))))
            batches = [flatten_arrow(b) for b in table.combine_chunks().to_batches()]
            return pa.Table.from_batches(batches) if batches else pa.table({})
        except Exception as exc:  # noqa: BLE001
            raise _parquet_problem(self.obj, exc) from None
        finally:
            parquet.close(force=True)

    def signature(self, updated_at_column: str | None = None) -> dict[str, Any] | None:
        return self.obj.signature

    def size_bytes(self) -> int:
        return self.obj.size

    @property
    def is_file(self) -> bool:
        return True


def _parquet_problem(obj: S3Object, exc: BaseException) -> SourceError:
    if isinstance(exc, SourceError):
        return exc
    text = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    if isinstance(exc, (pa.ArrowInvalid, pa.ArrowNotImplementedError)):
        return SourceError(obj.url, f"not a readable Parquet file ({type(exc).__name__})", kind="corrupt")
    return SourceError(obj.url, f"object store error ({text})", kind="connection")
