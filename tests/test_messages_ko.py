"""Issue 17: every command group says one error and one confirmation in Korean (`--lang ko`; the suite itself runs
in English, tests/conftest.py), with the English text unchanged under `--lang en`."""

from __future__ import annotations


def test_agreement_says_its_confirmation_and_an_error_in_korean(cli, tmp_path):
    done = cli("--lang", "ko", "agreement", "request", "종로구의회", "--date", "2020-01-02")
    assert "종로구의회: 2020-01-02 협약 요청을(를) 기록했습니다(상태: " in done.output
    wrong = cli("--lang", "ko", "agreement", "export", str(tmp_path / "a.json"), ok=False)
    assert wrong.exit_code != 0
    assert "export는 `agreement import`가 읽는 .xlsx, .csv, .tsv 파일로 씁니다" in wrong.output
    english = cli("--lang", "en", "agreement", "request", "서울특별시의회", "--date", "2020-01-03")
    assert "request recorded on 2020-01-03 (status: requested)" in english.output
