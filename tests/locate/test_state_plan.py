"""With `--state`, locate searches the fields the last nightly run classified, and says what the
inventory declares for each place found."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.locate.identifiers import build_person
from scanner.locate.request import locate_request
from scanner.locate.search import LocateOptions
from scanner.nightly import NightlyOptions, run_nightly
from tests.locate import estate

INVENTORY = """\
version: 1
datastores:
  - name: crm
    owner: CRM team <crm@example.jp>
    location: crm.sqlite
    tables:
      - name: customers
        purposes: [travel_arrangement]
        dates: {last_activity: birth_date}
        fields: [family_name, given_name, family_name_kana, given_name_kana, email, phone, birth_date]
"""


def test_plan_from_the_last_nightly_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIISCAN_LOCATE_SALT", "s")
    estate.fill_customers(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    (tmp_path / "extra").mkdir()
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    state = str(tmp_path / "state.db")
    code = run_nightly(NightlyOptions(inventory=inventory, state=state, reports=tmp_path / "reports", fail_on="critical"))
    assert code in (0, 1)
    person = build_person("person 1", {"email": "taro.yamada@example.jp", "birth_date": "1985-04-12"})
    doc = locate_request([person], LocateOptions(inventory=str(inventory), state=state)).doc
    customers = next(s for s in doc["sources"] if s.get("table") == "customers")
    assert customers["status"] == "searched" and customers["plan"] == "state"
    assert doc["plan"] == "state"
    assert {m["row_key"]["id"] for m in doc["matches"]} == {"1001"}
    declared = doc["declared"][0]
    assert declared["declared"] and declared["purposes"] == ["travel_arrangement"]
    assert declared["datastore"] == "crm"
    assert any(r["column"] == "birth_date" for r in declared["retention"])
    # the same file named as a TARGET beside the inventory is placed in its datastore too
    named = locate_request([person], LocateOptions(targets=[str(tmp_path / "crm.sqlite")], inventory=str(inventory),
                                                   state=state)).doc
    assert named["declared"][0]["datastore"] == "crm" and named["declared"][0]["declared"]


def test_bulk_mode_streams_each_table_once_and_tells_people_apart(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIISCAN_LOCATE_SALT", "s")
    estate.fill_customers(f"sqlite:///{tmp_path / 'crm.sqlite'}")
    people = [build_person("person 1", {"email": "taro.yamada@example.jp", "birth_date": "1985-04-12"})]
    people += [build_person(f"person {i + 2}", {"email": estate.filler(i)["email"].upper()}) for i in range(0, 30)]
    doc = locate_request(people, LocateOptions(targets=[str(tmp_path / "crm.sqlite")],
                                               state=str(tmp_path / "state.db"))).doc
    customers = next(s for s in doc["sources"] if s.get("table") == "customers")
    assert customers["mode"] == "stream"
    found = {(m["person"], m["row_key"]["row"]) for m in doc["matches"]}
    assert ("person 1", 41) in found  # id 1001 is the 41st row read
    assert {p for p, _ in found} == {p.label for p in people}
    assert all(row == int(p.split()[1]) - 1 for p, row in found if p != "person 1")


def test_a_file_read_in_part_ends_partial_and_still_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIISCAN_LOCATE_SALT", "s")
    log = tmp_path / "bad.log"
    log.write_bytes(b"INFO email=taro.yamada@example.jp ok\nbad \xff\xfe byte line\n")
    person = build_person("person 1", {"email": "taro.yamada@example.jp"})
    doc = locate_request([person], LocateOptions(targets=[str(log)], state=str(tmp_path / "s.db"))).doc
    assert [s["status"] for s in doc["sources"]] == ["partial"]
    assert [m["line"] for m in doc["matches"]] == [1]
