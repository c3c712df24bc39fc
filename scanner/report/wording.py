"""Report wording that is not a label of a code: impact grounds and the sources section, in ja and en.

The policy engine publishes why a leak would be reportable as codes
(`Impact.grounds`: special_care, financial, people) beside English sentences,
so a Japanese report words each ground here instead of printing the English.
The sources section (how every file, sheet or table the scan met ended) has
its own small vocabulary: statuses and the reason codes sources report
(`scanner.sources.base.SourceError.kind`). An unknown code is printed as it is.

Kept apart from `labels` (the code labels every format shares), which is being
reworked so that identifiers carry their own labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

SOURCE_STATUSES = ("scanned", "partial", "skipped", "failed")
NOT_FULLY_SCANNED_ORDER = ("failed", "partial", "skipped")  # most serious first

_GROUNDS: dict[str, dict[str, str]] = {
    "en": {
        "special_care": "special-care-required personal information (Enforcement Rules Art. 7(i))",
        "financial": "data open to financial misuse: {categories} (Enforcement Rules Art. 7(ii))",
        "people": "about {people:,} people, more than {threshold:,} (Enforcement Rules Art. 7(iv))",
    },
    "ja": {
        "special_care": "要配慮個人情報を含む(施行規則第7条第1号)",
        "financial": "財産的被害が生じるおそれのあるデータ: {categories}(施行規則第7条第2号)",
        "people": "本人の数が約{people:,}人で、{threshold:,}人を超える(施行規則第7条第4号)",
    },
}

_SOURCES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "text": {
            "title": "Sources",
            "counts": "Sources by status",
            "not_fully": "Sources not fully scanned",
            "all_scanned": "Every source was scanned in full.",
            "none_met": "The scan met no source.",
        },
        "columns": {
            "source": "Source",
            "table": "Table / sheet",
            "status": "Status",
            "reason": "Reason",
            "detail": "Detail",
            "rows": "Rows read",
            "bytes": "Bytes read",
            "datastore": "Datastore",
            "count": "Count",
        },
        "status": {"scanned": "Scanned", "partial": "Partly scanned", "skipped": "Skipped", "failed": "Failed"},
        "reason": {
            "unsupported": "Unsupported type",
            "binary": "Binary file",
            "too_large": "Too large",
            "permission": "Permission denied",
            "encrypted": "Encrypted",
            "timeout": "Timed out",
            "parse_error": "Parse error",
            "encoding": "Unknown encoding",
            "corrupt": "Corrupt",
            "connection": "Connection failed",
            "budget": "Scan budget reached",
            "not_found": "Not found",
            "missing_extra": "Optional extra not installed",
            "read_error": "Read error",
            "unchanged": "Unchanged since the last run",
        },
    },
    "ja": {
        "text": {
            "title": "ソース",
            "counts": "状態別のソース数",
            "not_fully": "完全にはスキャンできなかったソース",
            "all_scanned": "すべてのソースを完全にスキャンしました。",
            "none_met": "スキャン対象のソースはありませんでした。",
        },
        "columns": {
            "source": "ソース",
            "table": "テーブル / シート",
            "status": "状態",
            "reason": "理由",
            "detail": "詳細",
            "rows": "読んだ行",
            "bytes": "読んだバイト",
            "datastore": "データストア",
            "count": "件数",
        },
        "status": {"scanned": "スキャン済み", "partial": "一部のみ", "skipped": "スキップ", "failed": "失敗"},
        "reason": {
            "unsupported": "未対応の形式",
            "binary": "バイナリファイル",
            "too_large": "サイズ超過",
            "permission": "アクセス権なし",
            "encrypted": "暗号化",
            "timeout": "タイムアウト",
            "parse_error": "解析エラー",
            "encoding": "文字コード不明",
            "corrupt": "破損",
            "connection": "接続失敗",
            "budget": "スキャン上限に到達",
            "not_found": "見つからない",
            "missing_extra": "追加パッケージ未導入",
            "read_error": "読み込みエラー",
            "unchanged": "前回から変更なし",
        },
    },
}


def ground_text(lang: str, code: str, categories: Sequence[str] = (), people: int | None = None,
                threshold: int | None = None, category_label: Callable[[str], str] = str) -> str:
    """One reportability ground in `lang`; categories are shown through `category_label`."""
    template = _GROUNDS[lang].get(code)
    if template is None:
        return code
    separator = "、" if lang == "ja" else ", "
    return template.format(categories=separator.join(category_label(c) for c in categories),
                           people=people or 0, threshold=threshold or 0)


def sources_text(lang: str, key: str) -> str:
    return _SOURCES[lang]["text"][key]


def sources_column(lang: str, key: str) -> str:
    return _SOURCES[lang]["columns"][key]


def source_status(lang: str, code: str | None) -> str:
    return _SOURCES[lang]["status"].get(code or "", code or "")


def source_reason(lang: str, code: str | None) -> str:
    return _SOURCES[lang]["reason"].get(code or "", code or "")
