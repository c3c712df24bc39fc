"""Detection settings from configs/detection.yaml, validated so a typo names its key.

Besides thresholds, the file holds what a company adds without code:
`custom_identifiers` (one generic recognizer per entry, `recognizers.custom`) and
`allow_list` (values that are never findings: the company's own phone number,
test card numbers). A bad entry (a regex RE2 or Python cannot compile, an unknown
validator) is a `ConfigError` naming the file and the key.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scanner.configfiles import ConfigError, find_config


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SamplingConfig(_Strict):
    rows: int = Field(2000, ge=1)
    seed: int = 7


class ColumnRules(_Strict):
    hinted_min_share: float = Field(0.2, ge=0, le=1)
    unhinted_min_share: float = Field(0.6, ge=0, le=1)
    min_valid_ratio: float = Field(0.8, ge=0, le=1)
    min_values: int = Field(2, ge=1)
    probe_size: int = Field(512, ge=0)
    max_validations: int = Field(2000, ge=10)


class EntityOverrides(_Strict):
    hinted_min_share: float | None = Field(None, ge=0, le=1)
    unhinted_min_share: float | None = Field(None, ge=0, le=1)
    min_valid_ratio: float | None = Field(None, ge=0, le=1)
    min_values: int | None = Field(None, ge=1)


class FreeTextRules(_Strict):
    min_score: float = Field(0.5, ge=0, le=1)
    max_examples: int = Field(3, ge=0, le=20)
    max_locations: int = Field(100_000, ge=0)
    confirm_hits: int = Field(0, ge=0)  # 0: exact (every hit found and counted)
    share_after_confirmed: float = Field(0.1, gt=0, le=1)


class NerConfig(_Strict):
    enabled: Literal["auto", True, False] = "auto"
    max_texts_per_column: int = Field(200, ge=0)


def check_regex(pattern: str) -> str:
    """`pattern` if both RE2 (the vectorised screens) and Python `re` (find()) compile it."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"regex does not compile: {exc}") from None
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ValueError(f"regex is not valid RE2: {str(exc).splitlines()[0][:120]}") from None
    return pattern


class MaskConfig(_Strict):
    keep_start: int = Field(2, ge=0, le=8)
    keep_end: int = Field(2, ge=0, le=8)


class CustomIdentifierConfig(_Strict):
    """One `custom_identifiers:` entry (see recognizers/custom.py for the validators)."""

    entity: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    pattern: str = Field(min_length=1)
    validator: str | None = None
    context: list[str] = []
    context_required: bool = False
    field_hints: list[str] = []
    negative_hints: list[str] = []
    score: float = Field(0.6, gt=0, le=1)
    label_en: str | None = None
    label_ja: str | None = None
    category: str | None = None
    mask: MaskConfig = MaskConfig()

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str) -> str:
        if re.compile(r"\(\?P?<value>").search(pattern):
            raise ValueError("the pattern is wrapped in a group named `value` already: leave that name out")
        return check_regex(pattern)

    @field_validator("validator")
    @classmethod
    def _known_validator(cls, name: str | None) -> str | None:
        from recognizers.custom import VALIDATORS

        if name is not None and name not in VALIDATORS:
            raise ValueError(f"unknown validator {name!r}; known: {', '.join(sorted(VALIDATORS))}")
        return name

    @field_validator("field_hints")
    @classmethod
    def _hints_compile(cls, hints: list[str]) -> list[str]:
        for hint in hints:
            try:
                re.compile(hint)
            except re.error as exc:
                raise ValueError(f"field hint {hint!r} does not compile: {exc}") from None
        return hints

    def definition(self):
        from recognizers.custom import CustomIdentifier

        return CustomIdentifier(
            entity=self.entity, pattern=self.pattern, validator=self.validator, context=tuple(self.context),
            context_required=self.context_required, field_hints=tuple(self.field_hints),
            negative_hints=tuple(self.negative_hints), score=self.score, label_en=self.label_en,
            label_ja=self.label_ja, category=self.category, keep_start=self.mask.keep_start,
            keep_end=self.mask.keep_end,
        )


class AllowPattern(_Strict):
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        return check_regex(pattern)


class DetectionConfig(_Strict):
    sampling: SamplingConfig = SamplingConfig()
    ner: NerConfig = NerConfig()
    columns: ColumnRules = ColumnRules()
    free_text: FreeTextRules = FreeTextRules()
    entities: dict[str, EntityOverrides] = {}
    budgets: dict[str, float] = {}  # validated by scanner.sources.budgets (per-source limits)
    limits: dict[str, dict[str, int | float]] = {}  # per source kind (documents, archives...), checked by each kind
    custom_identifiers: list[CustomIdentifierConfig] = []
    # entity type -> values that are never findings: exact values (compared without
    # separators) or {pattern: RE2} matched against the whole value
    allow_list: dict[str, list[AllowPattern | str]] = {}

    @field_validator("custom_identifiers")
    @classmethod
    def _unique_entities(cls, entries: list[CustomIdentifierConfig]) -> list[CustomIdentifierConfig]:
        seen = [e.entity for e in entries]
        duplicated = sorted({e for e in seen if seen.count(e) > 1})
        if duplicated:
            raise ValueError(f"entity {duplicated[0]} is defined twice")
        return entries

    def probe_cells(self, at_least: int) -> int:
        """Cells to probe in an unhinted column so that missing a pattern the column needs is
        below one in a billion, at least `at_least`: a column qualifies only when
        `unhinted_min_share` of its cells match, so a probe of n evenly spread cells all missing
        has odds under (1 - share)^n. The lowest share configured (per entity too) decides;
        0 turns probing off (a share of 0: any single cell may matter)."""
        shares = [self.columns.unhinted_min_share]
        shares += [o.unhinted_min_share for o in self.entities.values() if o.unhinted_min_share is not None]
        lowest = min(shares)
        if lowest <= 0 or at_least <= 0:
            return 0
        if lowest >= 1:
            return at_least
        return max(at_least, math.ceil(math.log(1e-9) / math.log(1 - lowest)))

    def rules_for(self, entity: str) -> ColumnRules:
        override = self.entities.get(entity)
        if override is None:
            return self.columns
        values = self.columns.model_dump()
        values.update({k: v for k, v in override.model_dump().items() if v is not None})
        return ColumnRules(**values)


def load_detection_config(path: str | Path | None = None) -> DetectionConfig:
    path = Path(path) if path else find_config("detection.yaml")
    if path is None:
        return DetectionConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"cannot read YAML: {exc}") from None
    try:
        return DetectionConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError.from_validation(str(path), exc) from None
