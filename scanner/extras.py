"""Optional extras: what a feature needs beyond the core install, and the one line that says so.

A command that needs an extra that is not installed (`--engine spark` without
pyspark, the NER boost without GiNZA) stops with one line naming the
`pip install` to run and exit code 2, never a traceback. (A *source* that needs
one, such as OCR, is not fatal: it becomes a `skipped` entry saying the same.)
"""

from __future__ import annotations

import importlib


class MissingExtra(RuntimeError):
    """A feature needs an optional extra that is not installed; the message says what to install."""


def installed(module: str) -> bool:
    """Whether `module` can be imported (asked without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(module: str, extra: str, feature: str) -> None:
    """Import `module` or raise MissingExtra naming `pip install 'piiscan[extra]'`."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{feature} needs {module}: pip install 'piiscan[{extra}]'") from None
