"""The recognizers piiscan runs, and what each entity type means to the rest of piiscan.

Why a registry: adding an identifier should be one new module plus one
`register(...)` line. The detector instantiates `RECOGNIZERS`; masking, report
labels, the report-side guard and the policy's default categories ask
`spec_for(entity)` here, so nothing in `scanner/` names an entity type.

`declare` covers entity types that a policy or an inventory names but no
recognizer finds yet (gender, nationality, flight numbers...): they get labels
and a category the same way, and a recognizer registered for one later takes
over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from recognizers import masks
from recognizers.spec import EntitySpec, MaskRule

if TYPE_CHECKING:
    from recognizers.base import PiiRecognizer

# In detection order: the detector builds one instance of each (see default_recognizers).
RECOGNIZERS: list[type[PiiRecognizer]] = []
_SPECS: dict[str, EntitySpec] = {}  # entity type -> spec, from recognizers
_DECLARED: dict[str, EntitySpec] = {}  # entity type -> spec, for types no recognizer finds


def register(cls: type[PiiRecognizer]) -> type[PiiRecognizer]:
    """Run `cls` in every scan and make its entity type known (usable as a class decorator).

    Two recognizers may emit one entity type (an MRZ yields passport numbers too);
    they must then declare the same `SPEC`, so evidence of one type is masked,
    labelled and categorised one way.
    """
    entity = getattr(cls, "ENTITY", None)
    spec = getattr(cls, "SPEC", None)
    if not isinstance(entity, str) or not entity:
        raise TypeError(f"{cls.__name__} has no ENTITY")
    if not isinstance(spec, EntitySpec):
        raise TypeError(f"{cls.__name__} has no SPEC (recognizers.spec.EntitySpec: mask rule, labels, category)")
    known = _SPECS.get(entity)
    if known is not None and known != spec and _owner(entity) is not cls:
        raise ValueError(f"{cls.__name__}: {entity} is already registered with another SPEC")
    if cls not in RECOGNIZERS:
        RECOGNIZERS.append(cls)
    _SPECS[entity] = spec
    return cls


def unregister(cls: type[PiiRecognizer]) -> None:
    """Undo `register` (tests that register a throw-away identifier clean up with this)."""
    if cls in RECOGNIZERS:
        RECOGNIZERS.remove(cls)
    if _owner(cls.ENTITY) is None:
        _SPECS.pop(cls.ENTITY, None)


def declare(entity: str, spec: EntitySpec) -> None:
    """Make an entity type that no recognizer finds known by its labels and category."""
    _DECLARED[entity] = spec


def _owner(entity: str) -> type[PiiRecognizer] | None:
    return next((cls for cls in RECOGNIZERS if cls.ENTITY == entity), None)


def spec_for(entity: str) -> EntitySpec | None:
    """The spec of `entity` (a recognizer's first, else a declared one), or None when unknown."""
    return _SPECS.get(entity) or _DECLARED.get(entity)


def mask_rule(entity: str) -> MaskRule:
    """How evidence of `entity` is masked (an unknown type keeps 2 + 2 characters)."""
    spec = spec_for(entity)
    return spec.mask if spec is not None else masks.DEFAULT


def label(entity: str, lang: str) -> str | None:
    """The report label of `entity` in `lang` ("ja" or "en"), or None when unknown."""
    spec = spec_for(entity)
    return spec.label(lang) if spec is not None else None


def entity_types() -> list[str]:
    """Every known entity type: recognizers' first, then declared ones."""
    return list(dict.fromkeys([*_SPECS, *_DECLARED]))


def default_categories() -> dict[str, str]:
    """Entity type -> policy category, as the recognizers (and declarations) give it."""
    out = {e: s.category for e, s in _DECLARED.items() if s.category}
    out.update({e: s.category for e, s in _SPECS.items() if s.category})
    return out


def redactions() -> list[EntitySpec]:
    """Specs with a `Redaction`, in the order the report-side guard applies them."""
    specs = [s for s in {id(s): s for s in (*_SPECS.values(), *_DECLARED.values())}.values() if s.redaction]
    return sorted(specs, key=lambda s: s.redaction.order)
