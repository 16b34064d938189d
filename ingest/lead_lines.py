"""Lead lines: a line that names who does the work, before or inside what it says — "Sở X chủ trì, phối hợp
với Y thực hiện …", "Giao X …", "Đề nghị X …", "X có trách nhiệm …", a topic or step before the agency
("Về dự án …: Bộ Xây dựng …"), an opening that sets the scene ("Trên cơ sở …, Sở Y …"), a bullet that opens
with an agency, roles in brackets after the task — and agency headings that lead the points under them
("3. Sở Tài chính", "Trách nhiệm của Bộ Y tế").

Apart from `assignments.py`, whose walk over the outline asks these of each unit and clause.
"""

from __future__ import annotations

import re

from .actors import (
    _PERSON,
    _PLURAL,
    _QUALIFIER,
    _STRONG_VERB,
    _TITLE,
    MAX_SUBJECT,
    _heads,
    _Lead,
    _Naming,
    _starts_with_agency,
    strip_label,
    strip_title,
)
from .agencies import _PLACE_PART, agency_at_start, expand_lists, find_agencies
from .assignment_fields import _FIELD
from .model import Unit
from .normalize import LOWER, fold
from .structure import LEGAL_TYPES

# Verbs that follow the agency a line assigns work to ("Sở X chủ trì", "Bộ Y có trách nhiệm").
_LEAD_VERB = re.compile(
    r"\b(chủ trì|chịu trách nhiệm|có trách nhiệm|phụ trách|(?<!, )lãnh đạo(?!\s+(?:các|của|UBND|Ủy ban|Sở|Ban|phòng|"
    r"đơn vị|cơ quan|tỉnh|huyện|xã|Bộ)\b)|chỉ đạo|thực hiện|triển khai|tổ chức|"
    r"tham mưu|hướng dẫn|xây dựng|phối hợp|tăng cường|rà soát|nghiên cứu|theo dõi|bảo đảm|đảm bảo|báo cáo)\b"
)
_PREFIX = re.compile(
    r"(?:Trong đó,?\s+)?(?:(Giao|Đề nghị|Yêu cầu)\s+)", re.I
)  # matched at the start, or after a topic
# "<agency> giao/đề nghị/yêu cầu <agency> …": the agency named after the verb does the work.
_GIVER = re.compile(r"([^,;:.()]{3,120}?)\s+(giao|đề nghị|yêu cầu)\s+(?=\S)")
# A point that names its subject first, as notices of conclusions do: "Về dự án …: Bộ Xây dựng khẩn trương …".
_TOPIC = re.compile(r"^(?:Về|Đối với|Riêng)\s[^:]{3,480}?:\s*(?=\S)")
_INLINE_GIAO = re.compile(r"(?:^|[(;.,:]\s*|\s)[Gg]iao\s+(.{3,160}?)\s+(chủ trì|thực hiện|triển khai|tổ chức|"
                          r"tham mưu|xây dựng|theo dõi|hướng dẫn|phối hợp)\b")  # fmt: skip
# a short label before a colon ("b) Mở tài khoản: UBND các xã phối hợp …"), not a slot of an event or a list
_LABEL_COLON = re.compile(r"^(?!(?:Địa điểm|Thành phần|Đối tượng|Hình thức|Đại biểu|Số lượng|Kinh phí|Nơi)\b)"
                          r"([^:;.()]{3,100}?):\s*(?=\S)", re.I)  # fmt: skip
# a step of a procedure, then who does it: "- Bước 2: Trung tâm Quản lý chất lượng thực hiện chọn mẫu …"
_STEP = re.compile(r"^Bước\s+(?:\d{1,2}|[IVX]{1,4})\s*[:.]\s*(?=\S)")
_DUTY_TITLE = re.compile(r"^(?:Trách nhiệm|Nhiệm vụ)(?: thi hành)?(?: của)?\s+(.+?)\s*$", re.I)
# a role named in brackets after the task: "(Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: …)"
_BRACKET_FIELD = re.compile(
    r"^(?:(?:cơ quan|đơn vị)\s+)?(?P<role>chủ trì|phối hợp|thực hiện)[^:]{0,20}:\s*(?P<value>.+)$", re.I
)
_BRACKET_TIME = re.compile(r"^(?:thời gian|thời hạn|tiến độ)[^:]{0,20}:\s*(?P<value>.+)$", re.I)
_DOER_AFTER_DASH = re.compile(
    r"\s[–—-]\s+([^–—;:()]{3,120}?)\s+(?:chủ trì|thực hiện|phụ trách)\b[^–—]{0,120}$"
)
_MEMBERS = re.compile(r"\s*\([^()]{3,300}\)\s*$")  # "(Sở Tài chính, Ban quản lý …)" after a group's name
# between a subject and its verb: "Bộ trưởng, … tập trung chỉ đạo", "Sở Y tế cần khẩn trương triển khai"
_AUX = re.compile(  # (not the "thường xuyên" of "giáo dục thường xuyên", a kind of school)
    r"(?:\s+(?:cần|phải|sẽ|tiếp tục|tập trung|khẩn trương|chủ động|kịp thời|trực tiếp|nghiêm túc|"
    r"tích cực)|(?<!giáo dục)\s+thường xuyên)+\s*$"
)
# the subject's role said between it and its verb: "Sở Công Thương là cơ quan đầu mối, có trách nhiệm …"
_APPOSITIVE = re.compile(r"\s+(?:là|với vai trò(?: là)?)\s+[^,;()]{3,80}?,?\s*$")
# grounds said between a subject and its verb: "Các phòng, ban căn cứ nhiệm vụ được giao, chủ động …"
_GROUNDS_BETWEEN = re.compile(r"\s+(?:căn cứ|trên cơ sở|theo|tùy theo|tuỳ theo)\s[^,;:()]{3,120},\s*$")
# a subject described by what it was given: "các sở, ngành được phân công chủ trì thực hiện nhiệm vụ …"
_ASSIGNED = re.compile(r"\b(?:được|đã được)\s+(?:phân công|giao)(?:\s+nhiệm vụ)?\s*$")
_RELATIVE = re.compile(r"\s+(?:được|đã được)\s+(?:phân công|giao)\b.*$")
_BARE_GROUP = re.compile(r"(?:Các|các|Những|những)\s+(?:cơ quan|đơn vị|địa phương|tổ chức)")
# a heading that names a body by its role in the text: "Cơ quan chủ trì giải quyết thủ tục đầu tư dự án"
_ROLE_NAME = re.compile(
    rf"^(?:Cơ quan|Đơn vị)\s+[{LOWER}][^.;:,()]{{3,80}}$"
)  # "Cơ quan phối hợp có trách nhiệm"
# as a heading, not a field's label over its list of agencies ("a) Cơ quan chủ trì" + "- Ban Chỉ đạo quốc gia.")
_ROLE_HEADING = re.compile(
    rf"(?!(?:Cơ quan|Đơn vị)\s+(?:chủ trì|phối hợp|thực hiện)\s*$){_ROLE_NAME.pattern}"
)
_LEAD_IN = re.compile(
    r"^(?:(?:định kỳ\s+)?(?:hàng|hằng)\s+(?:năm|quý|tháng)|định kỳ|trước ngày|chậm nhất|trong (?:quý|tháng|năm))"
    r"[^,;:.]{0,40},\s*",
    re.I,
)
_GROUP = re.compile(
    r"^((?:Các|Những)\s+(?:sở|ban|ngành|đơn vị|cơ quan|địa phương|bộ|tổ chức)\b[^:;.]{0,120}?)\s*"
    r"(?:bao gồm|gồm|,\s*gồm)\b",
    re.I,
)
_FOR_WHOM_WORDS = r"Đối với|Riêng"
# openings that set the scene in a noun phrase, whose verbs are nobody's ("Đối với các nhiệm vụ triển khai trong
# năm 2025, các sở …", "Trong quá trình tổ chức thực hiện, …, các bộ, ngành … chủ động đề xuất")
_SCENE_WORDS = rf"{_FOR_WHOM_WORDS}|Trong (?:quá trình|thời gian)"
# Openings that say on what grounds or when, naming others who are not the actor: "Trên cơ sở đề nghị của UBND
# quận, huyện, Sở Xây dựng chủ trì …", "Sau khi UBND Thành phố phê duyệt …, Sở Tài chính lập thủ tục …".
_OPENER = re.compile(
    r"^(?:Trên cơ sở|Căn cứ|Sau khi|Dựa (?:trên|vào)|Theo (?:đề nghị|đề xuất|kết quả|báo cáo)|Khi|Trước khi|"
    r"(?:Từ|Sau|Tiếp) đó|Đồng thời|"
    rf"{_SCENE_WORDS})\b",
    re.I,
)
_SETTING = re.compile(rf"^(?:{_SCENE_WORDS})\b", re.I)
_FOR_WHOM = re.compile(rf"^(?:{_FOR_WHOM_WORDS})\s+(?=\S)", re.I)  # "8. Đối với Sở Y tế:" + its points
# a condition, then who is asked: "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan …",
# "Quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan, đơn vị báo cáo về …"
_PURPOSE = re.compile(r"(?:Để|Nhằm)\s", re.I)  # a purpose before the subject: its verbs are not the subject's
_ASKS_AFTER = re.compile(
    r"^(?:(?:Trong|Nếu|Khi|Trường hợp)\b[^.;]{0,300},\s*(đề nghị|yêu cầu|giao)\s+"
    r"|(?:Trong quá trình|Quá trình|Nếu|Khi)\b[^.;]{0,120}?khó khăn,\s*vướng mắc[^,.;]{0,40}?,?\s+"
    r"(?:(đề nghị|yêu cầu|giao)\s+)?(?-i:(?=[Cc]ác\s|[A-ZĐ])))",
    re.I,
)


class _LeadLines(_Naming):
    """The lead a unit's line or heading gives; mixed into the extractor (`assignments._Extractor`), which
    holds the document (`doc`) these read the type of."""

    def heading_lead(self, u: Unit, text: str) -> _Lead | None:
        """ "3. Sở Tài chính", "7. Đề nghị Ủy ban MTTQ tỉnh và các đoàn thể", "Trách nhiệm của Bộ Y tế",
        "1. Bộ Lao động - Thương binh và Xã hội có trách nhiệm:" — the agency leads every point below."""
        head = text.split("\n", 1)[0].strip().rstrip(":").strip()
        head = _FOR_WHOM.sub("", head)  # "8. Đối với Sở Y tế:" + its points
        group = _GROUP.match(head)  # "Các đơn vị thuộc trụ cột … bao gồm: Y tế, Giáo dục …"
        if group:
            return self.make(group.group(1), [], "assign")
        # "1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý …):" — the members in brackets;
        # "2. Các sở, ban, ngành, địa phương: Là các đơn vị được lấy ý kiến …, chịu trách nhiệm … sau:"
        named = _MEMBERS.sub("", head.split(":", 1)[0]).strip()
        if named != head and len(named) <= 120 and not _LEAD_VERB.search(named):
            if self.is_agency(named) or _starts_with_agency(named, self.scope):
                return self.make(named, [], "assign", whole=True)
        if len(head) > 200:
            return None
        m = _DUTY_TITLE.match(head)
        if m and self.is_agency(m.group(1)):
            return self.make(m.group(1), [], "duty")
        kind = "assign"
        p = _PREFIX.match(head)
        if p:
            kind = "request" if fold(p.group(1)).lower() == "de nghi" else "assign"
            head = head[p.end() :]
        d = re.match(
            r"^(.+?)\s+(có trách nhiệm|chịu trách nhiệm|chủ trì)(?:\s+(?:thực hiện|các nội dung sau))?$", head
        )
        if d and self.is_agency(d.group(1)):
            return self.make(d.group(1), [], "duty" if "trách nhiệm" in d.group(2) else kind)
        if self.is_agency(head) or _PERSON.match(head):
            return self.make(head, [], kind, whole=True)
        if _ROLE_HEADING.match(head):  # "3. Cơ quan chủ trì giải quyết thủ tục đầu tư dự án" + its duties
            return self.make(head, [], kind, whole=True)
        at = agency_at_start(head, self.scope)
        if len(head) <= 120 and at is not None and at.start == 0 and not _LEAD_VERB.search(head, at.end):
            # "Đề nghị các tổ chức cung cấp dịch vụ chi trả", "e) Các cơ quan đăng ký đầu tư": a heading that
            # names who, in words the gazetteer cannot close, and says nothing else
            return self.make(head[:1].upper() + head[1:], [], kind, whole=True)
        return None

    def lead_line(self, text: str, path: str) -> tuple[_Lead, str] | None:
        """A line that opens with an agency and a lead verb; returns the lead and the text after it."""
        first = self._first_clause(expand_lists(text[:600], self.scope))  # "các Bộ: Tài chính, Xây dựng"
        kind = "assign"
        # "2. Về dự án …: Bộ Xây dựng …", "Bước 2: Sở X …", "b) Mở tài khoản và phát hành thẻ: UBND xã phối hợp …"
        topic = _TOPIC.match(first) or _STEP.match(first) or self._named_after_label(first)
        offset = topic.end() if topic else 0
        p = _PREFIX.match(first, offset)
        giver = None if p else _GIVER.match(first, offset)  # "Ủy ban nhân dân tỉnh giao Sở Y tế chủ trì …"
        if giver and self.is_agency(giver.group(1)):
            p = giver  # the one who gives is not the one who leads
        if p:
            kind = (
                "request" if fold(p.group(p.lastindex or 1)).lower() in {"de nghi", "yeu cau"} else "assign"
            )
            offset = p.end()
        lead_in = _LEAD_IN.match(first, offset)
        if lead_in and not p:  # "Định kỳ hàng năm trước ngày 15/11, các sở … báo cáo …"
            offset = lead_in.end()
        colon = re.match(r"^([^:;.]{3,200}?)\s*:\s*(\S.*)$", first[offset:], re.S)
        if (
            colon and _PERSON.match(colon.group(1)) and colon.group(2)[:1].isalpha()
        ):  # "2. Đồng chí Phó Trưởng phòng …: Trực tiếp chỉ đạo …"
            return self.make(colon.group(1), [], kind, path), colon.group(2)
        found = self.verb_subject(first, offset, kind, path, text)
        if found is not None:
            return found
        asks = _ASKS_AFTER.match(
            first[offset:]
        )  # "Trong quá trình thực hiện, nếu có khó khăn, đề nghị các …"
        verb = asks.group(1) or asks.group(2) if asks else None
        # bodies named in the condition do not ask ("Trường hợp còn ý kiến khác nhau giữa các Bộ, …, giao Bộ Tài
        # chính chủ trì"); without an asking verb, a body in it may be the subject itself
        if asks and (asks.group(1) or not find_agencies(first[offset : offset + asks.end()], self.scope)):
            at = offset + asks.end()
            ask_kind = "assign" if verb is None or fold(verb).lower() == "giao" else "request"
            found = self.verb_subject(first, at, ask_kind, path, text) or self.actor_line(
                first, at, ask_kind, path
            )
            if found is not None:
                return found
        purpose = _PURPOSE.match(first, offset)  # "Để nâng cao …, tăng cường …, các Sở, ngành … triển khai"
        for comma in re.finditer(
            r",\s+", first[: offset + (300 if purpose else 200)]
        ):  # "Trên cơ sở …, Sở X"
            lead_in, after = first[offset : comma.start()], first[comma.end() :]
            if _LEAD_VERB.search(lead_in) and not (purpose or _SETTING.match(lead_in)):
                break  # not an adverbial opening: the clause before the comma already says what is done
            if (after[:1].isupper() or _PLURAL.match(after)) and _starts_with_agency(after, self.scope):
                if find_agencies(lead_in, self.scope) and not _OPENER.match(lead_in):
                    break  # … nor who does it (but "Trên cơ sở đề nghị của X, Sở Y chủ trì …": X proposed)
                found = self.verb_subject(first, comma.end(), kind, path, text)
                if found is None and (purpose or _OPENER.match(lead_in)):  # "Sau khi …, Sở Tài chính lập …"
                    found = self.actor_line(first, comma.end(), kind, path)
                if found is not None:
                    return found
        return self.actor_line(first, offset, kind, path)

    def _named_after_label(self, text: str) -> re.Match[str] | None:
        """A short label that names no one, then a colon and an agency: the label is the topic."""
        m = _LABEL_COLON.match(text)
        if m is None or find_agencies(m.group(1), self.scope) or _FIELD.match(text):
            return None
        after = text[m.end() :]
        at = agency_at_start(after, self.scope)
        return (
            m
            if at is not None and at.start == 0 and _LEAD_VERB.search(after[at.end : at.end + 120])
            else None
        )

    def _first_clause(self, text: str) -> str:
        """The text up to its first ". " or "; ", except a "; " that only separates the agencies of the
        subject ("Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố tiếp tục …")."""
        for m in re.finditer(r"(?<=[.;])(?<!\.\.)\s", text):  # not after "…": "Thành Đoàn... phát động"
            head = strip_label(text[: m.start()]).rstrip(";").strip()
            if text[m.start() - 1] == ";" and self.is_agency(_QUALIFIER.sub("", head)):
                continue
            return text[: m.start()]
        return text

    def verb_subject(
        self, first: str, offset: int, kind: str, path: str, text: str
    ) -> tuple[_Lead, str] | None:
        """The agency before the first lead verb: "Sở X chủ trì", "Sở X, trên cơ sở …, chủ trì"."""
        for m in _LEAD_VERB.finditer(first, offset):
            raw = first[offset : m.start()]
            if _ASSIGNED.search(raw):
                continue  # "… được phân công chủ trì …": the subject described, its verb comes later
            subject = _APPOSITIVE.sub(
                "", _AUX.sub("", _GROUNDS_BETWEEN.sub("", _QUALIFIER.sub("", raw)))
            ).strip(" ,:")
            core = _RELATIVE.sub("", subject)
            whole = False
            if core != subject and self.is_agency(core):
                if not _STRONG_VERB.match(m.group(0)):
                    continue  # the verbs of "được phân công chủ trì thực hiện nhiệm vụ …" describe the subject
                # "các sở, ngành được phân công chủ trì … có trách nhiệm": the bodies; but "Các cơ quan được
                # phân công chủ trì thực hiện nhiệm vụ theo Kế hoạch này" is only named by what it was given
                whole = bool(_BARE_GROUP.fullmatch(strip_title(core)))  # "Thủ trưởng các cơ quan được giao …"
                subject = subject if whole else core
            if not subject or len(subject) > MAX_SUBJECT:
                break
            if _STRONG_VERB.match(m.group(0)) and _ROLE_NAME.match(subject) and not self.is_agency(subject):
                whole = True  # "Cơ quan phối hợp có trách nhiệm …": a body named by its role in the procedure
            if not whole and not self.is_agency(subject) and (_heads(subject) or _PERSON.match(subject)):
                whole = True  # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …, Chủ tịch UBND các tỉnh chịu trách nhiệm"
            if not whole and not self.is_agency(subject):
                head = subject.split(",", 1)[0]
                if _STRONG_VERB.match(m.group(0)) and "," in subject and self.is_agency(head):
                    subject = head  # "Sở Tài chính, trên cơ sở đề xuất của …, chủ trì tổng hợp"
                elif _STRONG_VERB.match(m.group(0)):
                    break
                else:
                    continue
            coop = self.cooperating(first[m.start() :])
            if "trách nhiệm" in m.group(0) and kind == "assign":
                kind = "duty"
            return self.make(subject, coop, kind, path, whole=whole), first[m.start() :]
        return None

    def actor_line(self, first: str, offset: int, kind: str, path: str) -> tuple[_Lead, str] | None:
        """ "+ Sở Xây dựng đăng tải thông điệp …", "- Công an tỉnh: …": a bullet that opens with an agency
        and goes on with what it does."""
        head = first[offset : offset + MAX_SUBJECT]
        # "Chủ tịch Ủy ban nhân dân thành phố xem xét tặng Bằng khen …"; not a law's "Bộ trưởng Bộ X quy định …"
        title = None if self.doc.header.type in LEGAL_TYPES else _TITLE.match(head)
        shift = title.end() if title else 0
        m = agency_at_start(head[shift:], self.scope)
        if m is None or m.start > 1:
            return None
        begin, end = (0 if title else m.start), shift + m.end
        while sep := re.match(
            r"\s*(?:,|;|và)\s*", head[end:]
        ):  # "Các bộ, cơ quan ngang bộ, UBND các tỉnh gửi …"
            more = agency_at_start(head[end + sep.end() :], self.scope)
            if more is None or more.start != 0:
                place = _PLACE_PART.match(
                    head[end + sep.end() :]
                )  # "UBND xã Đức Trọng, xã Lạc Dương": one head
                if place is None or m.agency.kind not in ("ubnd", "hdnd"):
                    break
                end += sep.end() + place.end()
                continue
            end += sep.end() + more.end
        if etc := re.match(r"\s*(?:\.{2,}|…|,?\s*v\.v\.?)", head[end:]):  # "…, Thành Đoàn... phát động"
            end += etc.end()
        if role := re.match(
            r"\s*\([^()]{3,120}\)(?=\s*:)", head[end:]
        ):  # "Sở Tư pháp (cơ quan thường trực):"
            end += role.end()
        after = head[end:]
        # "Chính phủ đã ban hành …", "Sở Tư pháp đã tổ chức …": what was done, no task
        if not re.match(
            r"^\s*:\s*\S|^\s+(?!và\b|của\b|với\b|thuộc\b|có\b|là\b|đã\b|vừa\b)[" + LOWER + "]", after
        ):
            return None
        if gives := re.match(r"\s+(giao|đề nghị|yêu cầu)\s+", after):  # "…, UBND tỉnh giao Sở Y tế chủ trì …"
            asked = "assign" if gives.group(1) == "giao" else "request"
            return self.actor_line(first, offset + end + gives.end(), asked, path)
        written = head[begin:end]
        rest = first[offset + end :]
        return self.make(written, self.cooperating(rest), kind, path), rest

    def inline_lead(self, text: str) -> _Lead | None:
        """ "Giao Sở Tư pháp chủ trì, phối hợp …" inside a sentence or a parenthesis."""
        for m in _INLINE_GIAO.finditer(text):
            subject = m.group(1).strip(" ,")
            if self.is_agency(subject):
                return self.make(subject, self.cooperating(text[m.start(2) :]), "assign")
        for m in re.finditer(r"(?:^|[(;.,:]\s*|\s)[Gg]iao\s+", text):  # "giao Sở Y tế thành lập đoàn …"
            a = agency_at_start(text[m.end() : m.end() + 200], self.scope)
            if a is not None and a.start == 0:
                return self.make(a.text, self.cooperating(text[m.end() + a.end :]), "assign")
        for m in re.finditer(r"(?:^|[;.,]\s+)([^;.,]{3,160}?)\s+(có trách nhiệm|chịu trách nhiệm)\b", text):
            if self.is_agency(m.group(1)):
                return self.make(m.group(1), self.cooperating(text[m.end() :]), "duty")
        # the doer after a dash closing the task: "Rà soát … – Sở Tư pháp thực hiện, hoàn thành trong Quý III"
        if (m := _DOER_AFTER_DASH.search(text)) and self.is_agency(m.group(1)):
            return self.make(m.group(1), self.cooperating(text[m.end(1) :]), "assign")
        # roles in brackets closing the task ("… (Sở Tư pháp chủ trì, …)."), not a report of what was done
        if (m := re.search(r"\(([^()]{3,300})\)[\s.;]*$", text)) and not re.search(
            r"\bđã\s+(?!được)", text[: m.start()]
        ):
            return self.bracketed_lead(m.group(1))
        return None

    def bracketed_lead(self, inner: str) -> _Lead | None:
        """A task that names its roles in brackets after it: "(Sở Tư pháp chủ trì, các sở liên quan phối hợp;
        thực hiện trong năm 2026)", "(Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Công an tỉnh)", "(Thực
        hiện: Công an phường; phối hợp: các tổ dân phố; thời gian: Quý II/2026)"."""
        lead, coop, when = None, [], None
        for part in re.split(r"\s*;\s*", inner):
            if f := _BRACKET_FIELD.match(part):
                if not f["role"].lower().startswith("phối"):  # "Thực hiện: Sở X" names the lead too
                    lead = lead or f["value"].strip(" .")
                else:
                    coop += self.field_parties(f["value"])
            elif t := _BRACKET_TIME.match(part):
                when = when or t["value"].strip(" .")
            elif (c := re.match(r"^(.{3,160}?)\s+chủ trì\s*(?:[,;]\s*|$)(.*)$", part)) and self.is_agency(
                c.group(1)
            ):
                lead = lead or c.group(1)
                if w := re.match(r"^(.{3,200}?)\s+(?:cùng\s+)?phối hợp\b", c.group(2)):
                    coop += self.coop_list(w.group(1))
        if lead is None or not self.is_agency(lead):
            return None
        made = self.make(lead, list(dict.fromkeys(coop)), "assign")
        made.deadline = when
        return made
