"""Structured cells: each recognizer's whole-cell pattern and validator over a column.

Why a pass of its own: a table column is classified as a whole from the share of
its cells that match an identifier's anchored pattern AND pass its validator. One
RE2 pass per recognizer (after a small probe shows it can match at all), then the
matches through the validator: vectorised where it can be (Luhn, check digits,
shapes, calendars), budgeted and extrapolated where it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.base import PiiRecognizer
from scanner.detect.allow import AllowList
from scanner.detect.config import DetectionConfig
from scanner.detect.masking import mask
from scanner.detect.stack import ColumnMatches, StackedColumns, match
from scanner.detect.stats import ColumnStats, EntityStats


class CellPass:
    """The whole-cell half of `Detector` (a mixin: it reads `recognizers` and `config`)."""

    recognizers: Sequence[PiiRecognizer]
    config: DetectionConfig
    _allow: AllowList

    def _observe_cells(self, stats: ColumnStats, strings: pa.Array, matches: ColumnMatches | None = None) -> np.ndarray:
        """Whole-cell patterns + validators; returns which cells were a valid identifier.

        `matches`: the column's slice of a batch matched stacked (detect.stack), else one call per pattern."""
        whole_cell = np.zeros(len(strings), dtype=bool)
        probe = _probe(strings, self.config.probe_cells(self.config.columns.probe_size))
        for recognizer in self.recognizers:
            hint, pattern = _cell_pass(recognizer, stats)
            if pattern is None or stats.ruled_out(recognizer, self.config.rules_for(recognizer.ENTITY), hint):
                continue
            if probe is not None and not pc.any(pc.match_substring_regex(probe, pattern)).as_py():
                continue  # not one of the probed cells matches: the column cannot qualify
            if matches is None:
                matched_np = match(strings, pattern)
            elif hint != 0 or matches.may_match(pattern):  # a name hint lowers the share: never probed
                matched_np = matches.cells(pattern)
            else:
                continue  # the stacked probe: not one of this column's probed cells matches
            matched = pa.array(matched_np, type=pa.bool_())
            if hint < 0:
                # the name says these cells are something else of the same shape (a hotel
                # confirmation code, not a passport): values, not text, and not this entity
                if recognizer.CELL_IS_VALUE:
                    whole_cell |= matched_np
                continue
            count = int(matched_np.sum())
            if count == 0:
                continue
            candidates = pc.filter(strings, matched)
            prevalid = None  # a stacked batch validates the cells of all its columns in one call
            if matches is not None:
                per_cell = matches.validated(pattern, *_stacked_validator(recognizer))
                prevalid = None if per_cell is None else per_cell[matched_np]
            valid, n_valid, estimated = self._validate(recognizer, stats, candidates, prevalid)
            allowed = self._allow.allowed_many(recognizer.ENTITY, candidates) if self._allow else None
            if allowed is not None and allowed.any():  # allow-listed values: never findings
                if recognizer.CELL_IS_VALUE:
                    whole_cell |= _scatter(matched_np, allowed)
                count -= int(allowed.sum())
                n_valid = int((valid & ~allowed).sum()) if not estimated else int(round(n_valid * (1 - allowed.mean())))
                valid = valid & ~allowed
            entity = stats.entity(recognizer.ENTITY)
            entity.value_matches += count
            entity.valid += n_valid
            entity.estimated |= estimated
            if n_valid:
                entity.recognizers.add(recognizer.name)
            if n_valid and recognizer.CELL_IS_VALUE:
                whole_cell |= _scatter(matched_np, valid)
            self._keep_examples(entity, recognizer, candidates, valid)
        return whole_cell

    def _plan_stack(self, stats: Sequence[ColumnStats], stack: StackedColumns
                    ) -> dict[str, dict[str, Callable[[pa.Array], np.ndarray]]]:
        """What the columns of a stacked batch will ask of it, known before they ask
        (`StackedColumns.prepare`): per whole-cell pattern, the validators of the recognizers
        that will read it. Columns whose names hint at an entity announce its pattern (they skip
        the probe). It follows `_observe_cells`' rules for skipping a pass; a pattern planned
        that no column reads in the end costs its pass, never an answer."""
        plan: dict[str, dict[str, Callable[[pa.Array], np.ndarray]]] = {}
        for i, column in enumerate(stats):
            for recognizer in self.recognizers:
                hint, pattern = _cell_pass(recognizer, column)
                if pattern is None:
                    continue
                if hint != 0:
                    stack.want(pattern, i)
                if column.ruled_out(recognizer, self.config.rules_for(recognizer.ENTITY), hint):
                    continue
                validators = plan.setdefault(pattern, {})
                if hint >= 0:
                    name, validate_many = _stacked_validator(recognizer)
                    validators.setdefault(name, validate_many)
        return plan

    def _validate(self, recognizer: PiiRecognizer, stats: ColumnStats, candidates: pa.Array,
                  prevalid: np.ndarray | None = None) -> tuple[np.ndarray, int, bool]:
        """(valid mask over candidates, valid count, whether the count is an estimate).

        `prevalid`: `validate_many`'s answer for `candidates`, computed with other columns'.
        Each distinct value is validated once. A validator that is not vectorised
        checks at most `columns.max_validations` distinct values per column (spread
        over the batches, picked evenly in each); past that budget the count is
        extrapolated from the pass rate so far, and cells that were not checked count
        as valid when most checked ones were.
        """
        if recognizer.BULK_VALIDATION:  # vectorised: the whole Arrow column at once
            valid = np.asarray(recognizer.validate_field(candidates, stats.name, valid=prevalid), dtype=bool)
            return valid, int(valid.sum()), False
        budget = stats.validation_budget(recognizer, self.config.columns.max_validations)
        if len(candidates) > 4 * budget:
            # far more cells than we may check: check evenly spread cells, extrapolate the rest
            picked = np.linspace(0, len(candidates) - 1, budget).astype(np.int64)
            return self._extrapolate(recognizer, stats, candidates, picked)
        encoded = pc.dictionary_encode(candidates)
        uniques = encoded.dictionary
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        if len(uniques) <= budget:  # each distinct value checked once
            known = None
            if prevalid is not None:  # each distinct value's answer, from the stacked batch's pass
                known = np.zeros(len(uniques), dtype=bool)
                known[indices] = prevalid
            valid_unique = recognizer.validate_field(uniques.to_pylist(), stats.name, valid=known)
            stats.spend(recognizer, len(uniques), int(valid_unique.sum()))
            valid = valid_unique[indices]
            return valid, int(valid.sum()), False
        picked = np.linspace(0, len(candidates) - 1, budget).astype(np.int64)
        return self._extrapolate(recognizer, stats, candidates, picked)

    def _extrapolate(self, recognizer: PiiRecognizer, stats: ColumnStats, candidates: pa.Array,
                     picked: np.ndarray) -> tuple[np.ndarray, int, bool]:
        checked = recognizer.validate_field(pc.take(candidates, pa.array(picked)).to_pylist(), stats.name)
        stats.spend(recognizer, len(picked), int(checked.sum()))
        rate = stats.pass_rate(recognizer)
        valid = np.full(len(candidates), rate >= 0.5)
        valid[picked] = checked
        return valid, int(round(rate * len(candidates))), True

    def _keep_examples(self, entity: EntityStats, recognizer: PiiRecognizer, candidates: pa.Array,
                       valid: np.ndarray) -> None:
        room = self.config.free_text.max_examples - len(entity.examples)
        if room <= 0 or not valid.any():
            return
        for idx in np.flatnonzero(valid)[:room]:
            cell = candidates[int(idx)].as_py()
            if not recognizer.CELL_IS_VALUE:  # a note that mentions the entity: show what it mentions
                hits = recognizer.find(cell)
                if not hits:
                    continue
                cell = hits[0].value
            entity.examples.append(mask(recognizer.ENTITY, cell, recognizer.SPEC.mask))


def _cell_pass(recognizer: PiiRecognizer, stats: ColumnStats) -> tuple[int, str | None]:
    """(the column's name hint for `recognizer`, the whole-cell pattern its pass runs, or None:
    no pass, as a column is only ever classified as a context-required entity with a hint)."""
    hint = stats.hint(recognizer)
    if recognizer.CONTEXT_REQUIRED and hint == 0:
        return hint, None
    return hint, recognizer.cell_pattern(stats.name) or None


def _stacked_validator(recognizer: PiiRecognizer) -> tuple[str, Callable[[pa.Array], np.ndarray]]:
    """(name, validate_many) under which a stacked batch validates `recognizer`'s matches once."""
    return str(id(recognizer)), partial(_validate_many, recognizer)


def _validate_many(recognizer: PiiRecognizer, cells: pa.Array) -> np.ndarray:
    """`validate_many` over matched cells of many columns: vectorised validators take the Arrow
    cells; the others see each distinct value once, as Python strings (their own input)."""
    if recognizer.BULK_VALIDATION:
        return np.asarray(recognizer.validate_many(cells), dtype=bool)
    encoded = pc.dictionary_encode(cells)
    answers = np.asarray(recognizer.validate_many(encoded.dictionary.to_pylist()), dtype=bool)
    return answers[encoded.indices.to_numpy(zero_copy_only=False)]


def _probe(strings: pa.Array, size: int) -> pa.Array | None:
    """Up to `size` cells spread evenly over the batch (None: the batch is small, use it all)."""
    if size <= 0 or len(strings) <= size * 4:
        return None
    return pc.take(strings, pa.array(np.linspace(0, len(strings) - 1, size).astype(np.int64)))


def _scatter(mask_np: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Put `values` (one per True in `mask_np`) back at the True positions."""
    out = np.zeros(len(mask_np), dtype=bool)
    out[np.flatnonzero(mask_np)] = values
    return out
