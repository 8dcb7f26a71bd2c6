"""Issue 22: `nalcoop serve` as a colleague meets it — a real server on a loopback port, read over HTTP and in
headless Chromium: every table under its Korean title, canned queries with the figures of `nalcoop stats`,
no planted personal value on any page or through any SQL, nothing written, and a refresh that never shows
half a copy."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop.cli import app
from nalcoop.publish import PUBLISHED, VIEWS
from nalcoop.web.figures import CANNED

from .test_publish import FIXTURE, PLANTED, PLANTING

pytestmark = pytest.mark.slow  # each test starts a server process

ENV = {"NALCOOP_TODAY": "2026-11-25", "NALCOOP_LANG": "ko", "NO_COLOR": "1"}


def run(db: Path, *args: str):
    result = CliRunner().invoke(app, ["--db", str(db), *args], env=ENV)
    assert result.exit_code == 0, result.output
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, db: Path, *options: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **ENV, "PYTHONDONTWRITEBYTECODE": "1"}
        self.log = db.with_name(f"serve-{self.port}.log")  # a file, not a pipe: a full pipe would stop the server
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "nalcoop", "--db", str(db), "serve", "--port",
                                             str(self.port), *options], env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"the server did not start: {self.stop()}") from None
                time.sleep(0.2)

    def get(self, path: str, **params: str) -> tuple[int, str]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def get_bytes(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def json(self, path: str, **params: str):
        status, body = self.get(path, **params)
        assert status == 200, (path, params, body[:500])
        return json.loads(body)

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "ledger.db"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    for args in PLANTING:
        run(path, *args)
    return path


@pytest.fixture(scope="module")
def server(planted):
    served = Server(planted)
    yield served
    served.stop()


def test_the_index_and_every_table_under_its_korean_title(server):
    status, page = server.get("/")
    assert status == 200 and "국회도서관 국내협력 장부 (열람용)" in page
    status, page = server.get("/ledger")
    assert status == 200
    for title in ("지방의회 업무협약 (단계별)", "도서 기증 묶음", "현장실습 지원자", "기준일 현재 업무협약 체결 현황"):
        assert title in page, title
    assert [database["name"] for database in server.json("/-/databases.json")] == ["ledger"]
    for name in [table.name for table in PUBLISHED] + list(VIEWS):
        status, page = server.get(f"/ledger/{name}")
        assert status == 200, name
        assert server.json(f"/ledger/{name}.json", _shape="objects")["rows"] is not None
    status, page = server.get("/ledger/agreements", level="basic")
    assert status == 200 and "기초의회" in page  # a coded value shown with its label
    facets = server.json("/ledger/agreements.json", _size="0")["facet_results"]
    assert {"level", "province", "status", "year"} <= set(facets)


def test_each_canned_query_gives_the_figures_of_nalcoop_stats(server, planted):
    in_force = server.json("/ledger/agreements_in_force.json", as_of="2020-02-29", _shape="array")
    assert in_force == json.loads(run(planted, "stats", "agreements", "--as-of", "2020-02-29", "-f", "json").stdout)
    assert in_force[0]["in_force"] == 36  # the fixture's 9 provincial and 27 basic councils
    for canned in CANNED:
        if canned.day:
            continue
        rows = server.json(f"/ledger/{canned.name}.json", _shape="array", **{"from": "2016-01-01", "to": "2026-11-25"})
        expected = json.loads(run(planted, "stats", canned.activity, "--by", canned.dimensions[0], "--from",
                                  "2016-01-01", "--to", "2026-11-25", "-f", "json").stdout)
        assert rows[:len(expected)] == expected, canned.name
    status, page = server.get("/ledger/agreements_in_force", as_of="2020-02-29")
    assert status == 200 and "체결률 (%)" in page  # the column titles go with the page (set by its script)


def test_no_page_and_no_sql_returns_a_planted_personal_value(server):
    pages = ["/", "/ledger", "/-/metadata.json", "/-/databases.json"]
    for name in [table.name for table in PUBLISHED] + list(VIEWS):
        pages += [f"/ledger/{name}?_size=max", f"/ledger/{name}.json?_size=max", f"/ledger/{name}.csv?_size=max"]
    pages += [f"/ledger/{canned.name}.json?to=2026-11-25" for canned in CANNED]
    queries = ["select * from intern_students", "select name, sql from sqlite_master",
               "select * from pragma_table_info('intern_students')", "select group_concat(contact) from "
               "donation_libraries", "select person, person_key, note from network_participants",
               "attach database 'ledger.db' as secret", "select * from journal_changes", "select * from intern_reveals"]
    pages += ["/ledger?" + urllib.parse.urlencode({"sql": sql}) for sql in queries]
    pages += ["/ledger.json?" + urllib.parse.urlencode({"sql": sql}) for sql in queries]
    for page in pages:
        status, body = server.get(page)
        assert status in (200, 400), (page, status)
        for value in PLANTED:
            assert value not in body, (value, page)
    whole = server.get_bytes("/ledger.db")  # the download of the served file itself
    assert whole.startswith(b"SQLite format 3")
    for value in PLANTED:
        assert value.encode() not in whole, value


def test_nothing_can_be_written_through_the_web_view(server):
    before = server.json("/ledger.json", sql="select count(*) as n from agreement_events", _shape="array")
    for sql in ("insert into councils (id, key) values (9999, 'x')", "delete from agreement_events",
                "update council_versions set name = 'x'", "drop table councils", "pragma writable_schema = on"):
        status, body = server.get("/ledger.json", sql=sql)
        assert status == 400, (sql, body[:300])
    request = urllib.request.Request(server.base + "/ledger/agreements_in_force", data=b"as_of=2020-01-01",
                                     method="POST")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=30)
    assert server.json("/ledger.json", sql="select count(*) as n from agreement_events", _shape="array") == before


def test_a_refresh_shows_new_steps_and_never_half_a_copy(tmp_path, planted):
    ledger = tmp_path / "ledger.db"
    shutil.copy(planted, ledger)
    served = Server(ledger, "--refresh", "0.05")  # every 3 seconds
    try:
        count = "select count(*) as n from agreement_events"
        before = served.json("/ledger.json", sql=count, _shape="array")[0]["n"]
        run(ledger, "agreement", "request", "삼척시의회", "--date", "2026-11-20")
        deadline, seen = time.monotonic() + 60, before
        while seen == before and time.monotonic() < deadline:
            seen = served.json("/ledger.json", sql=count, _shape="array")[0]["n"]  # every answer whole
            status, _page = served.get("/ledger/agreements")
            assert status == 200
        assert seen == before + 1
    finally:
        served.stop()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(*args: str) -> str:
    home = Path(os.environ.get("TMPDIR", "/tmp"))
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             f"--user-data-dir={home / f'nalcoop-chromium-{os.getpid()}'}",
                             "--virtual-time-budget=5000", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
def test_headless_chromium_shows_the_agreements_and_the_canned_query_in_korean(server, tmp_path):
    dom = chromium("--dump-dom", server.base + "/ledger/agreements")
    assert "<title>ledger: agreements" in dom or "지방의회 업무협약" in dom
    assert "지방의회 업무협약 (단계별)" in dom and "의회 구분" in dom and "체결" in dom
    url = server.base + "/ledger/agreements_in_force?as_of=2020-02-29"
    dom = chromium("--dump-dom", url)
    assert "기준일 현재 업무협약 체결 현황" in dom
    assert "체결률 (%)" in dom and ">36<" in dom.replace(" ", "")  # the total in force that day
    shot = tmp_path / "canned.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,1000", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
