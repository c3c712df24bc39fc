"""Writing report files so that a failure never leaves half a file or destroys the last good one.

Each file is written to a temporary name in the same directory and renamed
over the target only when complete (an atomic rename on POSIX), so a nightly
job that dies mid-write leaves yesterday's report readable.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` to fill a temporary file, then move it to `path`; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: give what the umask allows, no more
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _umask() -> int:
    """The process umask (read by setting it, then setting it back)."""
    current = os.umask(0o077)
    os.umask(current)
    return current


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` atomically (newlines kept as given)."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding=encoding, newline=""))
