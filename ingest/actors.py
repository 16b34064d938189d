"""Who an assignment names: agencies (through `agencies.py`), people acting for a body by their posts, heads
of bodies by title; the lead a line gives (`_Lead`), and how the extractor makes one from a written name, with
the bodies it cooperates with.

Apart from `assignments.py` because the lead lines (`lead_lines.py`), the fields (`assignment_fields.py`) and
the walk over the outline all name their actors this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import agency_at_start, canonical, expand_lists, resolve, split_agencies
from .normalize import fold

# the verbs that make the subject before them the lead (lead lines and fields both read them)
_STRONG_VERB = re.compile(r"\b(chủ trì|chịu trách nhiệm|có trách nhiệm|phụ trách)\b")
_LABEL = re.compile(
    r"^\s*(?:[-–—•+]|[_~](?=\s)|[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]+\.|Điều\s+\d+[a-z]?\.?)\s*"
)
_COOP = re.compile(r"\bphối hợp(?:\s+(?:chặt chẽ\s+)?(?:với|cùng))?\s+", re.I)
_COOP_STOP = re.compile(
    r"\s(?:thực hiện|triển khai|(?<!các )(?<!những )tổ chức|tham mưu|để|nhằm|trong|xây dựng|vận động|hướng dẫn|rà soát|và căn cứ|"
    r"theo|đảm bảo|bảo đảm|tổng hợp|báo cáo|kiểm tra|nghiên cứu|tuyên truyền|cung cấp|đề xuất)\b|[:;.(]"
)
# where the name of a body listed as cooperating ends and what it does begins ("Văn phòng UBND tỉnh giúp …")
_TAIL_VERB = re.compile(
    r"\s(?:chủ trì|thực hiện|triển khai|tham mưu|hướng dẫn|xây dựng|phối hợp|rà soát|theo dõi|bảo đảm|chỉ đạo|"
    r"đảm bảo|báo cáo|xem xét|giúp|bố trí|cân đối|khẩn trương|tiếp tục|tập trung|chủ động|kịp thời|cung cấp|đề xuất|"
    r"kiểm tra|nghiên cứu|tổng hợp|tuyên truyền|hỗ trợ|giải quyết|chuẩn bị|vận động|phát động|tăng cường|đẩy mạnh)\b"
)
MAX_SUBJECT = 400  # characters of a subject before its verb: a list of a dozen bodies fits
# what a subject says of its own remit before the verb: "…, theo chức năng, nhiệm vụ được giao, có trách nhiệm"
_QUALIFIER = re.compile(
    r"(?:,\s*|\s+)(?:(?:theo|trong phạm vi|căn cứ|trên cơ sở)\s+(?:vào\s+)?(?:chức năng|thẩm quyền|nhiệm vụ|phạm vi|"
    r"lĩnh vực)|căn cứ\s+(?:vào\s+)?(?:nội dung\s+)?[Kk]ế hoạch này)\b[^;.]*$"
)
_PLURAL = re.compile(r"(?:^|\s)(?:các|những)\s", re.I)  # "các sở, ban, ngành", "UBND các xã": bodies, plural
_PLACE_TAIL = re.compile(r"^(?:\(|tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu|trung uong)\b")

# A person acting for a body: "Đồng chí Phó Trưởng phòng Văn hóa - Xã hội - Phó Trưởng tiểu ban", "Phó chủ tịch
# phụ trách lĩnh vực …" (election committees and working groups assign tasks to named roles).
_PERSON = re.compile(
    r"^(?:(?:Các|các)\s+)?(?:Đồng chí|Đ/c|Công chức|(?:Cán bộ|Chuyên viên)(?=\s+(?:phụ trách|được (?:phân công|giao)|"
    r"cơ quan|văn phòng|thuộc)\b)|(?:Phó\s+)?(?:Chủ tịch|"
    r"Trưởng (?:các\s+)?(?:ban|phòng|tiểu ban|đoàn|thôn|ấp|khu phố|tổ dân phố)|Giám đốc|Bí thư|Chánh Văn phòng))\b"
    r"[^.;:]{0,160}$",
    re.I,
)
# the heads of bodies named by title: "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …", "Trưởng thôn ấp, Tổ trưởng …"
_HEAD_TITLE = (
    r"(?:Phó\s+)?(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Tổng Giám đốc|Cục trưởng|Vụ trưởng|Chánh Văn phòng|"
    r"Chánh Thanh tra|Trưởng (?:các\s+)?(?:thôn|ấp|bản|khu phố|tổ dân phố|ban|phòng|đơn vị|khoa|tổ)|Tổ trưởng)"
)
_HEAD_PIECE = re.compile(_HEAD_TITLE + r"\b", re.I)
# a clause that opens with a head: a title over a body ("Chủ tịch UBND các huyện …") or a list of titles
_HEAD_FIRST = re.compile(
    _HEAD_TITLE
    + r"(?:\s+(?:các\s+)?(?:Sở|Bộ|Ban|Ủy ban|UBND|Văn phòng|Cục|Công an|sở|cơ quan|đơn vị|Thanh tra|"
    r"ấp|thôn|Tổ)\b|\s*,\s*" + _HEAD_TITLE + r")"
)


_TITLE = re.compile(
    r"^(?:Thủ trưởng|Giám đốc|Bộ trưởng|Chủ tịch|Chánh Văn phòng|Chánh Thanh tra|Cục trưởng|Trưởng)\s+"
    r"(?=(?:các\s+)?(?:Sở|Bộ|Ban|Ủy ban|UBND|Văn phòng|Cục|Công an|sở|ban|cơ quan|đơn vị|Thanh tra|Kho bạc|Thuế))"
)


def strip_title(phrase: str) -> str:
    """ "Giám đốc Công an tỉnh" → "Công an tỉnh": the head of an agency acts for it."""
    return _TITLE.sub("", phrase.strip(), count=1)


def strip_titles(phrase: str) -> str:
    """The heads taken off every body of a list: "Thủ trưởng các sở, …; Chủ tịch UBND các huyện" →
    "các sở, …; UBND các huyện" (a title is taken only before a body: "Giám đốc các sở, Chủ tịch UBND …")."""
    first = strip_title(phrase)
    # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …" (no body after the first title) stay titles
    after = r"(?<=[;,]\s)" if first != phrase.strip() else r"(?<=;\s)"
    return re.sub(after + _TITLE.pattern.lstrip("^"), "", first)


def _starts_with_agency(text: str, scope: str | None) -> bool:
    m = agency_at_start(text, scope)
    return m is not None and m.start == 0


def _heads(subject: str) -> bool:
    """A subject of heads by title, listed: it opens with a title, and titles open most of its pieces (a piece
    like "cơ quan thuộc Chính phủ" goes on the title before it). Linear: no pattern to backtrack."""
    if re.search(r"[.;:]", subject) or len(subject) > MAX_SUBJECT:
        return False
    pieces = [p for p in re.split(r"\s*,\s*|\s+và\s+", subject) if p]
    titled = sum(1 for p in pieces if _HEAD_PIECE.match(p))
    return bool(pieces) and bool(_HEAD_PIECE.match(pieces[0])) and titled * 2 >= len(pieces)


def strip_label(text: str) -> str:
    return _LABEL.sub("", text, count=1).strip()


@dataclass
class _Lead:
    name: str
    written: str
    cooperating: list[str]
    kind: str
    line_path: str | None = None
    co_leads: list[str] = field(default_factory=list)  # "Bộ Xây dựng, Bộ Tài chính chủ trì": the others
    deadline: str | None = None  # the time its own fields give ("(Thực hiện: Sở X; thời gian: hằng quý)")


class _Naming:
    """How the extractor names the bodies of a document whose province is `scope`: whether a phrase is an
    agency (or a list of them), the agencies a line says cooperate, and a lead made from a written name.
    Mixed into the extractor (`assignments._Extractor`) with the lead lines and the fields that use it."""

    scope: str | None

    def is_agency(self, phrase: str) -> bool:
        phrase = strip_title(phrase.strip(" ,:"))
        if not phrase or len(phrase) > MAX_SUBJECT or phrase[0].isdigit():
            return False
        if resolve(phrase, self.scope) is not None:
            return True
        parts = split_agencies(phrase)
        return len(parts) > 1 and all(self._listed(strip_title(p)) for p in parts)

    def _listed(self, part: str) -> bool:
        """One name in a list of agencies; a group may carry what it does ("các Sở, ban, ngành quản lý quy
        hoạch"), as the last of a list often does."""
        if resolve(part, self.scope) is not None:
            return True
        a = agency_at_start(part, self.scope) if _PLURAL.match(part) else None
        return a is not None and a.start == 0

    def cooperating(self, text: str) -> list[str]:
        text = expand_lists(text[:600], self.scope)
        m = _COOP.search(text[:400])
        if not m:
            return []
        tail = text[m.end() : m.end() + 300]
        stop = _COOP_STOP.search(tail)
        return self.coop_list(tail[: stop.start()] if stop else tail)

    def coop_list(self, phrase: str) -> list[str]:
        phrase = phrase.strip(" ,.;")
        if not phrase:
            return []
        out = []
        for p in split_agencies(phrase):
            if resolve(p, self.scope) is not None:
                name = canonical(p, self.scope)
            elif resolve(strip_title(p), self.scope) is not None:  # "Giám đốc Sở Y tế": Sở Y tế
                name = canonical(strip_title(p), self.scope)
            elif _PERSON.match(p):  # "Các đ/c Phó Chủ tịch, Trưởng đoàn thể xã": people, by their posts
                name = p
            elif (a := agency_at_start(p, self.scope)) is not None and a.start == 0:
                tail = p[a.end :]  # "UBND các huyện miền núi": a qualified group; but "Văn phòng UBND tỉnh
                tail = tail[: cut.start()] if (cut := _TAIL_VERB.search(tail)) else tail  # khẩn trương …"
                if len(tail) > 40:
                    continue
                name = f"{canonical(a.text, self.scope)}{tail.rstrip()}"
            else:
                continue
            if name not in out:
                out.append(name)
        return out

    def field_parties(self, phrase: str) -> list[str]:
        """The parties a labelled field lists ("phối hợp: Ban quản lý chợ, các ngân hàng thương mại"): the label
        says they take part, so a party no gazetteer knows is kept as written, short and without a verb."""
        out: list[str] = []
        for p in split_agencies(phrase.strip(" ,.;")):
            named = self.coop_list(p) or ([p] if 3 <= len(p) <= 80 and not _TAIL_VERB.search(f" {p}") else [])
            out += [n for n in named if n not in out]
        return out

    def make(
        self, written: str, coop: list[str], kind: str, path: str | None = None, whole: bool = False
    ) -> _Lead:
        """A lead from its written name. `whole`: the phrase is all agency (a heading), so a canonical name
        that drops its tail ("Các cơ quan" for "Các cơ quan đăng ký đầu tư") gives way to the written one."""
        written = re.sub(r"\s+", " ", written).strip(" ,:")
        parts = split_agencies(written)
        if (
            len(parts) > 1
            and not _PLURAL.search(parts[0])
            and all(self._listed(strip_title(p)) for p in parts)
        ):
            # co-leads: "Bộ Xây dựng, Bộ Tài chính chủ trì", "Ủy ban MTTQ tỉnh và các đoàn thể"; a list that opens
            # with a group ("Các sở, ban, ngành và UBND các huyện") stays one group lead (as the seed gold has it)
            lead = self.make(parts[0], coop, kind, path)
            lead.co_leads = [canonical(strip_title(p), self.scope) for p in parts[1:]]
            return lead
        name = canonical(strip_titles(written), self.scope)
        if whole and len(written) > len(name) + 3:
            tail = fold(written).lower()[len(fold(name)) :].strip()
            if fold(written).lower().startswith(fold(name).lower()) and not _PLACE_TAIL.match(tail):
                name = written[0].upper() + written[1:]
        return _Lead(name, written, coop, kind, path)
