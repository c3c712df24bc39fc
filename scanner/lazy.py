"""Registries name what they hold as `"package.module:attribute"`, imported on first use.

Why: piiscan's registries (URL schemes, source readers, report formats, engines,
commands) each list many entries, and importing them all would cost start-up and
pull in SQLAlchemy, pypdf, openpyxl or Spark for a scan that needs none of them.
A registry entry may also be the object itself (a test or a plugin registering
one at run time).
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping
from typing import Any


def load(reference: str) -> Any:
    """`"package.module:attribute"` -> the attribute (its module imported now if it was not)."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def entry(table: MutableMapping[str, Any], key: str) -> Any:
    """`table[key]`, loaded if it is a reference; the table then keeps the loaded object."""
    value = table[key]
    if isinstance(value, str):
        value = table[key] = load(value)
    return value
