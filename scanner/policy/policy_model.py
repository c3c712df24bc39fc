"""The policy as a validated object: categories, purposes, recipients, retention and rules.

`configs/policy.yaml` encodes what the privacy policy (and PCI DSS) allow. The
models refuse unknown keys (a typo more often than intent) and `Policy` checks
the references between its sections once (`_cross_check`), so the evaluation
never meets a dangling name. Texts a report shows may come in Japanese too
(`clause_ja`, `remediation_ja`, `title_ja`): the policy's author writes both,
so a Japanese report never falls back to English prose.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from scanner.configfiles import ConfigError

Severity = Literal["critical", "high", "medium", "low"]
KINDS = (
    "purpose_not_permitted",
    "prohibited_data",
    "clear_pan",
    "retention_exceeded",
    "shadow_data",
    "recipient_excess",
)
Kind = Literal[
    "purpose_not_permitted",
    "prohibited_data",
    "clear_pan",
    "retention_exceeded",
    "shadow_data",
    "recipient_excess",
]
# Entity types no category claims fall here, so a new recognizer never crashes the evaluation.
UNCATEGORISED = "uncategorised"


class StrictModel(BaseModel):
    """Unknown keys are typos more often than intent: refuse them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Prohibition(StrictModel):
    always: bool = True  # False: prohibited unless a declared purpose allows the category
    clause: str
    clause_ja: str | None = None


class Category(StrictModel):
    description: str = ""
    title_ja: str | None = None  # the category's name in Japanese texts (remediation_ja's {category})
    entities: list[str] = Field(min_length=1)
    sensitivity: Severity = "medium"
    identifies_person: bool = False  # counts towards the number of people in the impact
    appi: Literal["special_care", "financial"] | None = None
    prohibited: Prohibition | None = None


class Allowance(StrictModel):
    """What a purpose allows or a recipient may receive: whole categories and/or single entity types."""

    title: str
    title_ja: str | None = None
    clause: str
    clause_ja: str | None = None
    categories: list[str] = []
    entities: list[str] = []
    note: str = ""

    def allows(self, entity_type: str, category: str) -> bool:
        return category in self.categories or entity_type in self.entities


class Purpose(Allowance):
    pass


class Recipient(Allowance):
    kind: Literal["shared_use", "third_party", "entrusted"] = "third_party"
    members: list[str] = []


class RetentionRule(StrictModel):
    days: int = Field(ge=0)
    runs_from: str  # a date role; the inventory maps it to a column per table
    runs_from_ja: str | None = None  # the date's name in Japanese texts (remediation_ja's {date_role})
    clause: str
    clause_ja: str | None = None


class Rule(StrictModel):
    severity: Severity | Literal["from_category"]
    clause: str | None = None
    clause_ja: str | None = None
    remediation: str  # a format string: {location} {category} {entity_type} {count} {recipient} {days} {date_role}
    remediation_ja: str | None = None
    entities: list[str] = []  # clear_pan: the entity types that are a PAN in clear


class ImpactRule(StrictModel):
    clause: str = "APPI Art. 26; Enforcement Rules Art. 7"
    clause_ja: str | None = None
    reportable_people: int = Field(default=1000, ge=0)


class Policy(StrictModel):
    version: Literal[1] = 1
    name: str
    source: str = ""
    categories: dict[str, Category]
    purposes: dict[str, Purpose]
    recipients: dict[str, Recipient] = {}
    retention: dict[str, RetentionRule] = {}
    rules: dict[Kind, Rule]
    impact: ImpactRule = ImpactRule()

    _path: str = PrivateAttr(default="<policy>")
    _category_of: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("rules")
    @classmethod
    def _every_kind_rated(cls, rules: dict[str, Rule]) -> dict[str, Rule]:
        missing = [k for k in KINDS if k not in rules]
        if missing:
            raise ValueError(f"missing rule(s) for {', '.join(missing)}")
        return rules

    @property
    def path(self) -> str:
        return self._path

    def category_of(self, entity_type: str) -> str:
        return self._category_of.get(entity_type, UNCATEGORISED)

    def sensitivity(self, category: str) -> str:
        cat = self.categories.get(category)
        return cat.sensitivity if cat else "medium"

    def date_roles(self) -> set[str]:
        return {r.runs_from for r in self.retention.values()}

    def _cross_check(self) -> None:
        """References between sections, checked once so evaluation never meets a dangling name."""
        for name, cat in self.categories.items():
            for i, entity in enumerate(cat.entities):
                if entity in self._category_of:
                    raise ConfigError(
                        self._path,
                        f"categories.{name}.entities[{i}]",
                        f"{entity} already belongs to category {self._category_of[entity]!r}; an entity type belongs to one category",
                    )
                self._category_of[entity] = name
        from recognizers.registry import default_categories  # each recognizer's default category

        for entity, category in default_categories().items():  # the file's lists win
            if category in self.categories:
                self._category_of.setdefault(entity, category)
        for section, items in (("purposes", self.purposes), ("recipients", self.recipients)):
            for name, item in items.items():
                for i, cat in enumerate(item.categories):
                    self._known_category(f"{section}.{name}.categories[{i}]", cat)
                for i, entity in enumerate(item.entities):
                    if entity not in self._category_of:
                        raise ConfigError(
                            self._path, f"{section}.{name}.entities[{i}]", f"unknown entity type {entity!r}; add it to a category first"
                        )
        for name in self.retention:
            self._known_category(f"retention.{name}", name)

    def _known_category(self, key: str, name: str) -> None:
        if name not in self.categories:
            raise ConfigError(self._path, key, f"unknown category {name!r}; known: {', '.join(sorted(self.categories))}")
