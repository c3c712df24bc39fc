"""Turning rows of any shape into flat, named string columns.

Detection wants one value per field per row, with a field name it can read
hints from. Nested data is flattened to dotted paths (`traveler.passport.number`)
with one rule for every source kind:

- an object contributes one column per leaf, named by the dotted path of keys;
- a list contributes its elements to the *same* path (no index), so
  `{"phones": ["090…", "080…"]}` gives column `phones` and
  `{"items": [{"name": "A"}, {"name": "B"}]}` gives column `items.name`;
- when several values meet at one path in one row they are joined with a
  newline: text detection sees each on its own line, and a one-element list
  (the usual case) stays an exact value for column classification.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from scanner.scrubbing import scrub_name

JOIN = "\n"


def unique_names(names: Sequence[Any]) -> list[str]:
    """Header cells as usable, scrubbed column names: blanks become `column_<n>`, repeats get `_2`, `_3`."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for index, raw in enumerate(names, start=1):
        name = cell_text(raw)
        name = scrub_name(name.strip()) if name else ""  # a header can be a value: scrubbed like any name
        if not name:
            name = f"column_{index}"
        if name in seen:
            seen[name] += 1
            candidate = f"{name}_{seen[name]}"
            while candidate in seen:
                seen[name] += 1
                candidate = f"{name}_{seen[name]}"
            name = candidate
        seen[name] = 1
        out.append(name)
    return out


def cell_text(value: Any) -> str | None:
    """Any scalar from a file or driver as text, NULL kept as None.

    Integral floats lose their `.0` (Excel stores phone and member numbers as
    floats; `9012345678.0` must still look like a number a recognizer knows).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def flatten_record(record: Any) -> dict[str, str | None]:
    """One JSON value as {dotted path: text}; a bare scalar becomes column `value`."""
    collected: dict[str, list[str | None]] = {}
    _walk(record, "", collected)
    flat: dict[str, str | None] = {}
    for path, values in collected.items():
        present = [v for v in values if v is not None]
        flat[path or "value"] = present[0] if len(present) == 1 else (JOIN.join(present) if present else None)
    return flat


def _walk(value: Any, path: str, out: dict[str, list[str | None]]) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _walk(child, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for item in value:
            _walk(item, path, out)
    else:
        out.setdefault(path, []).append(cell_text(value))


def records_to_batch(records: Iterable[dict[str, str | None]], columns: list[str]) -> pa.RecordBatch:
    """Flat records as a string RecordBatch with the given column order (missing keys are NULL)."""
    rows = list(records)
    arrays = [pa.array([row.get(name) for row in rows], type=pa.string()) for name in columns]
    return pa.RecordBatch.from_arrays(arrays, names=unique_names(columns))  # keys may be values: scrubbed


def flatten_arrow(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Structs and lists of an Arrow batch flattened by the same rule as `flatten_record`.

    Scalar columns keep their Arrow type (detection casts to string); a list
    of scalars becomes one string per row, its elements joined by a newline.
    """
    names: list[str] = []
    arrays: list[pa.Array] = []
    for field, array in zip(batch.schema, batch.columns, strict=True):
        for name, flat in _flatten_array(field.name, array):
            names.append(name)
            arrays.append(flat)
    if not names:
        return batch
    return pa.RecordBatch.from_arrays(arrays, names=unique_names(names))


def _flatten_array(name: str, array: pa.Array) -> list[tuple[str, pa.Array]]:
    kind = array.type
    if pa.types.is_dictionary(kind):
        return [(name, array.dictionary_decode())]
    if pa.types.is_struct(kind):
        out: list[tuple[str, pa.Array]] = []
        for index, child in enumerate(array.flatten()):
            out.extend(_flatten_array(f"{name}.{kind.field(index).name}", child))
        return out
    if pa.types.is_map(kind):
        array = pa.ListArray.from_arrays(array.offsets, pa.StructArray.from_arrays(
            [array.keys, array.items], names=["key", "value"]), mask=array.is_null())
        return _flatten_array(name, array)
    if pa.types.is_fixed_size_list(kind):
        return _flatten_array(name, array.cast(pa.list_(kind.value_type)))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        values = array.values
        if pa.types.is_struct(values.type):
            list_type = type(array)
            out = []
            for index, child in enumerate(values.flatten()):
                rewrapped = list_type.from_arrays(array.offsets, child, mask=array.is_null())
                out.extend(_flatten_array(f"{name}.{values.type.field(index).name}", rewrapped))
            return out
        return [(name, _join_list(array))]
    return [(name, array)]


def _join_list(array: pa.Array) -> pa.Array:
    """A list column as one newline-joined string per row; NULL lists stay NULL."""
    try:
        as_strings = array.cast(pa.large_list(pa.large_string()))
        if as_strings.values.null_count == 0:  # binary_join turns a row with a NULL element into NULL
            return pc.binary_join(as_strings, JOIN).cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return pa.array([None if row is None else flatten_record(row).get("value") for row in array.to_pylist()],
                    type=pa.string())
