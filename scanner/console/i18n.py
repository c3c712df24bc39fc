"""The console's words in Japanese and English, on top of the report's labels.

Codes (severity, status, kind, entity, category) and column names come from
`scanner.report.labels`, so the console and the reports say the same thing;
only words the reports never print (login, triage, navigation) live here.
The language is `?lang=ja|en` (remembered in a cookie), else the cookie, else
the browser's Accept-Language, else the server's locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.report.labels import LANGUAGES, Labels, default_language

LANG_COOKIE = "piiscan_lang"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "console": "piiscan review console",
        "login": "Log in",
        "logout": "Log out",
        "username": "User name",
        "password": "Password",
        "login_failed": "Wrong user name or password.",
        "login_limited": "Too many failed logins. Try again later.",
        "runs": "Runs",
        "run": "Run",
        "trend": "Trend",
        "violations": "Violations",
        "findings": "Findings",
        "impact": "Breach impact",
        "datastores": "Datastores",
        "audit": "Audit log",
        "inventory": "Inventory",
        "status": "Status",
        "started": "Started",
        "finished": "Finished",
        "errors": "Sources not read",
        "diff": "Changes since the previous run",
        "previous_run": "Previous run",
        "no_runs": "No complete run in this state store yet. Run `piiscan nightly` first.",
        "filter": "Filter",
        "any": "Any",
        "entity": "Data type",
        "shown": "{n} of {total} shown",
        "details": "Details",
        "why": "Why",
        "evidence": "Evidence (masked)",
        "first_seen": "First seen",
        "last_seen": "Last seen",
        "decision": "Decision",
        "decisions": "History of decisions",
        "observations": "Status in each run",
        "no_decisions": "No decision recorded.",
        "triage": "Decide",
        "triage_status": "Decision",
        "reason": "Reason",
        "until": "Until (inclusive)",
        "submit": "Record decision",
        "by": "By",
        "at": "At",
        "source": "Made in",
        "pending": "Recorded after this run: applies from the next run.",
        "yaml_holds": "The reviewed file {path} holds a decision for this item; it overrides decisions made "
                      "here. Change it there (code review).",
        "yaml_error": "The reviewed triage file {path} cannot be read: {error}",
        "viewer_note": "Your role (viewer) can read but not decide.",
        "recorded": "Decision recorded: it applies from the next nightly run.",
        "by_severity": "Open violations by severity",
        "by_category": "Open violations by data category",
        "no_trend": "Not enough runs for a trend yet.",
        "purposes": "Declared purposes",
        "retention": "Retention",
        "days": "{n} days from {role} ({column})",
        "recipient": "Recipient",
        "no_context": "This run recorded no {what} (runs before the console kept none).",
        "people": "People (est.)",
        "reportable": "Reportable if leaked",
        "yes": "Yes",
        "no": "No",
        "masked_note": "Evidence is masked where it is found; no full value is ever stored or shown.",
        "action": "Action",
        "target": "Target",
        "detail": "Detail",
        "carried": "carried over (source not read this run)",
        "expired": "expired",
        "language": "日本語",
        "api": "API",
        "forbidden": "Your role cannot do this.",
        "not_found": "Not found.",
        "bad_request": "The request is not valid.",
        "csrf": "The form expired or came from elsewhere. Reload the page and try again.",
        "reason_required": "A reason is required.",
        "until_required": "An acceptance needs an expiry date (today or later).",
        "owner": "Owner",
        "table": "Table / file",
    },
    "ja": {
        "console": "piiscan レビューコンソール",
        "login": "ログイン",
        "logout": "ログアウト",
        "username": "ユーザー名",
        "password": "パスワード",
        "login_failed": "ユーザー名またはパスワードが違います。",
        "login_limited": "ログインの失敗が多すぎます。しばらくしてから再度お試しください。",
        "runs": "実行履歴",
        "run": "実行",
        "trend": "推移",
        "violations": "違反",
        "findings": "検出",
        "impact": "漏えい影響",
        "datastores": "データストア",
        "audit": "監査ログ",
        "inventory": "台帳",
        "status": "状態",
        "started": "開始",
        "finished": "終了",
        "errors": "読めなかったソース",
        "diff": "前回の実行からの変化",
        "previous_run": "前回の実行",
        "no_runs": "この状態ストアには完了した実行がまだありません。先に `piiscan nightly` を実行してください。",
        "filter": "絞り込み",
        "any": "すべて",
        "entity": "データ種別",
        "shown": "{total} 件中 {n} 件を表示",
        "details": "詳細",
        "why": "理由",
        "evidence": "証跡(マスク済み)",
        "first_seen": "初回検出",
        "last_seen": "最終検出",
        "decision": "判断",
        "decisions": "判断の履歴",
        "observations": "実行ごとの状態",
        "no_decisions": "判断は記録されていません。",
        "triage": "判断する",
        "triage_status": "判断",
        "reason": "理由",
        "until": "期限(当日を含む)",
        "submit": "判断を記録",
        "by": "判断者",
        "at": "日時",
        "source": "記録元",
        "pending": "この実行の後に記録されました。次回の実行から反映されます。",
        "yaml_holds": "レビュー済みファイル {path} にこの項目の判断があり、ここでの判断より優先されます。"
                      "変更はそのファイルで(コードレビューを経て)行ってください。",
        "yaml_error": "レビュー済みのトリアージファイル {path} を読めません: {error}",
        "viewer_note": "閲覧者の権限では判断できません(閲覧のみ)。",
        "recorded": "判断を記録しました。次回の夜間実行から反映されます。",
        "by_severity": "重大度別の未対応の違反",
        "by_category": "データ区分別の未対応の違反",
        "no_trend": "推移を表示するには実行がまだ足りません。",
        "purposes": "利用目的",
        "retention": "保存期間",
        "days": "{role}({column})から {n} 日",
        "recipient": "提供先",
        "no_context": "この実行には{what}の記録がありません(コンソール導入前の実行)。",
        "people": "人数(推定)",
        "reportable": "漏えい時に報告対象",
        "yes": "はい",
        "no": "いいえ",
        "masked_note": "証跡は検出時にマスクされています。完全な値は保存も表示もされません。",
        "action": "操作",
        "target": "対象",
        "detail": "内容",
        "carried": "前回から引継ぎ(今回ソースを読めず)",
        "expired": "期限切れ",
        "language": "English",
        "api": "API",
        "forbidden": "この操作を行う権限がありません。",
        "not_found": "見つかりません。",
        "bad_request": "リクエストが正しくありません。",
        "csrf": "フォームの有効期限が切れたか、別のサイトから送信されました。ページを再読み込みしてください。",
        "reason_required": "理由を入力してください。",
        "until_required": "許容には期限(今日以降の日付)が必要です。",
        "owner": "管理者",
        "table": "テーブル / ファイル",
    },
}


@dataclass(frozen=True)
class ConsoleLabels:
    """The report's Labels plus the console's words, in one language."""

    lang: str

    @property
    def report(self) -> Labels:
        return Labels(self.lang)

    def __call__(self, key: str, **values: Any) -> str:
        return WORDS[self.lang][key].format(**values)

    def code(self, group: str, code: str | None) -> str:
        return self.report.code(group, code)

    def column(self, key: str) -> str:
        return self.report.column(key)

    @property
    def other(self) -> str:
        return "en" if self.lang == "ja" else "ja"


def pick_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    if accept_language:
        first = accept_language.split(",")[0].strip().lower()
        return "ja" if first.startswith("ja") else "en"
    return default_language()
