"""Row sampling spread over a stream of batches."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyarrow as pa


def spread_sample(batches: Iterable[pa.RecordBatch], n: int, seed: int = 0, total_rows: int | None = None) -> pa.Table:
    """A uniform random sample of about `n` rows from a stream of record batches.

    With `total_rows` known, each row is kept with probability n/total (one pass,
    bounded memory). Otherwise a batch-wise reservoir: keep up to `n` random rows
    of everything seen so far.
    """
    rng = np.random.default_rng(seed)
    kept: list[pa.RecordBatch] = []
    schema = None
    if total_rows is not None and total_rows > 0:
        p = min(1.0, n / total_rows)
        for batch in batches:
            schema = batch.schema
            if p >= 1.0:
                kept.append(batch)
                continue
            mask = rng.random(batch.num_rows) < p
            if mask.any():
                kept.append(batch.filter(pa.array(mask)))
        if schema is None:
            return pa.table({})
        if not kept:
            return schema.empty_table()
        # batches of one dataset may differ in columns (JSON keys that appear later): promote
        return pa.concat_tables([pa.Table.from_batches([b]) for b in kept], promote_options="permissive")
    # bottom-k sampling: every row gets a random key, the n smallest keys win (uniform)
    reservoir: pa.Table | None = None
    keys = np.empty(0)
    for batch in batches:
        batch_keys = rng.random(batch.num_rows)
        table = pa.Table.from_batches([batch])
        if reservoir is not None:
            table = pa.concat_tables([reservoir, table], promote_options="permissive")
            batch_keys = np.concatenate([keys, batch_keys])
        if table.num_rows > n:
            idx = np.sort(np.argpartition(batch_keys, n)[:n])
            table, batch_keys = table.take(pa.array(idx)), batch_keys[idx]
        reservoir, keys = table, batch_keys
    return reservoir if reservoir is not None else pa.table({})
