"""Identifier normalisation, parsing, row rules and the CLI (no database server needed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from scanner.locate import normalise as norm
from scanner.locate.identifiers import IdentifierError, build_person, parse_people, people_from
from scanner.locate.matching import Matcher, strength_of

KEY_VECTORS = [
    ("phone", "090-1234-5678", "09012345678"),
    ("phone", "０９０－１２３４－５６７８", "09012345678"),
    ("phone", "+81 90-1234-5678", "09012345678"),
    ("phone", "819012345678", "09012345678"),
    ("phone", "(03)1234-5678", "0312345678"),
    ("email", " Taro.Yamada@Example.JP ", "taro.yamada@example.jp"),
    ("email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
    ("passport", "tk 1234567", "TK1234567"),
    ("jmb", "00-1234567", "1234567"),
    ("my_number", "1234 5678 9012", "123456789012"),
    ("card_last4", "4111 11** **** 1111", "1111"),
    ("birth_date", "昭和60年4月12日", "1985-04-12"),
    ("birth_date", "S60.4.12", "1985-04-12"),
    ("birth_date", "１９８５／０４／１２", "1985-04-12"),
    ("birth_date", "19850412", "1985-04-12"),
    ("birth_date", "1985-04-12 00:00:00", "1985-04-12"),
    ("name", "山田　太郎", "山田太郎"),
    ("name", "髙橋", "高橋"),
    ("name", "ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう"),
    ("name", "YAMADA/TAROU", "yamadataro"),
    ("name", "Yamada Tarō", "yamadataro"),
    ("name", "Yamada Taroh", "yamadataro"),
    ("name", "Syuiti", norm.fold_name("Shuichi")),
    ("name", "Homma", norm.fold_name("Honma")),
]


@pytest.mark.parametrize(("kind", "value", "expected"), KEY_VECTORS)
def test_keys(kind: str, value: str, expected: str) -> None:
    assert norm.key(kind, value) == expected


@pytest.mark.parametrize(("kind", "value"), [("phone", "12"), ("email", "no-at-sign"), ("birth_date", "2099-01-01"),
                                             ("my_number", "123"), ("passport", "!!")])
def test_not_a_value(kind: str, value: str) -> None:
    assert norm.key(kind, value) is None


@given(st.text(alphabet="0123456789-() +", max_size=20))
def test_phone_key_is_idempotent(text: str) -> None:
    k = norm.phone_key(text)
    assert k is None or norm.phone_key(k) == k


@given(st.text(max_size=30))
def test_name_fold_is_idempotent(text: str) -> None:
    folded = norm.fold_name(text)
    assert norm.fold_name(folded) == folded or not norm.is_latin(folded)


def test_every_spelling_of_an_identifier_has_its_key() -> None:
    person = build_person("p", {"phone": "090-1234-5678", "birth_date": "1985-04-12", "jmb": "1234567"})
    for kind in ("phone", "birth_date", "jmb"):
        spellings = person.spellings(kind)
        assert len(spellings) > 3
        assert {norm.key(kind, s) for s in spellings} == set(person.keys[kind]), kind


def test_name_forms_cover_scripts() -> None:
    person = build_person("p", {"name": "山田 太郎"})  # no kana given: readings from the name lists
    full = person.keys["name"]
    for spelling in ("山田太郎", "やまだたろう", "ヤマダ タロウ", "Taro Yamada", "YAMADA TAROU"):
        assert norm.fold_name(spelling) in full, spelling


def test_parse_people_formats() -> None:
    as_json = parse_people(json.dumps([{"email": "a@example.jp"}, {"name": "山田 太郎", "birth-date": "1985-04-12"}]))
    as_lines = parse_people('{"email": "a@example.jp"}\n{"phone": "0312345678"}\n')
    as_csv = parse_people("email,phone\na@example.jp,03-1234-5678\nb@example.jp,\n")
    as_yaml = parse_people("people:\n  - email: a@example.jp\n  - kana: ヤマダ タロウ\n")
    assert [len(x) for x in (as_json, as_lines, as_csv, as_yaml)] == [2, 2, 2, 2]
    people = people_from({"email": ("c@example.jp",)}, json.dumps(as_json))
    assert [p.label for p in people] == ["person 1", "person 2", "person 3"]


def test_errors_never_quote_the_value() -> None:
    with pytest.raises(IdentifierError) as info:
        build_person("person 1", {"my_number": "98765"})
    assert "98765" not in str(info.value)
    with pytest.raises(IdentifierError):
        build_person("person 1", {"shoe_size": "27"})
    assert "yamada" not in repr(build_person("p", {"email": "yamada@example.jp"}))


FIELDS = {"family": ["name"], "given": ["name"], "dob": ["birth_date"], "mail": ["email"], "tel": ["phone"]}


@pytest.mark.parametrize(("row", "expected"), [
    ({"family": "山田", "given": "太郎", "dob": "1985/04/12"}, "strong"),
    ({"family": "山田", "given": "太郎"}, "weak"),
    ({"family": "山田", "given": "太郎", "dob": "1990-01-01"}, None),  # look-alike
    ({"family": "山田", "given": "太郎", "mail": "other@example.jp"}, None),  # look-alike with another e-mail
    ({"mail": "TARO.YAMADA@example.jp"}, "medium"),
    ({"family": "山田", "mail": "taro.yamada@example.jp", "tel": "+81 90 1234 5678"}, "strong"),
    ({"dob": "1985-04-12"}, None),  # a birth date alone is not reported
    ({"family": "山田"}, None),  # a surname alone is not a name
])
def test_row_rules(row: dict, expected: str | None) -> None:
    person = build_person("p", {"name": "山田 太郎", "email": "taro.yamada@example.jp", "phone": "09012345678",
                                "birth_date": "1985-04-12"})
    verdicts = Matcher([person], b"salt").row(row, FIELDS)
    assert (verdicts[0].strength if verdicts else None) == expected


def test_strength_table() -> None:
    assert strength_of({"email"}) == "medium"
    assert strength_of({"name", "birth_date"}) == "strong"
    assert strength_of({"name"}) == "weak"
    assert strength_of({"card_last4"}) is None


def test_bulk_matcher_tells_people_apart() -> None:
    people = [build_person(f"person {i}", {"email": f"user{i}@example.jp"}) for i in range(1, 301)]
    matcher = Matcher(people, b"salt")
    verdicts = matcher.row({"mail": "USER123@example.jp"}, {"mail": ["email"]})
    assert [v.person for v in verdicts] == [122]
    assert matcher.hashes(people[0]) != Matcher(people[:1], b"other salt").hashes(people[0])


def test_text_line_with_other_birth_date_is_not_the_person() -> None:
    person = build_person("p", {"name": "山田 太郎", "birth_date": "1985-04-12"})
    matcher = Matcher([person], b"salt")
    assert matcher.line_verdicts("予約: 山田太郎様 生年月日 昭和60年4月12日", {"name", "birth_date"})[0].strength == "strong"
    assert matcher.line_verdicts("予約: 山田太郎様 生年月日: 1990/01/01", {"name", "birth_date"}) == []


def test_cli_runs_over_a_folder_and_writes_the_audit(tmp_path, monkeypatch) -> None:
    from scanner.locate.audit import audit_records
    from scanner.locate.commands import locate
    from tests.locate import estate

    monkeypatch.delenv("PIISCAN_LOCATE_SALT", raising=False)
    estate.write_files(tmp_path / "files")
    state = tmp_path / "state" / "state.db"
    people = tmp_path / "people.json"
    people.write_text(json.dumps({"email": "taro.yamada@example.jp", "phone": "090-1234-5678"}), encoding="utf-8")
    out = tmp_path / "out.json"
    result = CliRunner().invoke(locate, [str(tmp_path / "files"), "--from-file", str(people), "--state", str(state),
                                         "--format", "json", "-o", str(out), "--actor", "dpo"])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {m["source"] for m in doc["matches"]} == {"app.log", "app_events.jsonl", "duty_free.csv"}
    salt_file = state.parent / "locate.salt"
    assert salt_file.exists() and (salt_file.stat().st_mode & 0o777) == 0o600
    assert len(audit_records(str(state))) == 1
    for lang in ("ja", "en"):
        text = CliRunner().invoke(locate, [str(tmp_path / "files"), "--email", "taro.yamada@example.jp",
                                           "--state", str(state), "--lang", lang])
        assert text.exit_code == 0 and "app.log" in text.output
        assert "taro.yamada" not in text.output
    assert len(audit_records(str(state))) == 3


def test_plan_searches_only_classified_fields() -> None:
    from scanner.locate.identifiers import entity_types
    from scanner.locate.plan import plan_from_findings

    email, person, dob = entity_types()["email"][0], entity_types()["name"][0], entity_types()["birth_date"][0]
    findings = [{"entity_type": email, "field": "mail", "method": "column"},
                {"entity_type": person, "field": "body", "method": "value"},
                {"entity_type": dob, "field": "dob", "method": "column"},
                {"entity_type": email, "field": None, "method": "text"}]
    plan = plan_from_findings(findings, {"email", "name"}, "state")
    assert plan.fields == {"mail": {"email"}}
    assert plan.text_fields == {"body": {"name"}}
    assert plan.text_kinds == {"email"}
    assert plan.personal == {"mail": email, "body": person, "dob": dob} and plan.free_text == {"body"}
    assert not plan_from_findings(findings[2:3], {"email"}, "scan").searchable


def test_html_report_escapes_and_holds_no_identifier(tmp_path, monkeypatch) -> None:
    from scanner.locate.commands import locate
    from tests.locate import estate

    monkeypatch.setenv("PIISCAN_LOCATE_SALT", "s")
    estate.write_files(tmp_path / "files")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(locate, [str(tmp_path / "files"), "--email", "taro.yamada@example.jp", "--format", "html",
                                         "-o", str(out), "--state", str(tmp_path / "s.db"), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "app.log" in page and "taro.yamada" not in page


SPELLED = [  # (field kind, cell): every spelling the rules accept must pass the Arrow screen
    ("email", "TARO.YAMADA@EXAMPLE.JP"), ("email", "ｔａｒｏ.ｙａｍａｄａ＠ｅｘａｍｐｌｅ.ｊｐ"),
    ("phone", "０９０－１２３４－５６７８"), ("phone", "+81 (90) 1234-5678"), ("phone", "090 1234 5678"),
    ("phone", "819012345678"), ("birth_date", "昭和60年4月12日"), ("birth_date", "1985/4/12"),
    ("birth_date", "S60.4.12"), ("birth_date", "１９８５－０４－１２"), ("birth_date", "1985-04-12 00:00:00"),
    ("name", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("name", "やまだ　たろう"), ("name", "YAMADA TAROU"), ("name", "Taro Yamada"),
    ("name", "山田・太郎"), ("passport", "tk1234567"), ("passport", "TK-1234567"),
]


@pytest.mark.parametrize(("kind", "cell"), SPELLED)
def test_screen_never_misses_what_the_rules_accept(kind: str, cell: str) -> None:
    import pyarrow as pa

    from scanner.locate.prefilter import Prefilter

    person = build_person("p", {"name": "山田 太郎", "kana": "ヤマダ タロウ", "email": "taro.yamada@example.jp",
                                "phone": "090-1234-5678", "birth_date": "1985-04-12", "passport": "TK1234567"})
    assert Matcher([person], b"s").lookup(kind, cell), "the rules accept it"
    screen = Prefilter([person])
    batch = pa.RecordBatch.from_pydict({"f": ["other", cell, None]})
    assert list(screen.rows(batch, {"f": {kind}}, {})) == [1]
    found_in_text = Matcher([person], b"s").text(f"x {cell} y", {kind})
    assert list(screen.text_mask(pa.array([f"x {cell} y", "nothing here"]))) == [bool(found_in_text), False]


def test_a_kind_not_given_never_contradicts() -> None:
    person = build_person("p", {"email": "taro.yamada@example.jp"})
    verdicts = Matcher([person], b"s").row({"mail": "taro.yamada@example.jp", "dob": "1990-01-01", "tel": "0312345678"},
                                           {"mail": ["email"], "dob": ["birth_date"], "tel": ["phone"]})
    assert [v.strength for v in verdicts] == ["medium"]


@pytest.mark.parametrize(("typed", "expected"), [
    ("山田太郎", ("山田", "太郎")), ("髙橋一郎", ("髙橋", "一郎")), ("佐々木健太", ("佐々木", "健太")),
    ("ヤマダタロウ", ("ヤマダ", "タロウ")), ("YAMADA/TARO", ("YAMADA", "TARO")), ("Yamada, Taro", ("Yamada", "Taro")),
    ("林", None),
])
def test_split_name(typed: str, expected: tuple[str, str] | None) -> None:
    from scanner.locate.identifiers import split_name

    assert split_name(typed) == expected
