"""Presidio's recognizer base classes without importing spaCy: start-up is a feature.

`import presidio_analyzer` runs its package `__init__`, which imports the
analyzer engine, the NLP engine and with them spaCy: about 1.5 s on this
machine, two thirds of the time `piiscan scan` takes on a three-line CSV. Our
recognizers only need three small modules of Presidio (`EntityRecognizer`,
`RecognizerResult`, `AnalysisExplanation`), which import nothing heavy.

`load()` registers the `presidio_analyzer` package object without running its
`__init__`, imports those three modules into it, and gives the package a module
`__getattr__` (PEP 562) that runs the real `__init__` the first time anything
else is asked of it (`AnalyzerEngine`, `RecognizerRegistry`...), or before any
other of its submodules is imported. The classes are
the real ones, so our recognizers are Presidio recognizers either way: they
plug into any `AnalyzerEngine`, which then loads as usual.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

PACKAGE = "presidio_analyzer"
# The modules the recognizers need, in their import order (each imports the one before).
LIGHT_MODULES = {
    "analysis_explanation": "AnalysisExplanation",
    "recognizer_result": "RecognizerResult",
    "entity_recognizer": "EntityRecognizer",
}
_lock = threading.RLock()


def load() -> ModuleType:
    """The presidio_analyzer package with the recognizer base classes (and no spaCy yet)."""
    with _lock:
        package = sys.modules.get(PACKAGE)
        if package is not None:
            return package
        spec = importlib.util.find_spec(PACKAGE)
        if spec is None or spec.loader is None:
            raise ImportError(f"{PACKAGE} is not installed")
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        try:
            for module, name in LIGHT_MODULES.items():
                setattr(package, name, getattr(importlib.import_module(f"{PACKAGE}.{module}"), name))
        except BaseException:
            del sys.modules[PACKAGE]
            raise

        def complete() -> None:
            """Run the package's real __init__ once (anything beyond the base classes is asked for)."""
            with _lock:
                if "_piiscan_completed" not in package.__dict__:
                    package.__dict__["_piiscan_completed"] = True
                    package.__dict__.pop("__getattr__", None)
                    sys.meta_path.remove(finder)
                    spec.loader.exec_module(package)

        def attribute(name: str):
            complete()
            return package.__dict__[name] if name in package.__dict__ else _missing(name)

        finder = _CompleteFirst(complete)
        sys.meta_path.insert(0, finder)
        package.__getattr__ = attribute
        return package


class _CompleteFirst:
    """Completes the package before any other submodule is imported directly
    (`from presidio_analyzer.nlp_engine import …`): Presidio's modules import each other in the
    order its `__init__` sets, and a cycle among them fails when entered from elsewhere."""

    def __init__(self, complete):
        self.complete = complete

    def find_spec(self, name: str, path=None, target=None):
        parts = name.split(".")
        if len(parts) > 1 and parts[0] == PACKAGE and parts[1] not in LIGHT_MODULES and parts[1] != "score_thresholds":
            self.complete()
        return None


def _missing(name: str):
    raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")


_presidio = load()
AnalysisExplanation = _presidio.AnalysisExplanation
EntityRecognizer = _presidio.EntityRecognizer
RecognizerResult = _presidio.RecognizerResult

__all__ = ["AnalysisExplanation", "EntityRecognizer", "RecognizerResult", "load"]
