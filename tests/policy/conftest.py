"""Fixtures for the policy tests: the shipped configs (databases come from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.policy.config import load_inventory, load_policy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def policy():
    return load_policy(ROOT / "configs" / "policy.yaml")


@pytest.fixture(scope="session")
def inventory(policy):
    return load_inventory(ROOT / "configs" / "inventory.yaml", policy)


# pg_url / mysql_url: the shared throw-away databases of tests/conftest.py
