"""Detection settings from configs/detection.yaml, validated so a typo names its key."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    confirm_hits: int = Field(2000, ge=0)
    share_after_confirmed: float = Field(0.1, gt=0, le=1)


class NerConfig(_Strict):
    enabled: Literal["auto", True, False] = "auto"
    max_texts_per_column: int = Field(200, ge=0)


class DetectionConfig(_Strict):
    sampling: SamplingConfig = SamplingConfig()
    ner: NerConfig = NerConfig()
    columns: ColumnRules = ColumnRules()
    free_text: FreeTextRules = FreeTextRules()
    entities: dict[str, EntityOverrides] = {}

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
