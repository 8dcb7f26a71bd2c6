"""The agreement records: the steps, statuses, signing modes and follow-up kinds, the status each step
leaves, the error, and the shape of a step."""

from __future__ import annotations

from typing import NamedTuple

from nalcoop.errors import NalcoopError
from nalcoop.vocabulary import Term, Vocabulary

STEPS = Vocabulary("agreement step", [  # the English label is the word a message uses for the step
    Term("request", "협약 요청", "request"),
    Term("consult", "협의", "consultation"),
    Term("sign", "체결", "signing"),
    Term("follow-up", "후속 활동", "follow-up"),
    Term("renew", "갱신", "renewal"),
    Term("withdraw", "요청 철회", "withdrawal"),
    Term("terminate", "해지", "termination"),
])
STATUS_AFTER = {
    "request": "requested",
    "consult": "consultation",
    "sign": "signed",
    "follow-up": "signed",
    "renew": "signed",
    "withdraw": "withdrawn",
    "terminate": "terminated",
}
STATUSES = Vocabulary("agreement status", [
    Term("requested", "요청", "requested"),
    Term("consultation", "협의 중", "in consultation", aliases=("협의",)),
    Term("signed", "체결", "signed"),
    Term("withdrawn", "철회", "withdrawn"),
    Term("terminated", "해지", "terminated"),
    Term("none", "없음", "none", "councils with no agreement step"),  # a listing's filter, never stored
])
# What a council's timeline and the due list show besides the steps and statuses above: a change of the
# council registry (a row of `agreement show`), and an agreement a merged council inherited.
TIMELINE_STEPS = Vocabulary("agreement timeline step", [
    *STEPS.terms,
    Term("registry", "의회 명부 변경", "registry"),
    Term("inherited", "승계", "inherited"),
])
SHOWN_STATUSES = Vocabulary("agreement status shown", [*STATUSES.terms, Term("inherited", "승계", "inherited")])
MODES = Vocabulary("signing mode", [
    Term("in-person", "대면", "in person", "a signing ceremony"),
    Term("exchange", "서면", "written exchange", "written exchange of documents"),
])
# The Korean words are NAL's own list of what an agreement covers (국회도서관 보도자료, "주요 협력 내용":
# 발간자료 제공 및 공동 활용, 정보서비스 공동 활용, 디지털 아카이빙 협력, 인적교류; lnp.nanet.go.kr
# policy/assemblyBodo/detail.do?controlNo=239, and the councils' announcements of their agreements, 2020-2024).
FOLLOW_UP_KINDS = Vocabulary("follow-up kind", [
    Term("materials", "발간자료 제공", "legislative materials", "legislative materials shared",
         aliases=("입법자료 공유",)),
    Term("resources", "정보서비스 공동 활용", "NAL resources", "NAL resources provided", aliases=("자료 제공",)),
    Term("archiving", "디지털 아카이빙", "archiving", aliases=("자료 수집·보존",)),
    Term("staff-exchange", "인적 교류", "staff exchange"),
    Term("other", "기타", "other"),
])
STEP_WORDS = {term.code: term.en for term in STEPS.terms}


class AgreementError(NalcoopError):
    pass


class Step(NamedTuple):
    step: str
    on_date: str
    mode: str | None = None
    follow_kind: str | None = None
    ref: str | None = None
    note: str | None = None
    without_request: bool = False
