"""Archives: `.zip`, `.tar`, `.tar.gz` / `.tgz` (also bz2/xz-compressed tar), members
scanned as files of their own kind and shown as `exports.zip!2026/customers.csv`.

Members are streamed one at a time into a bounded temporary copy and handed to
the reader of their kind (`scanner.sources.nested`), so an archive inside an
archive is opened the same way, down to `ArchiveLimits.max_depth`. Nothing is
ever unpacked whole into memory.

Limits (`ArchiveLimits`, defaults below; `archives:` in configs/detection.yaml
may override them) hold for a top-level archive and everything nested in it:
- members: at most `max_members`; bytes unpacked (read or skipped over): at most
  `max_total_bytes`; one member: at most `max_member_bytes`;
- compression ratio: a zip member whose declared size is more than `max_ratio`
  times its compressed size (past `ratio_floor_bytes`) is not opened; a tar.gz
  whose unpacked bytes outrun its compressed bytes by that ratio is stopped.
A zip's directory states each member's size and zipfile never inflates past it,
so a lying header cannot grow a member. A bomb therefore ends as a `failed`
member entry plus a `partial` entry for the archive ("N members not read"),
never as a crash or a memory blow-up. Encrypted zip members are `skipped`
(`encrypted`). Member problems beyond `max_reported` per top-level archive are
counted in the archive's summary rather than listed one by one (a 42.zip has
thousands).
"""

from __future__ import annotations

import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import IO

from scanner.sources.base import FAILED, PARTIAL, SKIPPED, Dataset, SourceError, SourceOptions, limits_of
from scanner.sources.files import FileRef, describe_os_error
from scanner.sources.limits import ArchiveLimits
from scanner.sources.nested import dispatch_stream

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz")



def limits_from(options: SourceOptions) -> ArchiveLimits:
    """The `archives:` section of the detection config's `limits:`, over the defaults above."""
    return limits_of(options, "archives", ArchiveLimits)


@dataclass
class _Budget:
    """What a top-level archive and its nested archives have spent so far."""

    limits: ArchiveLimits
    members: int = 0
    unpacked: int = 0
    reported: int = 0
    unreported: int = 0
    not_read: int = 0
    reasons: set[str] = field(default_factory=set)

    def report(self, error: SourceError) -> Iterator[SourceError]:
        """A member's problem: listed while under `max_reported`, else only counted."""
        if error.status != "partial" and error.kind != "empty":
            self.not_read += 1
        if self.reported < self.limits.max_reported:
            self.reported += 1
            yield error
        else:
            self.unreported += 1

    def stop(self, reason: str) -> None:
        self.reasons.add(reason)


_BUDGETS: dict[str, _Budget] = {}  # top-level archive source -> its budget (members are read in this process)


@contextmanager
def _budget_for(ref: FileRef, limits: ArchiveLimits) -> Iterator[tuple[_Budget, bool]]:
    """The budget of the top-level archive `ref` belongs to; (budget, is this the top level)."""
    for key, budget in _BUDGETS.items():
        if ref.source.startswith(key + "!"):
            yield budget, False
            return
    budget = _BUDGETS[ref.source] = _Budget(limits)
    try:
        yield budget, True
    finally:
        _BUDGETS.pop(ref.source, None)


def _summary(ref: FileRef, budget: _Budget) -> Iterator[SourceError]:
    if budget.reasons or budget.unreported:
        reasons = "; ".join(sorted(budget.reasons)) or "member problems"
        more = f" ({budget.unreported} further member problems not listed)" if budget.unreported else ""
        yield SourceError(ref.source, f"read in part: {budget.not_read} members not read: {reasons}{more}",
                          kind="budget", status=PARTIAL)


def _member_stream(ref: FileRef, name: str, stream: IO[bytes], size: int, budget: _Budget,
                   options: SourceOptions) -> Iterator[Dataset | SourceError]:
    limits = budget.limits
    source = f"{ref.source}!{name}"
    if ref.nesting + 1 >= limits.max_depth and name.lower().endswith(ARCHIVE_SUFFIXES):
        yield from budget.report(_too_deep(replace(ref, source=source, nesting=ref.nesting + 1), limits))
        return  # known too deep from its name: not even copied
    remaining = limits.max_total_bytes - budget.unpacked
    cap = min(limits.max_member_bytes, max(remaining, 0))
    before = budget.unpacked
    budget.unpacked += size
    for item in dispatch_stream(stream, name, source, options, nesting=ref.nesting + 1, max_bytes=cap):
        if isinstance(item, SourceError) and item.source == source:
            yield from budget.report(item)  # (errors from deeper members were reported down there)
        else:
            yield item
    budget.unpacked = max(budget.unpacked, before + size)


def size_text(size: int) -> str:
    """`2.0 GiB`: sizes in messages are never long digit runs (the scrubber would mask them)."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _admit(ref: FileRef, name: str, size: int, budget: _Budget) -> SourceError | None:
    """Why a member of `size` unpacked bytes is not read, or None."""
    limits = budget.limits
    source = f"{ref.source}!{name}"
    if size > limits.max_member_bytes:
        return SourceError(source, f"{size_text(size)} unpacked, over the {size_text(limits.max_member_bytes)} "
                           "member limit",
                           kind="too_large", status=SKIPPED)
    return None


def read_zip(ref: FileRef, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    limits = limits_from(options)
    if ref.nesting >= limits.max_depth:
        yield _too_deep(ref, limits)
        return
    if ref.compressed:
        yield SourceError(ref.source, "a gzip-compressed zip is not read", kind="unsupported", status=SKIPPED)
        return
    with _budget_for(ref, limits) as (budget, top):
        try:
            archive = zipfile.ZipFile(ref.path)
        except zipfile.BadZipFile as exc:
            yield SourceError(ref.source, f"not a readable zip ({str(exc)[:80]})", kind="corrupt")
            return
        except OSError as exc:
            yield SourceError(ref.source, describe_os_error(exc))
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members:
                yield SourceError(ref.source, "an archive with no files", kind="empty", status=SKIPPED)
            for index, info in enumerate(members):
                source = f"{ref.source}!{info.filename}"
                budget.members += 1
                if budget.members > limits.max_members:
                    budget.not_read += len(members) - index
                    budget.stop(f"member limit of {limits.max_members} reached")
                    break
                if info.flag_bits & 0x1:
                    yield from budget.report(SourceError(source, "encrypted member (a password is needed)",
                                                         kind="encrypted", status=SKIPPED))
                    continue
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
                    budget.stop(f"compression ratio over {limits.max_ratio:.0f}:1 (a zip bomb?)")
                    yield from budget.report(SourceError(
                        source, f"compression ratio {ratio:.0f}:1 over the limit of {limits.max_ratio:.0f}:1 "
                        "(a zip bomb?): not unpacked", kind="too_large", status=FAILED))
                    continue
                problem = _admit(ref, info.filename, info.file_size, budget)
                if problem is not None:
                    yield from budget.report(problem)
                    continue
                if budget.unpacked + info.file_size > limits.max_total_bytes:
                    budget.not_read += len(members) - index
                    budget.stop(f"unpacked-bytes limit of {size_text(limits.max_total_bytes)} reached")
                    break
                try:
                    with archive.open(info) as stream:
                        yield from _member_stream(ref, info.filename, stream, info.file_size, budget, options)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                    yield from budget.report(SourceError(source, f"cannot unpack ({type(exc).__name__})",
                                                         kind="corrupt"))
        if top:
            yield from _summary(ref, budget)


def read_tar(ref: FileRef, options: SourceOptions) -> Iterator[Dataset | SourceError]:
    """A tar (plain, gzip, bz2 or xz), streamed member by member."""
    limits = limits_from(options)
    if ref.nesting >= limits.max_depth:
        yield _too_deep(ref, limits)
        return
    with _budget_for(ref, limits) as (budget, top):
        try:
            with open(ref.path, "rb") as raw, tarfile.open(fileobj=raw, mode="r|*") as archive:
                before = budget.members
                yield from _tar_members(ref, raw, archive, budget, options)
                if budget.members == before:
                    yield SourceError(ref.source, "an archive with no files", kind="empty", status=SKIPPED)
        except (tarfile.TarError, EOFError, OSError) as exc:
            message = describe_os_error(exc) if isinstance(exc, OSError) and exc.strerror else \
                f"not a readable tar ({type(exc).__name__})"
            yield SourceError(ref.source, message, kind="corrupt", status=PARTIAL if budget.members else FAILED)
        if top:
            yield from _summary(ref, budget)


def _tar_members(ref: FileRef, raw: IO[bytes], archive: tarfile.TarFile, budget: _Budget,
                 options: SourceOptions) -> Iterator[Dataset | SourceError]:
    limits = budget.limits
    start = budget.unpacked
    for member in archive:
        if not member.isreg():
            continue  # directories, links, devices: nothing to read
        budget.members += 1
        if budget.members > limits.max_members:
            budget.not_read += 1
            budget.stop(f"member limit of {limits.max_members} reached")
            return
        if budget.unpacked + member.size > limits.max_total_bytes:
            budget.not_read += 1  # skipping over it would mean unpacking it: stop here
            budget.stop(f"unpacked-bytes limit of {size_text(limits.max_total_bytes)} reached")
            return
        problem = _admit(ref, member.name, member.size, budget)
        if problem is not None:
            budget.unpacked += member.size  # the stream still passes over its bytes
            yield from budget.report(problem)
            continue
        stream = archive.extractfile(member)
        if stream is not None:
            yield from _member_stream(ref, member.name, stream, member.size, budget, options)
        unpacked = budget.unpacked - start
        if unpacked > limits.ratio_floor_bytes and unpacked / max(raw.tell(), 1) > limits.max_ratio:
            budget.not_read += 1
            budget.stop(f"compression ratio over {limits.max_ratio:.0f}:1 (a tar bomb?)")
            return


def _too_deep(ref: FileRef, limits: ArchiveLimits) -> SourceError:
    for key, budget in _BUDGETS.items():
        if ref.source.startswith(key + "!"):
            budget.stop(f"archives nested more than {limits.max_depth} levels deep")
    return SourceError(ref.source, f"archive nested more than {limits.max_depth} levels deep: not opened",
                       kind="budget", status=SKIPPED)
