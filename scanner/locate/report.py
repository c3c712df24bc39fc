"""The answer to a data-subject request: JSON, and a text or HTML report in Japanese or English.

The JSON is for tools (`matches`, `people`, `declared`, `sources`); the report is
for the person handling the request (§3 of the privacy policy: disclosure,
correction, deletion, stopping use): where the person's data is, how sure each
match is, the other personal fields beside it (masked), and what each store is
declared for and how long it may keep the data. Neither holds an identifier in
clear: matches name fields and row keys, values are masked.
"""

from __future__ import annotations

import html
from typing import Any

from scanner.locate.identifiers import Person
from scanner.locate.search import LocateResult, person_summary

LOCATE_SCHEMA_VERSION = "1.0"

TEXT = {
    "en": {
        "title": "piiscan locate: where this person's data is held",
        "person": "Person", "strength": "strongest match", "matches": "matches", "places": "places",
        "lookalikes": "rows of people with the same name but other identifiers (not listed)",
        "none": "No match found.", "where": "Source", "field": "Field", "row": "Row / line",
        "how": "Match", "others": "Other personal fields (masked)", "declared": "Declared use",
        "purposes": "purposes", "recipient": "recipient", "retention": "retention",
        "undeclared": "NOT in the inventory (shadow copy)", "days": "days from",
        "sources": "Sources searched", "failed": "could not be searched",
        "strong": "strong (two identifiers agree)", "medium": "medium (one unique identifier)",
        "weak": "weak (name only: confirm before acting)",
        "exact": "exact", "normalised": "other spelling",
        "note": "Policy §3: confirm the requester's identity, then disclose, correct, delete or stop use "
                "in every place listed, including shadow copies.",
    },
    "ja": {
        "title": "piiscan locate: 本人のデータの保管場所",
        "person": "対象者", "strength": "最も強い一致", "matches": "一致", "places": "保管場所",
        "lookalikes": "同姓同名だが他の識別子が異なる行(別人として除外・非表示)",
        "none": "一致はありません。", "where": "保管場所", "field": "項目", "row": "行・キー",
        "how": "一致", "others": "同じ行の他の個人データ(マスク済み)", "declared": "申告された利用",
        "purposes": "利用目的", "recipient": "提供先", "retention": "保存期間",
        "undeclared": "台帳に無い(シャドーコピー)", "days": "日(起算:",
        "sources": "検索した保管場所", "failed": "検索できませんでした",
        "strong": "強(2つの識別子が一致)", "medium": "中(一意の識別子1つ)",
        "weak": "弱(氏名のみ:対応前に確認してください)",
        "exact": "完全一致", "normalised": "表記ゆれ",
        "note": "プライバシーポリシー第3項: 本人確認の上、シャドーコピーを含む上記すべての場所で開示・訂正・削除・利用停止を行ってください。",
    },
}


def build_document(people: list[Person], result: LocateResult, *, hashes: dict[str, list[str]],
                   salt_id: str, started_at: str, finished_at: str) -> dict[str, Any]:
    """The published JSON: matches carry the person's label, never an identifier."""
    from scanner import __version__

    matches = []
    for m in result.matches:
        entry = {k: v for k, v in m.items() if k != "person"}
        entry["person"] = people[m["person"]].label
        matches.append(entry)
    summary = person_summary(people, result)
    for item in summary:
        item["identifier_hashes"] = hashes.get(item["person"], [])
    return {
        "schema_version": LOCATE_SCHEMA_VERSION,
        "tool": {"name": "piiscan", "version": __version__},
        "started_at": started_at, "finished_at": finished_at,
        "targets": result.targets,
        "plan": result.plan_origin,
        "salt_id": salt_id,
        "people": summary,
        "person_strength": summary[0]["strength"] if len(summary) == 1 else None,
        "matches": matches,
        "declared": result.declared,
        "sources": result.sources,
    }


def _row(match: dict[str, Any]) -> str:
    if match.get("line") is not None:
        return f"line {match['line']}"
    key = match.get("row_key") or {}
    return ", ".join(f"{k}={v}" for k, v in key.items()) or "-"


def render_text(doc: dict[str, Any], lang: str = "en") -> str:
    t = TEXT.get(lang, TEXT["en"])
    out = [t["title"], "=" * len(t["title"]), ""]
    declared = {(d["source"], d.get("table")): d for d in doc.get("declared", [])}
    for person in doc["people"]:
        strength = t.get(person["strength"] or "", "-")
        out.append(f"{t['person']}: {person['person']}  ({', '.join(person['identifier_kinds'])})")
        out.append(f"  {t['strength']}: {strength}; {t['matches']}: {person['matches']}; {t['places']}: {person['places']}")
        if person.get("lookalikes_excluded"):
            out.append(f"  {t['lookalikes']}: {person['lookalikes_excluded']}")
        mine = [m for m in doc["matches"] if m["person"] == person["person"]]
        if not mine:
            out.append(f"  {t['none']}")
        for place in dict.fromkeys((m["source"], m.get("table")) for m in mine):
            where = place[0] + (f" [{place[1]}]" if place[1] else "")
            out.append(f"  - {t['where']}: {where}")
            d = declared.get(place)
            if d and d.get("declared"):
                out.append(f"    {t['declared']}: {t['purposes']}={', '.join(d['purposes']) or '-'}"
                           + (f"; {t['recipient']}={d['recipient']}" if d.get("recipient") else ""))
                for r in d.get("retention", []):
                    out.append(f"    {t['retention']}: {r['category']} {r['days']} {t['days']} "
                               f"{r['column'] or r['runs_from']}) - {r['clause']}")
            else:
                out.append(f"    {t['declared']}: {t['undeclared']}")
            for m in (m for m in mine if (m["source"], m.get("table")) == place):
                others = ", ".join(f"{k}={v}" for k, v in (m.get("other_fields") or {}).items())
                out.append(f"    {t['field']}: {m.get('field') or '(text)'}  {t['row']}: {_row(m)}  "
                           f"{m['entity_type']}  {t['how']}: {t[m['match']]}  {t.get(m['strength'], m['strength'])}")
                if others:
                    out.append(f"      {t['others']}: {others}")
        out.append("")
    failed = [s for s in doc.get("sources", []) if s.get("status") == "failed"]
    out.append(f"{t['sources']}: {sum(1 for s in doc.get('sources', []) if s.get('status') in ('searched', 'partial'))}")
    for s in failed:
        out.append(f"  ! {s['source']}{' [' + s['table'] + ']' if s.get('table') else ''}: {t['failed']} ({s.get('reason')})")
    out += ["", t["note"]]
    return "\n".join(out)


def render_html(doc: dict[str, Any], lang: str = "en") -> str:
    """The report as a self-contained HTML page: one table per person, every value escaped."""
    t = TEXT.get(lang, TEXT["en"])
    e = html.escape
    declared = {(d["source"], d.get("table")): d for d in doc.get("declared", [])}
    parts = [f"<!doctype html><html lang=\"{e(lang)}\"><head><meta charset=\"utf-8\"><title>{e(t['title'])}</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}"
             "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
             ".weak{color:#a15c00}.strong{color:#1a7f37}.shadow{color:#b00020;font-weight:bold}</style></head><body>",
             f"<h1>{e(t['title'])}</h1>"]
    for person in doc["people"]:
        parts.append(f"<h2>{e(t['person'])}: {e(person['person'])} ({e(', '.join(person['identifier_kinds']))})</h2>")
        parts.append(f"<p>{e(t['strength'])}: <b class=\"{e(person['strength'] or '')}\">"
                     f"{e(t.get(person['strength'] or '', '-'))}</b>; {e(t['matches'])}: {person['matches']}; "
                     f"{e(t['places'])}: {person['places']}</p>")
        if person.get("lookalikes_excluded"):
            parts.append(f"<p>{e(t['lookalikes'])}: {person['lookalikes_excluded']}</p>")
        mine = [m for m in doc["matches"] if m["person"] == person["person"]]
        if not mine:
            parts.append(f"<p>{e(t['none'])}</p>")
            continue
        parts.append(f"<table><tr><th>{e(t['where'])}</th><th>{e(t['declared'])}</th><th>{e(t['field'])}</th>"
                     f"<th>{e(t['row'])}</th><th>{e(t['how'])}</th><th>{e(t['strength'])}</th>"
                     f"<th>{e(t['others'])}</th></tr>")
        for m in mine:
            place = (m["source"], m.get("table"))
            d = declared.get(place) or {}
            use = (f"{e(t['purposes'])}: {e(', '.join(d.get('purposes') or []))}" if d.get("declared")
                   else f"<span class=\"shadow\">{e(t['undeclared'])}</span>")
            for r in d.get("retention", []) if d.get("declared") else []:
                use += f"<br>{e(t['retention'])}: {e(r['category'])} {r['days']} {e(t['days'])} " \
                       f"{e(str(r['column'] or r['runs_from']))})"
            others = "<br>".join(f"{e(k)}={e(str(v))}" for k, v in (m.get("other_fields") or {}).items())
            where = m["source"] + (f" [{m['table']}]" if m.get("table") else "")
            parts.append(f"<tr><td>{e(where)}</td><td>{use}</td><td>{e(m.get('field') or '(text)')}<br>"
                         f"{e(m['entity_type'])}</td><td>{e(_row(m))}</td><td>{e(t[m['match']])}</td>"
                         f"<td class=\"{e(m['strength'])}\">{e(t.get(m['strength'], m['strength']))}</td>"
                         f"<td>{others}</td></tr>")
        parts.append("</table>")
    failed = [s for s in doc.get("sources", []) if s.get("status") == "failed"]
    if failed:
        parts.append("<ul>" + "".join(f"<li>{e(s['source'])}: {e(t['failed'])} ({e(str(s.get('reason')))})</li>"
                                      for s in failed) + "</ul>")
    parts.append(f"<p>{e(t['note'])}</p></body></html>\n")
    return "\n".join(parts)


def render_table(doc: dict[str, Any], lang: str = "en") -> str:
    return render_text(doc, lang)
