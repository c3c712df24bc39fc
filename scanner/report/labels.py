"""Every word a report prints, in Japanese and English, in one place.

Reviewers are Japanese, so `ja` is the default where the locale is Japanese
(see `default_language`). Codes from the result (severity, violation kind,
status, category) are translated here; entity types are labelled by their
recognizers (`recognizers.registry`, from each recognizer's `SPEC`), so a new
identifier brings its own labels. A code nobody knows is printed as it is, so a
new policy category never breaks a report, it only shows untranslated until a
label is added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("ja", "en")


STATUS_ORDER = ("new", "open", "fixed", "accepted", "false_positive", "remediated")

LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "text": {
            "title": "Personal data scan report",
            "generated": "Generated",
            "targets": "Targets",
            "run": "Run",
            "previous_run": "Previous run",
            "started": "Started",
            "finished": "Finished",
            "tool": "Tool",
            "schema": "Result schema",
            "summary": "Summary",
            "violations": "Violations",
            "findings": "Findings",
            "errors": "Errors",
            "impact": "Breach impact by datastore",
            "since_last_run": "Since the last run",
            "no_history": "No earlier run to compare with: this is the first run with history.",
            "by_severity": "Violations by severity",
            "by_category": "Violations by data category",
            "by_datastore": "Violations by datastore",
            "card_violations": "Violations",
            "card_critical": "Critical",
            "card_high": "High",
            "card_findings": "Findings",
            "card_datastores": "Datastores with violations",
            "card_reportable": "Reportable if leaked",
            "card_people": "Most people in one store (est.)",
            "card_errors": "Sources not read",
            "stats": "Scan statistics",
            "stat_datasets": "Datasets",
            "stat_files": "Files scanned",
            "stat_binary": "Binary files skipped",
            "stat_rows": "Rows scanned",
            "stat_cells": "Cells scanned",
            "stat_bytes": "Bytes read",
            "stat_seconds": "Seconds",
            "filter": "Filter",
            "filter_placeholder": "Type to filter (datastore, field, type…)",
            "all": "All",
            "rows_shown": "rows shown",
            "none": "None.",
            "no_violations": "No violations: every finding is permitted by the policy.",
            "reportable_yes": "Reportable",
            "reportable_no": "Not reportable",
            "count_estimated_yes": "Estimated",
            "count_estimated_no": "Exact",
            "masked_note": "All evidence in this report is masked. No full card number, passport number "
            "or My Number is ever shown.",
            "sort_hint": "Click a column heading to sort.",
            "more": "more",
            "top_violations": "Most severe violations",
            "full_report": "Full report",
            "and_more": "and {n} more",
            "print": "Print / PDF",
            "contents": "Contents",
        },
        "columns": {
            "severity": "Severity",
            "status": "Status",
            "kind": "Violation",
            "datastore": "Datastore",
            "table": "Table / sheet",
            "field": "Field",
            "entity_type": "Data type",
            "category": "Category",
            "count": "Count",
            "evidence": "Evidence (masked)",
            "clause": "Policy clause",
            "remediation": "Remediation",
            "fingerprint": "Fingerprint",
            "location": "Location",
            "data": "Data",
            "position": "Lines / rows",
            "source": "Source",
            "lines": "Lines",
            "rows": "Rows",
            "sampled": "Values examined",
            "rows_scanned": "Rows scanned",
            "count_estimated": "Count estimated",
            "confidence": "Confidence",
            "method": "Method",
            "examples": "Examples (masked)",
            "why": "Why found",
            "categories": "Categories",
            "people_estimate": "People (est.)",
            "reportable": "Reportable",
            "reasons": "Why",
            "owner": "Owner",
            "message": "Message",
            "error_kind": "Kind",
            "item": "Item",
            "value": "Value",
        },
        "severity": {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"},
        "status": {
            "new": "New",
            "open": "Open",
            "fixed": "Fixed",
            "accepted": "Accepted",
            "false_positive": "False positive",
            "remediated": "Remediated",
        },
        "kind": {
            "purpose_not_permitted": "Purpose not permitted",
            "prohibited_data": "Prohibited data",
            "clear_pan": "Card number in clear",
            "retention_exceeded": "Retention exceeded",
            "shadow_data": "Shadow data (not in inventory)",
            "recipient_excess": "Shared beyond permitted recipients",
        },
        "remediation": {
            "purpose_not_permitted": "Stop using this data for this purpose, or record the purpose and "
            "the customer's consent in the inventory.",
            "prohibited_data": "Delete the data, or move it to an approved store with access control.",
            "clear_pan": "Remove or tokenise the card numbers now (PCI DSS 3.4); never keep CVV or track data.",
            "retention_exceeded": "Delete or anonymise records older than the retention period.",
            "shadow_data": "Register this store in the inventory with an owner and purpose, or delete it.",
            "recipient_excess": "Stop sharing with this recipient, or list it in the policy and notify customers.",
        },
        "error_kind": {
            "read_error": "Read error",
            "encoding": "Encoding",
            "corrupt": "Corrupt",
            "connection": "Connection",
            "skipped": "Skipped",
            "retention": "Retention check",
        },
        "category": {
            "identity": "Identity",
            "contact": "Contact details",
            "passport": "Passport",
            "membership": "JMB membership",
            "payment_card": "Payment card",
            "payment_card_masked": "Masked card number",
            "card_security_data": "Card security data",
            "travel_details": "Travel details",
            "special_care": "Special-care (sensitive)",
            "national_id": "My Number",
        },
    },
    "ja": {
        "text": {
            "title": "個人情報スキャン報告書",
            "generated": "作成日時",
            "targets": "対象",
            "run": "実行",
            "previous_run": "前回の実行",
            "started": "開始",
            "finished": "終了",
            "tool": "ツール",
            "schema": "結果スキーマ",
            "summary": "概要",
            "violations": "違反",
            "findings": "検出",
            "errors": "エラー",
            "impact": "データストア別の漏えい影響",
            "since_last_run": "前回からの変化",
            "no_history": "比較できる前回の実行がありません(履歴のある初回の実行です)。",
            "by_severity": "重大度別の違反",
            "by_category": "データ区分別の違反",
            "by_datastore": "データストア別の違反",
            "card_violations": "違反",
            "card_critical": "重大",
            "card_high": "高",
            "card_findings": "検出",
            "card_datastores": "違反のあるデータストア",
            "card_reportable": "漏えい時に報告対象",
            "card_people": "1データストアの最大人数(推定)",
            "card_errors": "読めなかったソース",
            "stats": "スキャン統計",
            "stat_datasets": "データセット",
            "stat_files": "スキャンしたファイル",
            "stat_binary": "スキップしたバイナリ",
            "stat_rows": "スキャンした行",
            "stat_cells": "スキャンしたセル",
            "stat_bytes": "読み込んだバイト",
            "stat_seconds": "秒",
            "filter": "絞り込み",
            "filter_placeholder": "入力して絞り込み(データストア、項目、種別…)",
            "all": "すべて",
            "rows_shown": "行を表示",
            "none": "なし。",
            "no_violations": "違反はありません。すべての検出はポリシーで許可されています。",
            "reportable_yes": "報告対象",
            "reportable_no": "報告対象外",
            "count_estimated_yes": "推定",
            "count_estimated_no": "実数",
            "masked_note": "本報告書の証跡はすべてマスク済みです。カード番号、旅券番号、マイナンバーの"
            "完全な値は表示されません。",
            "sort_hint": "列見出しをクリックすると並べ替えます。",
            "more": "件以上",
            "top_violations": "重大度の高い違反",
            "full_report": "詳細な報告書",
            "and_more": "ほか {n} 件",
            "print": "印刷 / PDF",
            "contents": "目次",
        },
        "columns": {
            "severity": "重大度",
            "status": "状態",
            "kind": "違反の種類",
            "datastore": "データストア",
            "table": "テーブル / シート",
            "field": "項目",
            "entity_type": "データ種別",
            "category": "区分",
            "count": "件数",
            "evidence": "証跡(マスク済み)",
            "clause": "ポリシー条項",
            "remediation": "是正措置",
            "fingerprint": "識別子",
            "location": "場所",
            "data": "データ",
            "position": "行",
            "source": "ソース",
            "lines": "行番号",
            "rows": "行位置(表)",
            "sampled": "確認した値",
            "rows_scanned": "スキャンした行",
            "count_estimated": "件数は推定",
            "confidence": "確度",
            "method": "方法",
            "examples": "例(マスク済み)",
            "why": "検出の根拠",
            "categories": "区分",
            "people_estimate": "人数(推定)",
            "reportable": "報告対象",
            "reasons": "理由",
            "owner": "管理者",
            "message": "メッセージ",
            "error_kind": "種類",
            "item": "項目",
            "value": "値",
        },
        "severity": {"critical": "重大", "high": "高", "medium": "中", "low": "低"},
        "status": {
            "new": "新規",
            "open": "未対応",
            "fixed": "解消",
            "accepted": "許容",
            "false_positive": "誤検知",
            "remediated": "是正済み",
        },
        "kind": {
            "purpose_not_permitted": "目的外利用",
            "prohibited_data": "保持禁止データ",
            "clear_pan": "カード番号の平文保存",
            "retention_exceeded": "保存期間超過",
            "shadow_data": "未登録データ(シャドーデータ)",
            "recipient_excess": "許可範囲外への提供",
        },
        "remediation": {
            "purpose_not_permitted": "この目的での利用を止めるか、目的と本人の同意を台帳に記録してください。",
            "prohibited_data": "データを削除するか、アクセス制御のある承認済みの保存先へ移してください。",
            "clear_pan": "カード番号を直ちに削除またはトークン化してください(PCI DSS 3.4)。"
            "セキュリティコードや磁気ストライプ情報は保持しないでください。",
            "retention_exceeded": "保存期間を過ぎた記録を削除または匿名化してください。",
            "shadow_data": "管理者と利用目的を決めて台帳に登録するか、削除してください。",
            "recipient_excess": "この提供先への提供を止めるか、ポリシーに記載して本人に通知してください。",
        },
        "error_kind": {
            "read_error": "読み込みエラー",
            "encoding": "文字コード",
            "corrupt": "破損",
            "connection": "接続",
            "skipped": "スキップ",
            "retention": "保存期間の確認",
        },
        "category": {
            "identity": "本人特定情報",
            "contact": "連絡先",
            "passport": "旅券",
            "membership": "JMB会員情報",
            "payment_card": "カード情報",
            "payment_card_masked": "マスク済みカード番号",
            "card_security_data": "カードセキュリティ情報",
            "travel_details": "旅行内容",
            "special_care": "要配慮個人情報",
            "national_id": "マイナンバー",
        },
    },
}

_LOCALE_VARIABLES = ("PIISCAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def default_language(environ: dict[str, str] | None = None) -> str:
    """'ja' when the first locale variable that is set names Japanese, else 'en'.

    Variables are read in POSIX precedence (LC_ALL, LC_MESSAGES, LANG), after
    PIISCAN_LANG so a nightly job whose LANG is C can still ask for Japanese.
    """
    env = os.environ if environ is None else environ
    for name in _LOCALE_VARIABLES:
        value = (env.get(name) or "").strip()
        if not value:
            continue
        first = value.split(":")[0].lower()  # LANGUAGE is a colon-separated list
        return "ja" if first.startswith(("ja", "japanese")) else "en"
    return "en"


@dataclass(frozen=True)
class Labels:
    """The words of one language, with lookups that fall back to the raw code."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LABELS:
            raise ValueError(f"unknown report language {self.lang!r}; choose one of {', '.join(LANGUAGES)}")

    def _table(self, group: str) -> dict[str, str]:
        return LABELS[self.lang][group]

    def text(self, key: str, **values: Any) -> str:
        return self._table("text")[key].format(**values)

    def column(self, key: str) -> str:
        return self._table("columns")[key]

    def code(self, group: str, code: str | None) -> str:
        """Label of `code` in `group` (severity, status, kind, entity, category, error_kind...)."""
        if code is None or code == "":
            return ""
        if group == ENTITY_GROUP:
            return entity_label(code, self.lang)
        return self._table(group).get(code, code)

    def as_dict(self) -> dict[str, Any]:
        return {**LABELS[self.lang], ENTITY_GROUP: entity_labels(self.lang)}


ENTITY_GROUP = "entity"


def entity_label(entity_type: str, lang: str) -> str:
    """What reports call `entity_type` in `lang`, as its recognizer declares it (else the code)."""
    from recognizers.registry import label  # lazy: the registry loads every recognizer

    return label(entity_type, lang) or entity_type


def entity_labels(lang: str) -> dict[str, str]:
    """Every known entity type's label in `lang`."""
    from recognizers.registry import entity_types

    return {entity: entity_label(entity, lang) for entity in entity_types()}
