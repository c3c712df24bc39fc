"""Free text: cells that are not a value, and the lines of text files.

Why a pass of its own: free text goes through two halves. The Arrow half
(`_screen_text`) runs one RE2 pass of the union of the prefilters to pick
candidate texts, then per recognizer its own prefilter (and its context words,
when it needs them); it touches no counts, so a text file's next batch is
screened in another thread while this one is confirmed. The Python half
(`_confirm_text`) sends each distinct text, or digit template, through the
recognizer's exact `find_many()`. An entity confirmed thousands of times in one
column or file is then counted on a share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recognizers.base import PiiRecognizer
from recognizers.explain import deciding_word
from scanner.detect.allow import AllowList
from scanner.detect.config import DetectionConfig
from scanner.detect.masking import mask
from scanner.detect.stack import StackedColumns, match
from scanner.detect.stats import ColumnStats, TextCandidates

BARE_TOKEN = r"^[A-Za-z0-9]+$"
EXPLAIN_HITS = 20  # free-text hits per finding whose deciding context word `why` reports
FIND_SLICE = 1024  # distinct texts per find_many() pass (confirmation is re-checked between passes)
# per reader, per slice: (hit index at the slice's positions, {entity: (score, start, end)} per hit)
Found = list[list[tuple[np.ndarray, list[dict[str, tuple[float, int, int]]]]]]


class TextPass:
    """The free-text half of `Detector` (a mixin: it reads `recognizers`, `config` and the
    prefilters `Detector.__init__` builds)."""

    recognizers: Sequence[PiiRecognizer]
    config: DetectionConfig
    union_prefilter: str
    _any_context: str | None
    _context_prefilter: dict[int, str | None]
    _allow: AllowList
    _primary: dict[str, PiiRecognizer]

    def _screen_text(self, strings: pa.Array, whole_cell: np.ndarray, line_numbers: pa.Array,
                     structured: bool, readers: bool = True) -> TextCandidates | None:
        """Free text, Arrow half: the distinct texts each recognizer has to read (RE2 prefilters).
        `readers=False`: only the candidate texts (the union prefilter); which recognizer reads
        which is left to `text_readers` (a text file's helper process calls it)."""
        if not self.union_prefilter:
            return None
        rest = np.flatnonzero(~whole_cell)  # cells already identified as a value are not text
        if len(rest) == 0:
            return None
        if structured:
            # a bare alphanumeric token (an id, a code) has no context words, and every
            # identifier shape it could be was tried by the whole-cell patterns already
            others = pc.take(strings, pa.array(rest)) if len(rest) < len(strings) else strings
            rest = rest[~match(others, BARE_TOKEN)]
            if len(rest) == 0:
                return None
        if len(rest) < len(strings):
            strings = pc.take(strings, pa.array(rest))
            line_numbers = pc.take(line_numbers, pa.array(rest))
        candidate_np = match(strings, self.union_prefilter)
        if not candidate_np.any():
            return None
        index = np.flatnonzero(candidate_np)
        encoded = pc.dictionary_encode(pc.take(strings, pa.array(index)))
        candidates = TextCandidates(
            texts=encoded.dictionary,  # distinct candidate texts
            where=encoded.indices.to_numpy(zero_copy_only=False),  # candidate -> distinct text
            lines=pc.take(line_numbers, pa.array(index)).to_numpy(zero_copy_only=False),
            readers=[],
        )
        return self.with_readers(candidates, structured) if readers else candidates

    def with_readers(self, candidates: TextCandidates, structured: bool = False) -> TextCandidates | None:
        """`candidates` with their readers (see `text_readers`), or None when no recognizer reads them."""
        readers = self.text_readers(candidates.texts, structured)
        return replace(candidates, readers=readers) if readers else None

    def text_readers(self, texts: pa.Array, structured: bool = False) -> list[tuple[PiiRecognizer, np.ndarray]]:
        """Per recognizer, the candidate `texts` it reads (its prefilter; its context words)."""
        # one pass for "any context word of any context-required recognizer": id-like
        # columns have none, and then no context-required recognizer looks further
        any_context = bool(self._any_context) and bool(match(texts, self._any_context).any())
        return self._readers(lambda pattern, among=None: match(texts if among is None else texts.take(among), pattern),
                             any_context, structured)

    def _readers(self, admitted: Callable[..., np.ndarray], any_context: bool,
                 structured: bool) -> list[tuple[PiiRecognizer, np.ndarray]]:
        """Per recognizer, the distinct texts its prefilter (and context words, when it needs them)
        admit; `admitted(pattern, among=None)` says which texts (of those at `among`) a pattern
        matches. Context words are looked for only in the texts the prefilter admitted."""
        readers: list[tuple[PiiRecognizer, np.ndarray]] = []
        for recognizer in self.recognizers:
            context_re = self._context_prefilter.get(id(recognizer))
            if context_re and not any_context:
                continue
            if recognizer.NER and not structured:
                continue  # measured: in log lines the model mistakes message words for names
            positions = np.flatnonzero(admitted(recognizer.PREFILTER))
            if context_re and len(positions):
                positions = positions[admitted(context_re, positions)]
            if len(positions):
                readers.append((recognizer, positions))
        return readers

    def _screen_stacked(self, stack: StackedColumns, columns: Sequence[tuple[np.ndarray, pa.Array] | None]
                        ) -> tuple[list[TextCandidates | None], list[np.ndarray | None], pa.Array | None]:
        """`_screen_text` for every column of a stacked batch at once, with the same answers.

        `columns[i]`: (whole-cell mask, row numbers) of a column that may hold words, else None.
        Why: per column, the distinct candidate texts went through each recognizer's
        prefilter, some twenty Arrow calls (each compiling its pattern) for every column
        with free text; a file of 2,000 note columns paid 40,000 of them. Here the
        candidate cells of all columns are deduplicated once and each prefilter runs once
        over the batch's distinct texts; each column then reads its own texts' answers, in
        the order its own pass would have listed them (first occurrence). Also returned: per
        column, its texts as indices into the batch's distinct texts, and those texts."""
        picked = self._stacked_candidates(stack, columns)  # per column: its candidate cells
        counts = np.array([len(p) for p in picked], dtype=np.int64)
        if not counts.any():
            return [None] * len(columns), [None] * len(columns), None
        encoded = pc.dictionary_encode(stack.take(np.concatenate(
            [stack.start(i) + p for i, p in enumerate(picked) if len(p)])))
        texts = encoded.dictionary  # the batch's distinct candidate texts
        text_of = encoded.indices.to_numpy(zero_copy_only=False)
        batch_matches: dict[str, np.ndarray] = {}  # pattern -> which of the batch's texts it matches

        def batch_match(pattern: str) -> np.ndarray:
            if pattern not in batch_matches:
                batch_matches[pattern] = match(texts, pattern)
            return batch_matches[pattern]

        out: list[TextCandidates | None] = []
        owns: list[np.ndarray | None] = []
        ends = np.cumsum(counts)
        for i, column in enumerate(columns):
            if not counts[i]:
                out.append(None)
                owns.append(None)
                continue
            ids = text_of[ends[i] - counts[i]:ends[i]]
            unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
            order = np.argsort(first, kind="stable")  # this column's texts in first-occurrence order
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            own = unique[order]  # this column's texts, as indices into the batch's
            any_context = bool(self._any_context) and bool(batch_match(self._any_context)[own].any())
            readers = self._readers(lambda pattern, among=None, own=own: batch_match(pattern)[
                own if among is None else own[among]], any_context, True)
            lines = column[1].to_numpy(zero_copy_only=False)[picked[i]] if column is not None else None
            out.append(TextCandidates(texts=texts.take(pa.array(own)), where=rank[inverse], lines=lines,
                                      readers=readers) if readers else None)
            owns.append(own)
        return out, owns, texts

    def _stacked_candidates(self, stack: StackedColumns,
                            columns: Sequence[tuple[np.ndarray, pa.Array] | None]) -> list[np.ndarray]:
        """Per column, its cells that may hold words (positions in the column): not identified as a
        value, not a bare token (no words; every shape it could be was tried whole), and matched by
        the union prefilter. Both patterns read only those cells of every column, gathered in one
        array: the identified columns of a wide table (ids, phones, cards) are most of its cells."""
        empty = np.zeros(0, dtype=np.int64)
        rests = [np.flatnonzero(~column[0]) if column is not None and self.union_prefilter else empty
                 for column in columns]
        sizes = np.array([len(r) for r in rests], dtype=np.int64)
        if not sizes.any():
            return rests
        cells = stack.take(np.concatenate([stack.start(i) + r for i, r in enumerate(rests) if len(r)]))
        keep = ~match(cells, BARE_TOKEN)
        keep[keep] = match(cells.filter(pa.array(keep)), self.union_prefilter)
        ends = np.cumsum(sizes)
        return [r[keep[end - len(r):end]] for r, end in zip(rests, ends, strict=True)]

    def _find_stacked(self, screened: Sequence[TextCandidates | None], owns: Sequence[np.ndarray | None],
                      texts: pa.Array) -> list[Found | None]:
        """find() for the free text of every column of a stacked batch: each recognizer reads the
        batch's distinct texts its readers admit in one `find_many`, not a few texts per column
        (a short batch of matches goes one by one; a long one is vectorised). Per column, the
        results in the shape `_confirm_text` records slice by slice (as `find_candidates` gives
        them), so the counts are the ones its own find() calls give. Exact counting only
        (`confirm_hits: 0`); a column read by a model (NER, a per-column budget) is left to
        `_confirm_text` (None)."""
        min_score = self.config.free_text.min_score
        wanted: dict[int, list[np.ndarray]] = {}  # id(recognizer) -> batch text ids it reads
        for candidates, own in zip(screened, owns, strict=True):
            if candidates is None or any(r.NER for r, _ in candidates.readers):
                continue
            for recognizer, positions in candidates.readers:
                wanted.setdefault(id(recognizer), []).append(own[positions])
        answers: dict[int, tuple[np.ndarray, list]] = {}
        for recognizer in self.recognizers:
            if id(recognizer) in wanted:
                ids = np.unique(np.concatenate(wanted[id(recognizer)]))
                answers[id(recognizer)] = self._find_all(recognizer, texts, ids, min_score)
        out: list[Found | None] = []
        for candidates, own in zip(screened, owns, strict=True):
            if candidates is None or any(r.NER for r, _ in candidates.readers):
                out.append(None)
                continue
            out.append([_per_slice(answers[id(r)], positions, own) for r, positions in candidates.readers])
        return out

    def _confirm_text(self, stats: ColumnStats, candidates: TextCandidates | None, found: Found | None = None) -> None:
        """Free text, Python half: each distinct candidate text through find(), counted into `stats`.

        `found`: what `find_candidates` returned for these candidates (in another process):
        recorded slice by slice exactly as the find() calls here would have been."""
        if candidates is None:
            return
        texts, where, lines = candidates.texts, candidates.where, candidates.lines
        min_score = self.config.free_text.min_score
        for r, (recognizer, positions) in enumerate(candidates.readers):
            if recognizer.NER:  # a model: a bounded number of texts per column
                positions = positions[: max(0, self.config.ner.max_texts_per_column - stats.spent(recognizer))]
                stats.spend(recognizer, len(positions), 0)
                if len(positions) == 0:
                    continue
            # in slices, so a column that confirms an entity early stops checking every value
            for k, part in enumerate(_slices(positions)):
                if found is not None:  # exact mode: every slice read whole, elsewhere
                    picked, scale, results = part, 1.0, found[r][k][1]
                    found_in = np.full(len(texts), -1, dtype=np.int64)
                    found_in[picked] = found[r][k][0]
                else:
                    picked, scale = self._confirmed_subsample(recognizer, stats, part, where)
                    found_in, results = self._find_all(recognizer, texts, picked, min_score)
                if results:
                    self._record_hits(stats, texts, where, lines, found_in, results, scale, recognizer)

    def find_candidates(self, texts: pa.Array, readers: Sequence[tuple[int, np.ndarray]]) -> Found:
        """find() over candidate texts, slice by slice as `_confirm_text` slices them, for an
        exact pass (`confirm_hits: 0`, no NER reader): per reader, per slice, (hit index at the
        slice's positions, results). Pure: it runs in another process while this one screens.
        Each reader's texts go through one `find_many` (a text's hits depend on that text
        alone), then are cut into the slices `_confirm_text` records."""
        min_score = self.config.free_text.min_score
        return [_per_slice(self._find_all(self.recognizers[index], texts, positions, min_score), positions)
                for index, positions in readers]

    def _record_hits(self, stats: ColumnStats, texts: pa.Array, where: np.ndarray, lines: np.ndarray,
                     found_in: np.ndarray, results: list[dict[str, tuple[float, int, int]]], scale: float,
                     recognizer: PiiRecognizer) -> None:
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
            entity.recognizers.add(recognizer.name)
            for row in rows[: max(0, EXPLAIN_HITS - entity.explained)]:  # `why`: the deciding words
                _, start, end = results[found_in[where[row]]][entity_type]
                word = deciding_word(recognizer, texts[int(where[row])].as_py(), start, end)
                entity.explained += 1
                if word:
                    entity.context_words[word] = entity.context_words.get(word, 0) + 1
            for row in rows[: max(0, max_examples - len(entity.examples))]:
                _, start, end = results[found_in[where[row]]][entity_type]
                rule = self._primary[entity_type].SPEC.mask if entity_type in self._primary else None
                entity.examples.append(mask(entity_type, texts[int(where[row])].as_py()[start:end], rule))

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

    def _find_all(self, recognizer: PiiRecognizer, texts: pa.Array, positions: np.ndarray,
                  min_score: float) -> tuple[np.ndarray, list[dict[str, tuple[float, int, int]]]]:
        """find() over the distinct texts at `positions`.

        Returns, per distinct text, the index of its result (-1: no hit), and the
        results: {entity: (best score, start, end)}. A DIGIT_INVARIANT recognizer
        (names, special-care words) gives the same spans whatever the digits are, so
        texts that differ only in their digits (「パスポート番号 TK…」 with a thousand
        numbers) share one find() call.
        """
        found_in = np.full(len(texts), -1, dtype=np.int64)
        allow = self._allow if self._allow else None
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
            if not hits:
                continue
            if len(hits) == 1 and not allow:  # the common case, as the loop below decides it
                hit = hits[0]
                if hit.score >= min_score and hit.score > 0.0:
                    call_result[i] = len(results)
                    results.append({hit.entity_type: (hit.score, hit.start, hit.end)})
                continue
            found: dict[str, tuple[float, int, int]] = {}
            for hit in hits:
                if allow and allow.allows(hit.entity_type, hit.value):
                    continue  # on the allow list: never a finding
                if hit.score >= min_score and hit.score > found.get(hit.entity_type, (0.0, 0, 0))[0]:
                    found[hit.entity_type] = (hit.score, hit.start, hit.end)
            if found:
                call_result[i] = len(results)
                results.append(found)
        found_in[positions] = call_result[owner]
        return found_in, results


def _per_slice(answer: tuple[np.ndarray, list[dict[str, tuple[float, int, int]]]], positions: np.ndarray,
               own: np.ndarray | None = None) -> list[tuple[np.ndarray, list[dict[str, tuple[float, int, int]]]]]:
    """One reader's `_find_all` answer over all its texts, cut into the slices `_confirm_text`
    records: per slice, (hit index at the slice's positions, that slice's own results).
    `own`: where the reader's texts sit among the texts `answer` indexes (default: there)."""
    found_in, results = answer
    parts = []
    for part in _slices(positions):
        hit = found_in[part if own is None else own[part]]  # -1, or the index of its result in `results`
        kept = np.unique(hit[hit >= 0])
        local = np.full(len(hit), -1, dtype=np.int64)
        local[hit >= 0] = np.searchsorted(kept, hit[hit >= 0])
        parts.append((local, [results[int(j)] for j in kept]))
    return parts


def _slices(positions: np.ndarray) -> list[np.ndarray]:
    """The slices a reader's texts are confirmed in (`_confirm_text`, and the exact passes that
    compute its results elsewhere, must cut them alike)."""
    return np.array_split(positions, max(1, len(positions) // FIND_SLICE))
