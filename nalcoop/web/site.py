"""What the web view says, in the display language (nalcoop.i18n.current()): the site's, tables' and columns'
titles and descriptions (Datasette metadata), the facets, the canned queries, and the labels of coded values
(from each closed list's Vocabulary). No Datasette here: it is plain data the server hands to Datasette."""

from __future__ import annotations

from nalcoop.publish import INFO_TABLE, PUBLISHED, VIEWS, WITHHELD
from nalcoop.web.figures import CANNED, sql_of

DATABASE = "ledger"  # the published copy's name in the web view's addresses: /ledger/agreements

SITE = {"ko": ("국회도서관 국내협력 장부 (열람용)",
               "nalcoop 장부의 공개본입니다. 개인정보(이름은 가림, 전자우편·전화·연락처·메모·열람 기록·작업 기록은 "
               "제외)는 들어 있지 않으며, 여기서는 아무것도 고칠 수 없습니다. 만든 때: {made_at}."),
        "en": ("National Assembly Library — Domestic Cooperation ledger (read-only)",
               "The published copy of the nalcoop ledger. It holds no personal data (names masked; e-mails, "
               "telephones, contacts, notes about students, the reveal log and the journal left out), and "
               "nothing can be changed here. Made: {made_at}.")}

# Table (and view) titles and descriptions: {name: (ko title, en title, ko description, en description)}.
TABLES: dict[str, tuple[str, str, str, str]] = {
    "agreements": ("지방의회 업무협약 (단계별)", "Agreements with local councils (step by step)",
                   "협약의 모든 단계(요청·협의·체결·후속 활동·갱신·철회·해지), 그날의 의회명과 시도와 함께.",
                   "Every step of every agreement, with the council's name and province on the day."),
    "donations": ("도서 기증 묶음", "Book donation batches",
                  "기증 묶음: 받는 도서관, 유형, 지역, 상태, 책 수, 발송일.",
                  "Donation batches: library, type, region, status, books, shipping day."),
    "distribution_sent": ("자료 발송 내역", "Publications sent", "발송한 자료: 자료명, 호, 받는 기관, 국가, 부수.",
                          "What was sent: publication, issue, recipient, country, copies."),
    "network_attendance": ("법률정보 협력망 행사 참석", "Network event attendance",
                           "행사별 참석 기관과 사람(이름은 가림), 역할, 출석.",
                           "Who took part in each event (names masked), role and attendance."),
    "interns": ("현장실습 지원자", "Apprenticeship applications", "기수별 지원과 상태 (이름은 가림, 연락처 없음).",
                "Applications by cohort and status (names masked, no contacts)."),
    "registry_changes": ("의회 명부 변경", "Council registry changes",
                         "의회의 이름·소속·코드 변경, 통합과 폐지, 출처와 함께.",
                         "Renames, moves, recodes, mergers and abolitions of councils, with their sources."),
    "councils": ("의회", "Councils", "의회 하나하나 (이름과 코드는 council_versions 에).",
                 "One row per council (names and codes in council_versions)."),
    "council_versions": ("의회 명부 (기간별)", "Council registry (dated)",
                         "의회마다 유효 기간별 이름, 구분, 시도, 코드.",
                         "Each council's name, level, province and code over the days each was valid."),
    "agreement_events": ("협약 단계 (원본)", "Agreement steps (as stored)", "협약 단계, 장부에 저장된 그대로.",
                         "Agreement steps as the ledger stores them."),
    "donation_libraries": ("기증 받는 도서관", "Recipient libraries", "기증 대상 도서관 (연락처 제외).",
                           "Libraries that receive donations (contacts left out)."),
    "donation_batches": ("기증 묶음 (원본)", "Donation batches (as stored)", "", ""),
    "donation_batch_items": ("기증 묶음의 책", "Books in donation batches", "", ""),
    "donation_batch_events": ("기증 묶음 단계", "Donation batch steps", "", ""),
    "donation_stock_receipts": ("기증 재고 입고", "Stock receipts", "", ""),
    "donation_stock_lines": ("기증 재고 입고 목록", "Stock receipt lines", "", ""),
    "donation_stock_moves": ("기증 재고 변동", "Stock moves", "", ""),
    "distribution_publications": ("발간 자료", "Publications", "", ""),
    "distribution_issues": ("발간 자료의 호", "Issues", "", ""),
    "distribution_recipients": ("수령처", "Recipients", "자료를 받는 기관과 주소 (연락처 제외).",
                                "Institutions that receive publications, with addresses (contacts left out)."),
    "distribution_recipient_pauses": ("수령 중지 기간", "Recipient pauses", "", ""),
    "distribution_subscriptions": ("정기 발송 명단", "Standing lists", "", ""),
    "distribution_dispatches": ("발송", "Dispatch runs", "", ""),
    "distribution_dispatch_lines": ("발송 내역 (원본)", "Dispatch lines", "", ""),
    "distribution_returns": ("반송", "Returns", "", ""),
    "network_bodies": ("협의체", "Bodies", "", ""),
    "network_orgs": ("협력 기관", "Organizations", "협력망의 기관 (연락처 제외).",
                     "Organizations (contacts left out)."),
    "network_memberships": ("협의체 회원", "Memberships", "", ""),
    "network_courses": ("교육 과정", "Courses", "", ""),
    "network_modules": ("교육 과목", "Course modules", "", ""),
    "network_events": ("행사", "Events", "", ""),
    "network_event_hosts": ("행사 주최", "Event hosts", "", ""),
    "network_participants": ("행사 참가자 (원본)", "Participants (as stored)", "이름은 가림.", "Names masked."),
    "intern_cohorts": ("현장실습 기수", "Cohorts", "", ""),
    "intern_cohort_depts": ("기수별 실습 부서", "Cohort departments", "", ""),
    "intern_students": ("실습생", "Students", "이름은 가림; 전자우편과 전화는 없음.",
                        "Names masked; no e-mail or telephone."),
    "intern_applications": ("현장실습 지원 (원본)", "Applications (as stored)", "", ""),
    "intern_steps": ("지원 단계", "Application steps", "", ""),
    "intern_placements": ("실습 배치", "Placements", "", ""),
    "intern_hours": ("실습 시간", "Hours", "", ""),
    "intern_evaluations": ("평가", "Evaluations", "점수만 (의견 제외).", "Scores only (comments left out)."),
    INFO_TABLE: ("공개본 정보", "About this copy", "이 공개본을 만든 때와 장부 스키마.",
                 "When this copy was made, and the ledger's schema."),
}

# Column titles wherever the column appears (tables, views, canned queries): {name: (ko, en)}.
COLUMNS: dict[str, tuple[str, str]] = {
    "council": ("의회", "council"), "province": ("시도", "province"), "region": ("지역", "region"),
    "level": ("의회 구분", "level"), "code": ("코드", "code"), "step": ("단계", "step"), "on_date": ("날짜", "date"),
    "year": ("연도", "year"), "status": ("상태", "status"), "mode": ("체결 방식", "mode"),
    "follow_kind": ("후속 활동", "follow-up kind"), "ref": ("문서번호", "reference"), "note": ("비고", "note"),
    "number": ("묶음 번호", "batch"), "library": ("도서관", "library"), "type": ("유형", "type"),
    "books": ("책 수", "books"), "carrier": ("운송", "carrier"), "shipped_on": ("발송일", "shipped on"),
    "publication": ("자료명", "publication"), "issue": ("호", "issue"), "recipient": ("받는 기관", "recipient"),
    "country": ("국가", "country"), "copies": ("부수", "copies"), "event": ("행사", "event"),
    "kind": ("종류", "kind"), "starts_on": ("시작일", "starts on"), "organization": ("기관", "organization"),
    "person": ("성명 (가림)", "person (masked)"), "role": ("역할", "role"), "hours": ("시간", "hours"),
    "cohort": ("기수", "cohort"), "name": ("이름", "name"), "university": ("대학", "university"),
    "major": ("전공", "major"), "year_of_study": ("학년", "year of study"), "applied_on": ("지원일", "applied on"),
    "completed_on": ("수료일", "completed on"), "certificate": ("수료증 번호", "certificate"),
    "gov": ("지방자치단체", "local government"), "name_en": ("영문 이름", "English name"),
    "valid_from": ("유효 시작", "valid from"), "valid_to": ("유효 끝", "valid to"),
    "address": ("주소", "address"), "postcode": ("우편번호", "postcode"), "title": ("제목", "title"),
    # the canned queries (the activities' statistics)
    "dimension": ("구분", "dimension"), "by": ("구분", "by"), "group": ("항목", "group"),
    "councils": ("의회 수", "councils"), "in_force": ("체결", "in force"), "coverage": ("체결률 (%)", "coverage %"),
    "requested": ("요청", "requested"), "consultation": ("협의 중", "in consultation"),
    "consultations": ("협의", "consultations"), "signed": ("체결", "signed"), "renewed": ("갱신", "renewed"),
    "follow_ups": ("후속 활동", "follow-ups"), "withdrawn": ("철회", "withdrawn"), "terminated": ("해지", "terminated"),
    "as_of": ("기준일", "as of"), "from": ("시작", "from"), "to": ("끝", "to"), "batches": ("묶음", "batches"),
    "sites": ("기관 수", "sites"), "runs": ("발송 횟수", "runs"), "parcels": ("소포", "parcels"),
    "recipients": ("받는 기관 수", "recipients"), "returned": ("반송", "returned"),
    "returns_rate": ("반송률 (%)", "returns %"), "events": ("행사", "events"), "attended": ("참석", "attended"),
    "people": ("참여 인원", "people reached"), "organizations": ("참여 기관", "orgs reached"),
    "first_time": ("첫 참여 기관", "first-time orgs"), "course_hours": ("교육 시간", "training hours"),
    "trainee_hours": ("교육생 시간", "trainee hours"), "completed": ("수료", "completed"),
    "applicants": ("지원", "applicants"), "accepted": ("선발", "accepted"),
    "acceptance_rate": ("선발률 (%)", "acceptance %"),
    "placed": ("배치", "placed"), "dropped": ("중도 포기", "dropped"),
}

# Facets a person expects on each view or table (province, level, status, year, country …).
FACETS: dict[str, list[str]] = {
    "agreements": ["level", "province", "status", "year"],
    "donations": ["province", "type", "status", "year"],
    "distribution_sent": ["country", "year", "type", "publication"],
    "network_attendance": ["year", "kind", "type", "status"],
    "interns": ["cohort", "status", "year"],
    "council_versions": ["level", "kind"],
    "distribution_recipients": ["country", "type"],
    "donation_libraries": ["type"],
    "network_orgs": ["type"],
}
SORT_DESC = {"agreements": "on_date", "donations": "number", "distribution_sent": "on_date",
             "network_attendance": "starts_on", "interns": "applied_on"}


# (table or view, column) -> the name of the Vocabulary of its codes (each defined beside its activity).
CODED: dict[tuple[str, str], str] = {
    ("council_versions", "level"): "council level", ("council_versions", "kind"): "council kind",
    ("registry_changes", "kind"): "registry change", ("registry_changes", "origin"): "registry change origin",
    ("agreement_events", "step"): "agreement step", ("agreement_events", "status_after"): "agreement status",
    ("agreement_events", "mode"): "signing mode", ("agreement_events", "follow_kind"): "follow-up kind",
    ("agreements", "level"): "council level", ("agreements", "step"): "agreement step",
    ("agreements", "status"): "agreement status", ("agreements", "mode"): "signing mode",
    ("agreements", "follow_kind"): "follow-up kind",
    ("donation_libraries", "type"): "library type", ("donations", "type"): "library type",
    ("donation_batches", "status"): "batch status", ("donations", "status"): "batch status",
    ("donation_batch_items", "reason"): "donation reason", ("donation_stock_lines", "reason"): "donation reason",
    ("donation_batch_events", "step"): "batch step", ("donation_batch_events", "status_after"): "batch status",
    ("donation_stock_moves", "kind"): "stock move", ("donation_stock_receipts", "source"): "stock receipt source",
    ("distribution_recipients", "type"): "recipient type", ("distribution_sent", "type"): "recipient type",
    ("distribution_publications", "frequency"): "frequency", ("distribution_returns", "reason"): "return reason",
    ("network_orgs", "type"): "organization type", ("network_attendance", "type"): "organization type",
    ("network_events", "kind"): "event kind", ("network_attendance", "kind"): "event kind",
    ("network_event_hosts", "role"): "host role", ("network_memberships", "role"): "role in a body",
    ("network_participants", "role"): "participant role", ("network_attendance", "role"): "participant role",
    ("network_participants", "status"): "attendance status", ("network_attendance", "status"): "attendance status",
    ("intern_applications", "status"): "application status", ("interns", "status"): "application status",
    ("intern_steps", "step"): "application step",
}


def vocabulary_list() -> dict[str, object]:
    """Every Vocabulary the registry and the activities of the list define, by its name."""
    from nalcoop import registry
    from nalcoop.activities import ACTIVITIES
    from nalcoop.vocabulary import Vocabulary

    found: dict[str, object] = {}
    for module in (registry, *(activity.load_module() for activity in ACTIVITIES)):
        for name in dir(module):  # not vars(): a package loads its modules' names on first use (nalcoop/lazy.py)
            value = getattr(module, name)
            if isinstance(value, Vocabulary):
                found.setdefault(value.name, value)
    return found


def vocabularies() -> dict[tuple[str, str], object]:
    """(table or view, column) -> the Vocabulary of its codes."""
    found = vocabulary_list()
    return {where: found[name] for where, name in CODED.items()}


def label(vocabulary, value: object, lang: str) -> str | None:
    """The label of a coded value in `lang`, or None when the value is not one of the codes."""
    if not isinstance(value, str) or value not in vocabulary:
        return None
    return vocabulary.label(value, lang)


def column_title(name: str, lang: str) -> str:
    titles = COLUMNS.get(name)
    return titles[0 if lang == "ko" else 1] if titles else name


def columns_of(path) -> dict[str, list[str]]:
    """Each table's and view's columns in the published copy at `path`."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        names = [name for (name,) in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
        return {name: [row[1] for row in conn.execute("select * from pragma_table_info(?)", [name])]
                for name in names}
    finally:
        conn.close()


def metadata(lang: str, made_at: str, columns_by_table: dict[str, list[str]] | None = None) -> dict:
    """Datasette's metadata for the published copy, in `lang` ('ko' or 'en'): a title for each column of
    `columns_by_table` (Datasette lists them above the table)."""
    ko = lang == "ko"
    title, description = SITE[lang]
    tables: dict[str, dict] = {}
    withheld_note = "비공개 (공개본에 없음)" if ko else "not published (empty in this copy)"
    for name in [table.name for table in PUBLISHED] + list(VIEWS) + [INFO_TABLE]:
        ko_title, en_title, ko_text, en_text = TABLES.get(name, (name, name, "", ""))
        entry: dict = {"title": ko_title if ko else en_title}
        if ko_text or en_text:
            entry["description"] = ko_text if ko else en_text
        withheld = WITHHELD.get(name)
        withheld = withheld if isinstance(withheld, dict) else {}
        columns = {column: withheld_note if column in withheld else column_title(column, lang)
                   for column in (columns_by_table or {}).get(name, [])}
        columns = {column: title for column, title in columns.items() if title != column}
        if columns:
            entry["columns"] = columns
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name in SORT_DESC:
            entry["sort_desc"] = SORT_DESC[name]
        tables[name] = entry
    queries = {canned.name: {"sql": sql_of(canned), "title": canned.title[lang],
                             "description": canned.description[lang], "params": list(canned.parameters),
                             "hide_sql": True}
               for canned in CANNED}
    return {"title": title, "description": description.format(made_at=made_at),
            "databases": {DATABASE: {"title": title, "tables": tables, "queries": queries}}}


SETTINGS = {
    "sql_time_limit_ms": 5000,  # the statistics of a large ledger, through nalcoop_figures
    "suggest_facets": False,  # the facets that matter are set; suggesting others costs a query each
    "default_facet_size": 40,  # every province on one screen
    "allow_download": True,  # the copy itself holds no personal data
    # Queries run on the server's one thread, each on the connection of the copy it began with: Datasette 0.65
    # keeps a worker thread's connection by the database's name, so after a refresh a worker would go on
    # reading the copy before (and fail once it is closed). A few colleagues' pages do not need more.
    "num_sql_threads": 0,
}
