"""The shipped policy and inventory load; every broken file gives one error naming file, key and problem."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from scanner.configfiles import ConfigError
from scanner.policy.commands import policy as policy_group
from scanner.policy.config import load_inventory, load_policy
from tests.policy.conftest import ROOT

POLICY = ROOT / "configs" / "policy.yaml"
INVENTORY = ROOT / "configs" / "inventory.yaml"


@pytest.mark.parametrize(
    ("purpose", "entity", "allowed"),
    [
        ("travel_arrangement", "PASSPORT_NUMBER", True),
        ("travel_arrangement", "SPECIAL_CARE_INFO", True),
        ("travel_arrangement", "CREDIT_CARD", False),
        ("marketing", "PASSPORT_NUMBER", False),
        ("marketing", "EMAIL_ADDRESS", True),
        ("destination_convenience", "PERSON", True),
        ("destination_convenience", "PASSPORT_NUMBER", True),
        ("destination_convenience", "DATE_OF_BIRTH", False),
        ("shared_use", "JMB_NUMBER", True),
        ("shared_use", "GENDER", True),
        ("shared_use", "NATIONALITY", False),
        ("shared_use", "PASSPORT_NUMBER", False),
        ("payment", "CREDIT_CARD", True),
        ("payment", "CREDIT_CARD_MASKED", True),
        ("payment", "CARD_SECURITY_CODE", False),
        ("insurance", "PASSPORT_NUMBER", False),
        ("entrusted_work", "JP_MY_NUMBER", False),
    ],
)
def test_default_policy_purposes(policy, purpose, entity, allowed):
    assert policy.purposes[purpose].allows(entity, policy.category_of(entity)) is allowed


def test_every_scanner_entity_type_has_a_category(policy):
    entities = ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "DATE_OF_BIRTH", "ADDRESS", "PASSPORT_NUMBER", "JMB_NUMBER",
                "CREDIT_CARD", "CREDIT_CARD_MASKED", "CARD_EXPIRATION", "CARD_SECURITY_CODE", "CARD_TRACK_DATA",
                "JP_MY_NUMBER", "SPECIAL_CARE_INFO", "GENDER", "NATIONALITY"]
    assert {e: policy.category_of(e) for e in entities if policy.category_of(e) == "uncategorised"} == {}


def test_packaged_default_matches_configs():
    packaged = ROOT / "scanner" / "defaults" / "policy.yaml"
    assert packaged.read_text(encoding="utf-8") == POLICY.read_text(encoding="utf-8")


def _mutate(data: dict, path: str, value) -> dict:
    """Set (or with value=DELETE remove) a dotted key; list indexes as numbers."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = int(parts[-1]) if isinstance(node, list) else parts[-1]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()

POLICY_CASES = [
    ("purposes.marketing.colour", "blue", "purposes.marketing.colour", "unknown key"),
    ("purposes.marketing.categories", ["identity", "contatc"], "purposes.marketing.categories[1]", "unknown category 'contatc'"),
    ("categories.contact.entities", ["EMAIL_ADDRESS", "PERSON"], "categories.contact.entities[1]", "already belongs"),
    ("categories.passport.sensitivity", "huge", "categories.passport.sensitivity", "'critical', 'high', 'medium' or 'low'"),
    ("retention.passport.days", -1, "retention.passport.days", "greater than or equal to 0"),
    ("retention.pets", {"days": 1, "runs_from": "x", "clause": "y"}, "retention.pets", "unknown category 'pets'"),
    ("rules.clear_pan", DELETE, "rules", "missing rule(s) for clear_pan"),
    ("recipients.jal_group.entities", ["SHOE_SIZE"], "recipients.jal_group.entities[0]", "unknown entity type 'SHOE_SIZE'"),
]


@pytest.mark.parametrize(("key", "value", "named_key", "problem"), POLICY_CASES)
def test_broken_policy_names_file_key_and_problem(tmp_path, key, value, named_key, problem):
    data = _mutate(yaml.safe_load(POLICY.read_text(encoding="utf-8")), key, value)
    broken = tmp_path / "policy.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_policy(broken)
    assert (err.value.file, err.value.key) == (str(broken), named_key)
    assert problem in err.value.problem
    assert "\n" not in str(err.value)


INVENTORY_CASES = [
    ("datastores.0.tables.0.purposes", ["marketting"], "datastores[0].tables[0].purposes[0]", "unknown purpose 'marketting'"),
    ("datastores.1.tables.0.recipient", "aliens", "datastores[1].tables[0].recipient", "unknown recipient 'aliens'"),
    ("datastores.0.tables.1.dates", {"birthday": "x"}, "datastores[0].tables[1].dates.birthday", "unknown date role"),
    ("datastores.0.owner", DELETE, "datastores[0].owner", "Field required"),
    ("datastores.0.location", "postgresql://crm:s3cret@db/crm", "datastores[0].location", "holds a password"),
    ("datastores.1.name", "crm", "datastores[1].name", "duplicate datastore name"),
    ("datastores.0.url_env", "CRM_URL", "datastores[0]", "exactly one of location"),
]


@pytest.mark.parametrize(("key", "value", "named_key", "problem"), INVENTORY_CASES)
def test_broken_inventory_names_file_key_and_problem(tmp_path, policy, key, value, named_key, problem):
    data = _mutate(yaml.safe_load(INVENTORY.read_text(encoding="utf-8")), key, value)
    broken = tmp_path / "inventory.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_inventory(broken, policy)
    assert (err.value.file, err.value.key) == (str(broken), named_key)
    assert problem in err.value.problem
    assert "s3cret" not in str(err.value)


def test_invalid_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "policy.yaml"
    bad.write_text("name: x\ncategories: [a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"policy.yaml: line 3, column 1: invalid YAML"):
        load_policy(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_policy(tmp_path / "nope.yaml")


def test_database_credentials_come_from_the_environment(tmp_path, policy, monkeypatch):
    inv = tmp_path / "inventory.yaml"
    secret = tmp_path / "crm.secret"
    secret.write_text("fromfile\n")
    inv.write_text(yaml.safe_dump({"datastores": [
        {"name": "pg", "owner": "o", "location": "postgresql+psycopg://app@db.example:5432/crm", "password_env": "PG_PW"},
        {"name": "my", "owner": "o", "location": "mysql+pymysql://app@db.example/crm", "password_file": "crm.secret"},
        {"name": "env", "owner": "o", "url_env": "WHOLE_URL"},
    ]}))
    monkeypatch.setenv("PG_PW", "topsecret")
    monkeypatch.delenv("WHOLE_URL", raising=False)
    targets = {t.datastore_name: t for t in load_inventory(inv, policy).scan_targets()}
    assert "topsecret" in targets["pg"].target and "topsecret" not in targets["pg"].display
    assert "fromfile" in targets["my"].target and "fromfile" not in targets["my"].display
    assert targets["env"].error == "environment variable WHOLE_URL is not set" and targets["env"].target == ""


def test_sample_inventory_targets(inventory):
    targets = inventory.scan_targets()
    declared = {t.datastore_name for t in targets}
    assert declared == {"crm", "jal_group_exports", "duty_free_exports", "sales_analytics", "warehouse", "app_events", None}
    undeclared = [t.display for t in targets if t.datastore_name is None]
    assert undeclared == ["../sample_data/logs/app.log"]  # declared exports are not listed twice


def test_cli_check_explains_each_purpose():
    result = CliRunner().invoke(policy_group, ["check", "--policy", str(POLICY), "--inventory", str(INVENTORY)])
    assert result.exit_code == 0, result.output
    assert "shared_use: Shared use among the listed JAL Group companies (§2)" in result.output
    assert "may hold: travel_details" in result.output
    assert result.output.rstrip().endswith("OK: policy and inventory are valid.")


def test_cli_check_broken_file_exits_2_with_one_line(tmp_path):
    broken = tmp_path / "inventory.yaml"
    broken.write_text("datastores:\n  - name: x\n    owner: y\n    location: a.csv\n    tables: [{name: a.csv, purposes: [spying]}]\n")
    result = CliRunner().invoke(policy_group, ["check", "--policy", str(POLICY), "--inventory", str(broken)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {broken}: datastores[0].tables[0].purposes[0]: unknown purpose 'spying'")
