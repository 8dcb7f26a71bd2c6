"""What the registry holds: the closed lists (kinds, levels, change kinds and origins), a council as it stood
(Council), and the registry's errors."""

from __future__ import annotations

from typing import NamedTuple

from nalcoop.errors import NalcoopError
from nalcoop.vocabulary import Term, Vocabulary

KINDS = Vocabulary("council kind", [
    Term("province", "시·도", "province", "a metropolitan city or province", aliases=("광역",)),
    Term("si", "시", "city"),
    Term("gun", "군", "county"),
    Term("gu", "구", "autonomous district", aliases=("자치구",)),
])
LEVELS = Vocabulary("council level", [
    Term("provincial", "광역의회", "provincial council", aliases=("광역",)),
    Term("basic", "기초의회", "basic council", aliases=("기초",)),
])
CHANGE_KINDS = Vocabulary("registry change", [
    Term("baseline", "기준 명단", "baseline", "the registry as first loaded"),
    Term("rename", "명칭 변경", "rename"),
    Term("recode", "코드 변경", "recode"),
    Term("move", "관할 변경", "move", "to another province"),
    Term("merge", "통합", "merge"),
    Term("split", "분리", "split"),
    Term("abolish", "폐지", "abolition"),
    Term("create", "신설", "creation"),
    Term("reorganize", "개편", "reorganization"),
])
CHANGE_ORIGINS = Vocabulary("registry change origin", [
    Term("shipped", "기본 제공", "shipped", "with nalcoop"),
    Term("recorded", "직접 기록", "recorded", "by a librarian"),
])
VERSION_FIELDS = ("level", "kind", "province_id", "code", "gov", "gov_en", "name", "name_en")


class RegistryError(NalcoopError):
    pass


class CouncilNotFound(RegistryError):
    pass


class AmbiguousCouncil(RegistryError):
    pass


class Council(NamedTuple):
    id: int
    key: str
    name: str
    name_en: str
    gov: str
    gov_en: str
    level: str
    kind: str
    code: str | None
    province: str  # the provincial government's name in the same version's time
    province_id: int | None
    valid_from: str
    valid_to: str | None

    @property
    def label(self) -> str:
        """How a librarian tells two 중구의회 apart: the province comes first."""
        if self.level == "provincial":
            return self.name
        return f"{self.province} {self.name}"
