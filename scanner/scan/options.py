"""What the user asked a scan to do, and the detector those options build."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.detect.config import DetectionConfig
    from scanner.detect.engine import Detector
    from scanner.sources.base import SourceOptions


def default_jobs() -> int:
    """Threads for columns: Arrow and RE2 release the GIL, so one per core pays (up to 4)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class ScanOptions:
    """What the user asked for; None means 'the value from configs/detection.yaml'."""

    sample_rows: int | None = None
    full: bool = False
    jobs: int = field(default_factory=default_jobs)
    processes: int = 1  # worker processes for datasets (scanner.engines.workers); 1 = all in this process
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    detection_config: str | None = None
    progress: bool = False

    def public(self) -> dict[str, Any]:
        return {"sample_rows": self.sample_rows, "full": self.full, "jobs": self.jobs, "processes": self.processes,
                "include": self.include, "exclude": self.exclude}


def source_options(options: ScanOptions) -> SourceOptions:
    """How sources read for this scan: the user's globs, and the detection config's budgets and
    per-kind limits (checked here, so a bad key is one line naming the file and the key)."""
    from scanner.configfiles import ConfigError, find_config
    from scanner.detect.config import load_detection_config
    from scanner.sources import check_limits
    from scanner.sources.base import SourceOptions
    from scanner.sources.budgets import Budgets

    config = load_detection_config(options.detection_config)
    shown = str(options.detection_config or find_config("detection.yaml") or "detection.yaml")
    unknown = check_limits(config.limits)
    if unknown:
        raise ConfigError(shown, f"limits.{unknown}", "unknown key")
    try:
        budgets = Budgets.model_validate(config.budgets)
    except ValueError as exc:
        raise ConfigError(shown, "budgets", str(exc).splitlines()[0]) from None
    return SourceOptions(include=options.include, exclude=options.exclude, budgets=budgets,
                         limits=dict(config.limits))


def build_detector(options: ScanOptions) -> tuple[Detector, DetectionConfig]:
    """The detector every dataset of a run is scanned with (built once per process)."""
    from recognizers import default_recognizers
    from scanner.detect.config import load_detection_config
    from scanner.detect.engine import Detector

    config = load_detection_config(options.detection_config)
    ner = None if config.ner.enabled == "auto" else bool(config.ner.enabled)
    if ner:
        from scanner.extras import require

        require("ja_ginza", "ja", "the Japanese NER boost (ner.enabled: true in the detection config)")
    return Detector(default_recognizers(ner=ner), config), config
