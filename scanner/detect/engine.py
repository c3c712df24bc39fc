"""Vectorised detection over Arrow columns.

The shape of a scan, per column (a table field, or the lines of a text file):

1. cast to string, trim, NFKC-normalise (only when not ASCII), drop empty cells: an Arrow
   call each, and none when nothing would change (detect.strings);
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

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from recognizers.base import PiiRecognizer, re2_words
from scanner.detect.allow import AllowList
from scanner.detect.cells import CellPass
from scanner.detect.config import DetectionConfig
from scanner.detect.decide import Decisions
from scanner.detect.stack import STACK_PROBE, StackedColumns
from scanner.detect.stats import RULE_OUT_AFTER, ColumnStats, EntityStats, ScreenedLines, TextCandidates
from scanner.detect.strings import non_empty, prepare_strings
from scanner.detect.text import BARE_TOKEN, FIND_SLICE, Found, TextPass

__all__ = [
    "BARE_TOKEN", "FIND_SLICE", "RULE_OUT_AFTER", "ColumnStats", "Detector", "EntityStats", "ScreenedLines",
    "TextCandidates", "prepare_strings",
]


class Detector(CellPass, TextPass, Decisions):
    """Runs a set of recognizers over Arrow columns; one instance per scan (stateless per column)."""

    def __init__(self, recognizers: Sequence[PiiRecognizer], config: DetectionConfig):
        self.recognizers = list(recognizers) + _custom_recognizers(recognizers, config)
        self.config = config
        self._allow = AllowList.from_config(config)
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
        strings, line_numbers = non_empty(values, line_numbers)
        self._observe_prepared(stats, strings, line_numbers, words_possible)

    def observe_batch(self, stats: Sequence[ColumnStats], values: Sequence[pa.Array],
                      run: Callable[[Callable[[Any], None], Iterable[Any]], Iterable[None]] = map) -> None:
        """Add one batch of several table columns (`run` maps the per-column work, e.g. a
        thread pool's map). A batch of many short columns is matched stacked: each pattern
        compiled once for the batch, not once per column (detect.stack); same answers."""
        longest = max((len(v) for v in values), default=0)  # columns of several tables may differ in length
        if not StackedColumns.worth_it(values, longest, 4 * self.config.columns.probe_size):
            list(run(lambda i: self.observe(stats[i], values[i]), range(len(stats))))
            return
        prepared = []
        for column, array in zip(stats, values, strict=True):
            numbers = pa.array(np.arange(column.rows_seen + 1, column.rows_seen + 1 + len(array), dtype=np.int64))
            column.rows_seen += len(array)
            prepared.append(non_empty(array, numbers))
        stack = StackedColumns([strings for strings, _ in prepared],
                               probe_size=self.config.probe_cells(STACK_PROBE) if self.config.columns.probe_size > 0 else 0)
        plan = self._plan_stack(stats, stack)  # each pattern's pass and validations, side by side
        list(run(lambda item: stack.prepare(item[0], list(item[1].items())), plan.items()))
        whole_cells: list[np.ndarray | None] = [None] * len(stats)

        def cells(i: int) -> None:
            strings, _ = prepared[i]
            if len(strings):
                whole_cells[i] = self._observe_cells(stats[i], strings, stack.matches(i))
                stats[i].non_empty += len(strings)

        list(run(cells, range(len(stats))))
        # free text of every column screened together (detect.text._screen_stacked), then confirmed per column
        screened, owns, texts = self._screen_stacked(stack, [
            None if whole is None or _is_scalar_type(values[i].type) else (whole, prepared[i][1])
            for i, whole in enumerate(whole_cells)])
        found: list = [None] * len(stats)
        if texts is not None and self.config.free_text.confirm_hits <= 0:  # exact: find() once for all columns
            found = self._find_stacked(screened, owns, texts)
        list(run(lambda i: self._confirm_text(stats[i], screened[i], found[i]), [i for i, c in enumerate(screened) if c]))

    def _observe_prepared(self, stats: ColumnStats, strings: pa.Array, line_numbers: pa.Array,
                          words_possible: bool) -> None:
        n = len(strings)
        if n == 0:
            return
        whole_cell = self._observe_cells(stats, strings)  # judges on the values seen before this batch
        stats.non_empty += n
        if words_possible:
            self._confirm_text(stats, self._screen_text(strings, whole_cell, line_numbers, structured=True))

    def screen_lines(self, values: pa.Array, line_numbers: pa.Array, readers: bool = True) -> ScreenedLines:
        """The Arrow half of scanning a batch of text lines: touches no counts, so a
        scan runs it one batch ahead, in another thread, while `observe_lines` runs
        the Python half (find()) of the batch before (Arrow releases the GIL).
        `readers=False`: the candidates' readers are left to `text_readers` (elsewhere)."""
        strings, line_numbers = non_empty(values, line_numbers)
        n = len(strings)
        candidates = (self._screen_text(strings, np.zeros(n, dtype=bool), line_numbers, structured=False,
                                        readers=readers) if n else None)
        return ScreenedLines(rows=len(values), non_empty=n, candidates=candidates)

    def observe_lines(self, stats: ColumnStats, screened: ScreenedLines, found: Found | None = None) -> None:
        """Add a batch screened by `screen_lines` to a text file's `stats` (`found`: its
        candidates' find() results computed elsewhere, see `find_candidates`)."""
        stats.rows_seen += screened.rows
        stats.non_empty += screened.non_empty
        self._confirm_text(stats, screened.candidates, found)


def _custom_recognizers(given: Sequence[PiiRecognizer], config: DetectionConfig) -> list[PiiRecognizer]:
    """The `custom_identifiers` of `config` not among `given` yet; each entity type is made
    known to the registry (labels in reports) unless a recognizer already declares it."""
    if not config.custom_identifiers:
        return []
    from recognizers import registry
    from recognizers.custom import CustomRecognizer

    present = {r.ENTITY for r in given if isinstance(r, CustomRecognizer)}
    added: list[PiiRecognizer] = []
    for entry in config.custom_identifiers:
        if entry.entity in present:
            continue
        recognizer = CustomRecognizer(entry.definition())
        if registry.spec_for(entry.entity) is None:
            registry.declare(entry.entity, recognizer.SPEC)
        added.append(recognizer)
    return added


def _is_scalar_type(arrow_type: pa.DataType) -> bool:
    return (pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type)
            or pa.types.is_boolean(arrow_type) or pa.types.is_temporal(arrow_type))
