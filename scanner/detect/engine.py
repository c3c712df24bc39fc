"""Vectorised detection over Arrow columns.

The shape of a scan, per column (a table field, or the lines of a text file):

1. cast to string, trim, NFKC-normalise (only when not ASCII): one Arrow call each;
2. structured cells: each recognizer's anchored whole-cell pattern runs over the
   column in one RE2 pass, after a 512-cell probe shows it can match at all and
   unless the entity was ruled out for the column (it can no longer reach the
   share threshold); only the matches reach the validator, vectorised where it
   can be (Luhn, check digits, shapes, calendars) and budgeted where it cannot;
3. free text (cells that are not a value, and log lines): one RE2 pass of the
   union of the prefilters picks candidates; per recognizer a second pass (and
   its context words, when it needs them) narrows them; each distinct text, or
   digit template, then goes through the recognizer's exact `find_many()` (the
   batch form of `find()`). This Arrow half of free text touches no counts, so a
   text file's next batch is screened in another thread while this one is
   confirmed. An entity confirmed thousands of times in one column or file is
   then counted on a share.

Counts accumulate batch by batch (so full scans stream), and `findings()`
turns them into `Finding`s: a structured column is classified as a whole
(field-name hint + share of valid values), free text reports every entity it
found with the values/lines where it stood. Raw values never leave this module:
examples are masked as they are collected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.base import PiiRecognizer, re2_words
from scanner.detect.config import ColumnRules, DetectionConfig
from scanner.detect.masking import Masked, mask
from scanner.model import Finding, Location


@dataclass
class EntityStats:
    """What one recognizer saw in one column."""

    value_matches: int = 0  # whole cells matching VALUE_PATTERN
    valid: int = 0  # ... that also passed the validator
    estimated: bool = False  # `valid` extrapolated from a validated subset
    estimated_text: bool = False  # `text_hits` extrapolated (see Detector._confirmed_subsample)
    text_hits: int = 0  # values/lines where find() reported the entity inside text
    max_text_score: float = 0.0
    examples: list[Masked] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


@dataclass
class TextCandidates:
    """The free text of one batch that recognizers have to read: distinct texts, and
    per recognizer the ones its RE2 prefilter (and context words) admit."""

    texts: pa.Array  # distinct candidate texts
    where: np.ndarray  # candidate -> index into texts
    lines: np.ndarray  # candidate -> line (text file) or row (table) number
    readers: list[tuple[PiiRecognizer, np.ndarray]]  # recognizer, positions in texts


@dataclass
class ScreenedLines:
    """A batch of text lines after `Detector.screen_lines`."""

    rows: int
    non_empty: int
    candidates: TextCandidates | None


@dataclass
class ColumnStats:
    """Running counts for one field (or one text file) across batches."""

    name: str | None
    non_empty: int = 0
    rows_seen: int = 0  # rows observed, empty cells included (row numbers of free-text hits)
    entities: dict[str, EntityStats] = field(default_factory=dict)
    _hints: dict[int, int] = field(default_factory=dict, repr=False)
    _validated: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)  # checked, passed

    def merge(self, other: ColumnStats, max_examples: int = 3) -> None:
        """Fold in the counts of the same column seen elsewhere (another partition, another worker)."""
        self.non_empty += other.non_empty
        self.rows_seen += other.rows_seen
        for name, theirs in other.entities.items():
            mine = self.entity(name)
            mine.value_matches += theirs.value_matches
            mine.valid += theirs.valid
            mine.estimated |= theirs.estimated
            mine.estimated_text |= theirs.estimated_text
            mine.text_hits += theirs.text_hits
            mine.max_text_score = max(mine.max_text_score, theirs.max_text_score)
            mine.examples.extend(theirs.examples[: max(0, max_examples - len(mine.examples))])
            mine.lines.extend(theirs.lines)

    def validation_budget(self, recognizer: PiiRecognizer, per_column: int) -> int:
        """How many more distinct values a slow validator may check in this column (at least a few per batch)."""
        spent = self._validated.get(id(recognizer), (0, 0))[0]
        return max(per_column - spent, min(100, per_column))

    def spent(self, recognizer: PiiRecognizer) -> int:
        return self._validated.get(id(recognizer), (0, 0))[0]

    def spend(self, recognizer: PiiRecognizer, checked: int, passed: int) -> None:
        spent, ok = self._validated.get(id(recognizer), (0, 0))
        self._validated[id(recognizer)] = (spent + checked, ok + passed)

    def pass_rate(self, recognizer: PiiRecognizer) -> float:
        spent, ok = self._validated.get(id(recognizer), (0, 0))
        return ok / spent if spent else 0.0

    def ruled_out(self, recognizer: PiiRecognizer, rules: ColumnRules, hint: int) -> bool:
        """True once so many values were seen that this entity's share can no longer reach
        the column threshold (the column is not this entity: skip its passes from now on).

        A fifth of the threshold after 20,000 values: the count so far, not a sample guess.
        """
        if self.non_empty < RULE_OUT_AFTER:
            return False
        threshold = rules.hinted_min_share if hint > 0 else rules.unhinted_min_share
        entity = self.entities.get(recognizer.ENTITY)
        valid = entity.valid if entity is not None else 0
        return valid < threshold / 5 * self.non_empty

    def hint(self, recognizer: PiiRecognizer) -> int:
        """The recognizer's field-name hint for this column (computed once)."""
        key = id(recognizer)
        if key not in self._hints:
            self._hints[key] = recognizer.field_hint(self.name)
        return self._hints[key]

    def entity(self, name: str) -> EntityStats:
        stats = self.entities.get(name)
        if stats is None:
            stats = self.entities[name] = EntityStats()
        return stats


BARE_TOKEN = r"^[A-Za-z0-9]+$"
FIND_SLICE = 1024  # distinct texts per find_many() pass (confirmation is re-checked between passes)
RULE_OUT_AFTER = 20_000  # values a column must show before an entity is ruled out for it


def prepare_strings(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Cast any Arrow column to trimmed NFKC strings (nulls stay null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        try:
            values = pc.cast(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = pa.array([None if v is None else str(v) for v in values.to_pylist()], type=pa.string())
    if not pc.all(pc.string_is_ascii(values)).as_py():  # NFKC leaves ASCII as it is
        values = pc.utf8_normalize(values, "NFKC")
    return pc.utf8_trim_whitespace(values)


class Detector:
    """Runs a set of recognizers over Arrow columns; one instance per scan (stateless per column)."""

    def __init__(self, recognizers: Sequence[PiiRecognizer], config: DetectionConfig):
        self.recognizers = list(recognizers)
        self.config = config
        self._context_prefilter = {
            id(r): re2_words(r.CONTEXT) for r in self.recognizers if r.CONTEXT_REQUIRED
        }
        self._any_context = re2_words([w for r in self.recognizers if r.CONTEXT_REQUIRED for w in r.CONTEXT])
        # One RE2 pass picks the candidate texts: a context-required recognizer can only
        # hit where one of its context words stands, so its words (not its loose shape,
        # which every timestamp matches) stand for it in the union.
        alternatives = [f"(?:{r.PREFILTER})" for r in self.recognizers if not r.CONTEXT_REQUIRED]
        if self._any_context:
            alternatives.append(self._any_context)
        self.union_prefilter = "|".join(alternatives)
        # the recognizer whose column rules decide an entity (the first one that names it)
        self._primary: dict[str, PiiRecognizer] = {}
        for r in self.recognizers:
            self._primary.setdefault(r.ENTITY, r)

    # --- accumulation -----------------------------------------------------------------
    def observe(self, stats: ColumnStats, values: pa.Array, line_numbers: pa.Array | None = None,
                structured: bool = True) -> None:
        """Add one batch of one column to `stats`.

        `structured`: cells of a table field (whole-cell patterns apply); False for
        lines of a text file (everything is free text). `line_numbers` (text only)
        are recorded for free-text hits; for a table, the row numbers in scan order.
        """
        if line_numbers is None:  # each value's row (or line) number, 1-based, in scan order
            line_numbers = pa.array(np.arange(stats.rows_seen + 1, stats.rows_seen + 1 + len(values), dtype=np.int64))
        if not structured:
            self.observe_lines(stats, self.screen_lines(values, line_numbers))
            return
        # numbers and dates hold no words: no free text, no context
        words_possible = not _is_scalar_type(values.type)
        stats.rows_seen += len(values)
        strings, line_numbers = _non_empty(values, line_numbers)
        n = len(strings)
        if n == 0:
            return
        whole_cell = self._observe_cells(stats, strings)  # judges on the values seen before this batch
        stats.non_empty += n
        if words_possible:
            self._confirm_text(stats, self._screen_text(strings, whole_cell, line_numbers, structured=True))

    def screen_lines(self, values: pa.Array, line_numbers: pa.Array) -> ScreenedLines:
        """The Arrow half of scanning a batch of text lines: touches no counts, so a
        scan runs it one batch ahead, in another thread, while `observe_lines` runs
        the Python half (find()) of the batch before (Arrow releases the GIL)."""
        strings, line_numbers = _non_empty(values, line_numbers)
        n = len(strings)
        candidates = self._screen_text(strings, np.zeros(n, dtype=bool), line_numbers, structured=False) if n else None
        return ScreenedLines(rows=len(values), non_empty=n, candidates=candidates)

    def observe_lines(self, stats: ColumnStats, screened: ScreenedLines) -> None:
        """Add a batch screened by `screen_lines` to a text file's `stats`."""
        stats.rows_seen += screened.rows
        stats.non_empty += screened.non_empty
        self._confirm_text(stats, screened.candidates)

    def _observe_cells(self, stats: ColumnStats, strings: pa.Array) -> np.ndarray:
        """Whole-cell patterns + validators; returns which cells were a valid identifier."""
        whole_cell = np.zeros(len(strings), dtype=bool)
        probe = _probe(strings, self.config.columns.probe_size)
        for recognizer in self.recognizers:
            hint = stats.hint(recognizer)
            # a column is only ever classified as this entity with a name hint: skip the pass
            if recognizer.CONTEXT_REQUIRED and hint == 0:
                continue
            pattern = recognizer.cell_pattern(stats.name)
            if not pattern or stats.ruled_out(recognizer, self.config.rules_for(recognizer.ENTITY), hint):
                continue
            if probe is not None and not pc.any(pc.match_substring_regex(probe, pattern)).as_py():
                continue  # not one of the probed cells matches: the column cannot qualify
            matched = pc.fill_null(pc.match_substring_regex(strings, pattern), False)
            matched_np = matched.to_numpy(zero_copy_only=False)
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
            valid, n_valid, estimated = self._validate(recognizer, stats, candidates)
            entity = stats.entity(recognizer.ENTITY)
            entity.value_matches += count
            entity.valid += n_valid
            entity.estimated |= estimated
            if n_valid and recognizer.CELL_IS_VALUE:
                whole_cell |= _scatter(matched_np, valid)
            self._keep_examples(entity, recognizer, candidates, valid)
        return whole_cell

    def _validate(self, recognizer: PiiRecognizer, stats: ColumnStats,
                  candidates: pa.Array) -> tuple[np.ndarray, int, bool]:
        """(valid mask over candidates, valid count, whether the count is an estimate).

        Each distinct value is validated once. A validator that is not vectorised
        checks at most `columns.max_validations` distinct values per column (spread
        over the batches, picked evenly in each); past that budget the count is
        extrapolated from the pass rate so far, and cells that were not checked count
        as valid when most checked ones were.
        """
        if recognizer.BULK_VALIDATION:  # vectorised: the whole Arrow column at once
            valid = np.asarray(recognizer.validate_field(candidates, stats.name), dtype=bool)
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
            valid_unique = recognizer.validate_field(uniques.to_pylist(), stats.name)
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
            entity.examples.append(mask(recognizer.ENTITY, cell))

    def _screen_text(self, strings: pa.Array, whole_cell: np.ndarray, line_numbers: pa.Array,
                     structured: bool) -> TextCandidates | None:
        """Free text, Arrow half: the distinct texts each recognizer has to read (RE2 prefilters)."""
        if not self.union_prefilter:
            return None
        rest = np.flatnonzero(~whole_cell)  # cells already identified as a value are not text
        if len(rest) == 0:
            return None
        if structured:
            # a bare alphanumeric token (an id, a code) has no context words, and every
            # identifier shape it could be was tried by the whole-cell patterns already
            others = pc.take(strings, pa.array(rest)) if len(rest) < len(strings) else strings
            token = pc.fill_null(pc.match_substring_regex(others, BARE_TOKEN), False)
            rest = rest[~token.to_numpy(zero_copy_only=False)]
            if len(rest) == 0:
                return None
        if len(rest) < len(strings):
            strings = pc.take(strings, pa.array(rest))
            line_numbers = pc.take(line_numbers, pa.array(rest))
        candidate = pc.fill_null(pc.match_substring_regex(strings, self.union_prefilter), False)
        candidate_np = candidate.to_numpy(zero_copy_only=False)
        if not candidate_np.any():
            return None
        index = np.flatnonzero(candidate_np)
        encoded = pc.dictionary_encode(pc.take(strings, pa.array(index)))
        texts = encoded.dictionary  # distinct candidate texts
        # one pass for "any context word of any context-required recognizer": id-like
        # columns have none, and then no context-required recognizer looks further
        any_context = bool(self._any_context) and bool(
            pc.any(pc.match_substring_regex(texts, self._any_context)).as_py())
        readers: list[tuple[PiiRecognizer, np.ndarray]] = []
        for recognizer in self.recognizers:
            context_re = self._context_prefilter.get(id(recognizer))
            if context_re and not any_context:
                continue
            if recognizer.NER and not structured:
                continue  # measured: in log lines the model mistakes message words for names
            mask_r = pc.fill_null(pc.match_substring_regex(texts, recognizer.PREFILTER), False)
            if context_re:
                mask_r = pc.and_(mask_r, pc.fill_null(pc.match_substring_regex(texts, context_re), False))
            positions = np.flatnonzero(mask_r.to_numpy(zero_copy_only=False))
            if len(positions):
                readers.append((recognizer, positions))
        if not readers:
            return None
        return TextCandidates(
            texts=texts,
            where=encoded.indices.to_numpy(zero_copy_only=False),  # candidate -> distinct text
            lines=pc.take(line_numbers, pa.array(index)).to_numpy(zero_copy_only=False),
            readers=readers,
        )

    def _confirm_text(self, stats: ColumnStats, candidates: TextCandidates | None) -> None:
        """Free text, Python half: each distinct candidate text through find(), counted into `stats`."""
        if candidates is None:
            return
        texts, where, lines = candidates.texts, candidates.where, candidates.lines
        min_score = self.config.free_text.min_score
        for recognizer, positions in candidates.readers:
            if recognizer.NER:  # a model: a bounded number of texts per column
                positions = positions[: max(0, self.config.ner.max_texts_per_column - stats.spent(recognizer))]
                stats.spend(recognizer, len(positions), 0)
                if len(positions) == 0:
                    continue
            # in slices, so a column that confirms an entity early stops checking every value
            for part in np.array_split(positions, max(1, len(positions) // FIND_SLICE)):
                picked, scale = self._confirmed_subsample(recognizer, stats, part, where)
                found_in, results = self._find_all(recognizer, texts, picked, min_score)
                if results:
                    self._record_hits(stats, texts, where, lines, found_in, results, scale)

    def _record_hits(self, stats: ColumnStats, texts: pa.Array, where: np.ndarray, lines: np.ndarray,
                     found_in: np.ndarray, results: list[dict[str, tuple[float, int, int]]], scale: float) -> None:
        """Add the hits of one find() pass to the column's counts, lines and masked examples."""
        max_examples = self.config.free_text.max_examples
        max_locations = self.config.free_text.max_locations
        hit_rows = np.flatnonzero(found_in[where] >= 0)  # candidates whose text had hits
        for entity_type in {e for found in results for e in found}:
            has = np.fromiter((entity_type in r for r in results), dtype=bool, count=len(results))
            rows = hit_rows[has[found_in[where[hit_rows]]]]
            if len(rows) == 0:
                continue
            entity = stats.entity(entity_type)
            entity.text_hits += int(round(len(rows) * scale))
            entity.estimated_text |= scale != 1.0
            best = max(r[entity_type][0] for r in results if entity_type in r)
            entity.max_text_score = max(entity.max_text_score, best)
            room = max_locations - len(entity.lines)
            if room > 0:
                entity.lines.extend(int(x) for x in lines[rows[:room]])
            for row in rows[: max(0, max_examples - len(entity.examples))]:
                _, start, end = results[found_in[where[row]]][entity_type]
                entity.examples.append(mask(entity_type, texts[int(where[row])].as_py()[start:end]))

    def _confirmed_subsample(self, recognizer: PiiRecognizer, stats: ColumnStats, positions: np.ndarray,
                             where: np.ndarray) -> tuple[np.ndarray, float]:
        """The distinct texts to run find() on, and the factor their hits stand for.

        Once a column or text file has `free_text.confirm_hits` confirmed hits of this
        recognizer's entity, it is known to hold it; later candidates are checked on an
        evenly spread share (`free_text.share_after_confirmed`) and the count is
        extrapolated (`count_estimated`). The finding, its confidence, examples and
        first thousands of lines are what an exact pass gives; `confirm_hits: 0`
        keeps every count exact.
        """
        rules = self.config.free_text
        confirmed = stats.entities.get(recognizer.ENTITY)
        if (rules.confirm_hits <= 0 or confirmed is None
                or confirmed.text_hits < rules.confirm_hits or len(positions) < 20):
            return positions, 1.0
        step = max(1, round(1 / rules.share_after_confirmed))
        picked = positions[::step]
        in_positions = np.zeros(int(where.max()) + 1 if len(where) else 0, dtype=bool)
        in_positions[positions] = True
        total_rows = int(in_positions[where].sum())
        in_picked = np.zeros_like(in_positions)
        in_picked[picked] = True
        picked_rows = int(in_picked[where].sum())
        return picked, (total_rows / picked_rows if picked_rows else 1.0)

    @staticmethod
    def _find_all(recognizer: PiiRecognizer, texts: pa.Array, positions: np.ndarray,
                  min_score: float) -> tuple[np.ndarray, list[dict[str, tuple[float, int, int]]]]:
        """find() over the distinct texts at `positions`.

        Returns, per distinct text, the index of its result (-1: no hit), and the
        results: {entity: (best score, start, end)}. A DIGIT_INVARIANT recognizer
        (names, special-care words) gives the same spans whatever the digits are, so
        texts that differ only in their digits (「パスポート番号 TK…」 with a thousand
        numbers) share one find() call.
        """
        found_in = np.full(len(texts), -1, dtype=np.int64)
        selected = pc.take(texts, pa.array(positions))
        if recognizer.DIGIT_INVARIANT and len(positions) > 1:
            templates = pc.dictionary_encode(pc.replace_substring_regex(selected, "[0-9]", "0"))
            calls = templates.dictionary.to_pylist()
            owner = templates.indices.to_numpy(zero_copy_only=False)  # position -> call
        else:
            calls = selected.to_pylist()
            owner = np.arange(len(positions))
        call_result = np.full(len(calls), -1, dtype=np.int64)
        results: list[dict[str, tuple[float, int, int]]] = []
        for i, hits in enumerate(recognizer.find_many(calls)):
            found: dict[str, tuple[float, int, int]] = {}
            for hit in hits:
                if hit.score >= min_score and hit.score > found.get(hit.entity_type, (0.0, 0, 0))[0]:
                    found[hit.entity_type] = (hit.score, hit.start, hit.end)
            if found:
                call_result[i] = len(results)
                results.append(found)
        found_in[positions] = call_result[owner]
        return found_in, results

    # --- decisions --------------------------------------------------------------------
    def findings(self, stats: ColumnStats, location: Location, rows_scanned: int, text_file: bool = False) -> list[Finding]:
        """Turn a column's counts into findings (at most one per entity type)."""
        results: list[Finding] = []
        for entity_type, entity in sorted(stats.entities.items()):
            recognizer = self._primary.get(entity_type)
            column_conf = 0.0
            if not text_file and recognizer is not None and entity.valid:
                column_conf = self._column_confidence(recognizer, stats, entity)
            text_conf = entity.max_text_score if entity.text_hits else 0.0
            if column_conf <= 0 and text_conf <= 0:
                continue
            column_count = entity.valid if column_conf > 0 else 0
            if recognizer is not None and not recognizer.CELL_IS_VALUE:  # the same cells were read as text too
                count = max(column_count, entity.text_hits)
            else:
                count = column_count + entity.text_hits
            positions = tuple(sorted(set(entity.lines)))
            results.append(
                Finding(
                    entity_type=entity_type,
                    location=location,
                    count=count,
                    sampled=stats.non_empty,
                    confidence=max(column_conf, text_conf),
                    examples=tuple(entity.examples),
                    lines=positions if text_file else None,
                    rows=positions if (not text_file and positions) else None,
                    rows_scanned=rows_scanned,
                    method="text" if text_file else ("column" if column_conf >= text_conf else "value"),
                    count_estimated=(entity.estimated and column_conf > 0) or entity.estimated_text,
                )
            )
        return results

    def _column_confidence(self, recognizer: PiiRecognizer, stats: ColumnStats, entity: EntityStats) -> float:
        rules = self.config.rules_for(recognizer.ENTITY)
        hint = stats.hint(recognizer)
        share = entity.valid / stats.non_empty if stats.non_empty else 0.0
        valid_ratio = entity.valid / entity.value_matches if entity.value_matches else 0.0
        if hint < 0:
            return 0.0
        if hint > 0:
            if share < rules.hinted_min_share:
                return 0.0
            return min(1.0, 0.6 + 0.25 * share + 0.15 * valid_ratio)
        if recognizer.CONTEXT_REQUIRED or stats.non_empty < rules.min_values:
            return 0.0
        if share < rules.unhinted_min_share or valid_ratio < rules.min_valid_ratio:
            return 0.0
        return min(1.0, 0.3 + 0.4 * share + 0.2 * valid_ratio)


def _non_empty(values: pa.Array, line_numbers: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The prepared strings of a batch without nulls and empty cells, with their numbers."""
    strings = prepare_strings(values)
    keep = pc.fill_null(pc.not_equal(strings, ""), False)
    return pc.filter(strings, keep), pc.filter(line_numbers, keep)


def _is_scalar_type(arrow_type: pa.DataType) -> bool:
    return (pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type)
            or pa.types.is_boolean(arrow_type) or pa.types.is_temporal(arrow_type))


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
