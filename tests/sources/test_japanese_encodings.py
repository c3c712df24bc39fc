"""Japanese exports come in more than UTF-8 and CP932: each legacy encoding reads with its headers intact."""

from __future__ import annotations

import pytest

from scanner.pipeline import ScanOptions, run_scan
from scanner.sources.files import detect_encoding

ROWS = "氏名,メールアドレス,電話番号\n" + "".join(
    f"山田 太郎{i},taro{i}@example.jp,090-1234-{i:04d}\n" for i in range(40)
)
EXPECTED = {("氏名", "PERSON"), ("メールアドレス", "EMAIL_ADDRESS"), ("電話番号", "PHONE_NUMBER")}


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("euc_jp", None), ("iso2022_jp", "iso2022_jp"),
     ("utf-16", "utf-16")],
)
def test_legacy_japanese_encodings_scan_with_their_headers(tmp_path, encoding, detected):
    data = ROWS.encode(encoding)
    if detected is not None:
        assert detect_encoding(data[:4096]) == detected
    (tmp_path / f"members_{encoding}.csv").write_bytes(data)
    doc = run_scan([str(tmp_path)], ScanOptions()).to_dict()
    assert not doc["errors"]
    assert {(f["field"], f["entity_type"]) for f in doc["findings"]} == EXPECTED
