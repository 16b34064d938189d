"""Who does what: task assignments read from a document's outline.

Plans phrase assignments in a handful of layouts, all handled by rules over the outline, never by
sentences of a particular plan:

- lead lines: "- Sở X chủ trì, phối hợp với Y, Z thực hiện các nhiệm vụ sau:" leads every bullet under it;
  "Các sở, ban, ngành … thực hiện các nhiệm vụ sau:" leads the siblings that follow it;
- agency headings: "3. Sở Tài chính", "**1. Sở Y tế**", "7. Đề nghị Ủy ban Mặt trận …" lead their points,
  which are subjectless ("a) Chủ trì, phối hợp …");
- fields: "- Cơ quan chủ trì: X / - Cơ quan phối hợp: Y / - Thời gian thực hiện: Z" under a task;
- inline: "Giao X chủ trì …", "(giao X thực hiện)", and legal duties "X có trách nhiệm …";
- tables whose header names a "Cơ quan chủ trì" column (rows are lines with " | " between cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .agencies import (
    agency_at_start,
    canonical,
    expand_lists,
    find_agencies,
    province_of,
    resolve,
    same_agency,
    split_agencies,
)
from .model import Document, Task, Unit
from .normalize import CELL_SEP, LOWER, UPPER, fold
from .structure import LEGAL_TYPES
from .task_tables import looks_named, read_tables

# Verbs that follow the agency a line assigns work to ("Sở X chủ trì", "Bộ Y có trách nhiệm").
_LEAD_VERB = re.compile(
    r"\b(chủ trì|chịu trách nhiệm|có trách nhiệm|phụ trách|(?<!, )lãnh đạo(?!\s+(?:các|của|UBND|Ủy ban|Sở|Ban|phòng|"
    r"đơn vị|cơ quan|tỉnh|huyện|xã|Bộ)\b)|chỉ đạo|thực hiện|triển khai|tổ chức|"
    r"tham mưu|hướng dẫn|xây dựng|phối hợp|tăng cường|rà soát|nghiên cứu|theo dõi|bảo đảm|đảm bảo|báo cáo)\b"
)
_STRONG_VERB = re.compile(r"\b(chủ trì|chịu trách nhiệm|có trách nhiệm|phụ trách)\b")
_LABEL = re.compile(
    r"^\s*(?:[-–—•+]|[_~](?=\s)|[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]+\.|Điều\s+\d+[a-z]?\.?)\s*"
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
_GROUNDS = re.compile(r"^Căn cứ\s")  # the legal grounds a text opens with: no one's task
_DUTY_TITLE = re.compile(r"^(?:Trách nhiệm|Nhiệm vụ)(?: thi hành)?(?: của)?\s+(.+?)\s*$", re.I)
_COOP = re.compile(r"\bphối hợp(?:\s+(?:chặt chẽ\s+)?(?:với|cùng))?\s+", re.I)
_COOP_STOP = re.compile(
    r"\s(?:thực hiện|triển khai|tổ chức|tham mưu|để|nhằm|trong|xây dựng|vận động|hướng dẫn|rà soát|và căn cứ|"
    r"theo|đảm bảo|bảo đảm|tổng hợp|báo cáo|kiểm tra|nghiên cứu|tuyên truyền|cung cấp|đề xuất)\b|[:;.(]"
)
_FIELD = re.compile(
    r"^\s*(?:[-–—•+]\s*)?(?:(?:Cơ quan|Đơn vị|Bộ phận|Trách nhiệm)\s+(?P<role>chủ trì|phối hợp|thực hiện)(?:[^:]{0,30})?"
    r"|(?-i:(?P<bare>Chủ trì|Phối hợp)))\s*:\s*(?P<value>.+)$"
    r"|^\s*(?:[-–—•+]\s*)?(?:Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: hoàn thành)?|Tiến độ)\s*:\s*(?P<time>.+)$",
    re.I | re.M,
)
# fields run together on one line: "Đơn vị chủ trì: Sở X; đơn vị phối hợp: Sở Y; thời gian: Quý II năm 2026."
_NEXT_FIELD = re.compile(
    r"\s*[;.]\s*(?=(?:cơ quan|đơn vị|bộ phận|trách nhiệm)\s+(?:chủ trì|phối hợp|thực hiện)[^:;]{0,30}:|(?:thời gian|thời hạn|tiến độ)"
    r"[^:;]{0,20}:)",
    re.I,
)
# a role named in brackets after the task: "(Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: …)"
_BRACKET_FIELD = re.compile(
    r"^(?:(?:cơ quan|đơn vị)\s+)?(?P<role>chủ trì|phối hợp)[^:]{0,20}:\s*(?P<value>.+)$", re.I
)
# "Cơ quan thực hiện: Sở Tư pháp (chủ trì), Công an tỉnh, …": the one marked leads, the others take part
_MARKED_LEAD = re.compile(r"\s*\((?:cơ quan |đơn vị )?chủ trì\)", re.I)
# where the name of a body listed as cooperating ends and what it does begins ("Văn phòng UBND tỉnh giúp …")
_TAIL_VERB = re.compile(
    r"\s(?:chủ trì|thực hiện|triển khai|tham mưu|hướng dẫn|xây dựng|phối hợp|rà soát|theo dõi|bảo đảm|chỉ đạo|"
    r"đảm bảo|báo cáo|xem xét|giúp|bố trí|cân đối|khẩn trương|tiếp tục|tập trung|chủ động|kịp thời|cung cấp|đề xuất|"
    r"kiểm tra|nghiên cứu|tổng hợp|tuyên truyền|hỗ trợ|giải quyết)\b"
)
_MEMBERS = re.compile(r"\s*\([^()]{3,300}\)\s*$")  # "(Sở Tài chính, Ban quản lý …)" after a group's name
_FIELD_LABEL = re.compile(r"^\s*(?:Cơ quan|Đơn vị)\s+(?:thực hiện|chủ trì|phối hợp)[^:]{0,30}:\s*$", re.I)
_DEADLINE = re.compile(
    r"(?:(?:định kỳ\s+)?(?:hàng|hằng)\s+(?:năm|quý|tháng|tuần)[^.;:\d]{0,30}?)?"
    r"(?:trước|chậm nhất(?: là)?|hoàn thành trước|trong)\s+(?:ngày\s+)?\d{1,2}(?:/|\s+tháng\s+)\d{1,2}"
    r"(?:(?:/|\s+năm\s+)\d{4})?"
    r"|định kỳ\s+(?:(?:hàng|hằng)\s+)?(?:năm|quý|tháng|6 tháng)\b(?!\s+(?:của|các))"
    r"|(?:trong\s+)?(?:Quý|quý)\s+(?:[IV]+|[1-4])(?:/|\s+năm\s+)\d{4}"  # "quý III/2026", "quý 1/2019"
    r"|(?:trước\s+)?(?:tháng)\s+\d{1,2}/\d{4}"
    r"|(?:hoàn thành\s+)?(?:trong|trước)\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",  # "trong tháng 3 năm 2025"
    re.I,
)
TITLE_CHARS = 100  # a task's title this long states the work; shorter, it heads the points that do
MAX_SUBJECT = 400  # characters of a subject before its verb: a list of a dozen bodies fits
# what a subject says of its own remit before the verb: "…, theo chức năng, nhiệm vụ được giao, có trách nhiệm"
_QUALIFIER = re.compile(
    r"(?:,\s*|\s+)(?:(?:theo|trong phạm vi|căn cứ|trên cơ sở)\s+(?:vào\s+)?(?:chức năng|thẩm quyền|nhiệm vụ|phạm vi|"
    r"lĩnh vực)|căn cứ\s+(?:vào\s+)?(?:nội dung\s+)?[Kk]ế hoạch này)\b[^;.]*$"
)
# between a subject and its verb: "Bộ trưởng, … tập trung chỉ đạo", "Sở Y tế cần khẩn trương triển khai"
_AUX = re.compile(
    r"(?:\s+(?:cần|phải|sẽ|tiếp tục|tập trung|khẩn trương|chủ động|kịp thời|thường xuyên|trực tiếp|nghiêm túc|"
    r"tích cực))+\s*$"
)
# the subject's role said between it and its verb: "Sở Công Thương là cơ quan đầu mối, có trách nhiệm …"
_APPOSITIVE = re.compile(r"\s+(?:là|với vai trò(?: là)?)\s+[^,;()]{3,80}?,?\s*$")
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
_PLURAL = re.compile(r"(?:^|\s)(?:các|những)\s", re.I)  # "các sở, ban, ngành", "UBND các xã": bodies, plural
_PLACE_TAIL = re.compile(r"^(?:\(|tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu|trung uong)\b")
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
_REPORT = re.compile(r"\bbáo cáo\b", re.I)
_GENERIC_TASK = re.compile(
    r"^[\s,:]*(?:triển khai\s+)?(?:thực hiện|triển khai)?\s*(?:các|những)?\s*(?:nhiệm vụ|nội dung|công việc)"
    r"(?:\s+(?:sau|cụ thể|như sau))*[\s:.]*$|^[\s,:]*(?:cụ thể|như sau)[\s:.]*$"
)
# The words that introduce a list rather than state work: "căn cứ chức năng, nhiệm vụ được giao", "…, cụ thể
# như sau:", "triển khai thực hiện các nội dung sau đây:".
_BY_MANDATE = re.compile(
    r"^(?:căn cứ|theo)\s+(?:(?:chức năng|nhiệm vụ|quyền hạn)[\s,và]*)+(?:được giao)?[\s,]*", re.I
)
_INTRO_END = re.compile(
    r"[\s,]*(?:(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện\s+)?(?:tốt\s+)?(?:các|những)?\s*(?:nhiệm vụ|nội dung|công việc|"
    r"giải pháp|hoạt động|việc)?\s*(?:cụ thể\s*)?(?:như\s+)?sau(?:\s+đây)?|cụ thể(?:\s+là)?|gồm|bao gồm)"
    r"(?:[\s,]*(?:bao\s+)?gồm)?\s*:\s*$",
    re.I,
)
# What every document says and no one is given to do: "UBND tỉnh ban hành Kế hoạch … như sau:", "Trên đây là
# Chỉ thị …", "Văn phòng Chính phủ trân trọng thông báo", "… chịu trách nhiệm thi hành Quyết định này". A
# "ban hành" after other verbs is work to do: "Nghiên cứu, ban hành quy định …", "Xây dựng và ban hành kế hoạch".
_FORMULA = re.compile(
    r"(?<!, )(?<! và )(?<!mưu )(?<!trình )(?<!xuất )\bban hành\s+(?:kèm theo\s+)?(?:Kế hoạch|Quyết định|Chỉ thị|Thông báo|Chương trình|Nghị quyết|Hướng dẫn|Quy chế|"
    r"Quy định|Đề án|Công văn|Thông tư|Nghị định)\b[^.;:]*?(?:như sau|sau đây|cụ thể)?\s*[:.]?\s*$"
    r"|^Trên đây là\b|\btrân trọng thông báo\b|\b(?:chịu|có) trách nhiệm thi hành (?:Quyết định|Chỉ thị|Nghị định|"
    r"Thông tư|Nghị quyết|Kế hoạch) này\b|\b(?:chịu|có) trách nhiệm (?:tổ chức )?thực hiện (?:Quyết định|Chỉ thị|"
    r"Nghị định|Thông tư|Nghị quyết) này\b",
    re.I,
)
# A task whose points are the things it lists ("Lập hồ sơ …, bao gồm:") or what it is for ("Sửa đổi Luật … để:")
_ONE_TASK_LIST = re.compile(
    r"^(?!.*\b(?:nhiệm vụ|nội dung|hoạt động|công việc|giải pháp|biện pháp)\b).*\b(?:bao gồm|gồm có|gồm)\s*:\s*$"
    r"|\s(?:để|nhằm)\s*:\s*$",
    re.I | re.S,
)
_TIME_ONLY = re.compile(
    r"^(?:Thời gian(?: thực hiện| hoàn thành| hoàn tất)?|Thời hạn(?: hoàn thành)?|Tiến độ)\s*:\s*(.{2,120})$",
    re.I | re.S,
)
# Sibling blocks of one task group: "1. Nội dung, biện pháp" + its points, then "2. Cơ quan chủ trì, phối hợp"
# ("a) Cơ quan chủ trì" + "- X." …), "3. Thời gian thực hiện: …": the roles stand beside the work, not in it.
_CONTENT_BLOCK = re.compile(
    r"^(?:Nội dung|Nhiệm vụ|Giải pháp|Biện pháp|Công việc|Hoạt động)\b[^:.;\n]{0,50}?(?::\s*(?P<value>\S.*))?$",
    re.I | re.S,
)
_ROLE_BLOCK = re.compile(
    r"^(?:(?:Cơ quan|Đơn vị)\s+(?P<role>chủ trì|thực hiện|phối hợp)(?:\s*,\s*(?:phối hợp|thực hiện))?"
    r"|(?P<bare>Chủ trì|Phối hợp)\s+thực hiện)\s*(?:(?::\s*|\n+)(?P<value>\S.*))?$",
    re.I | re.S,
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
_STRUCTURAL = {"part", "letterpart", "section", "subsection", "chapter", "muc", "article"}


@dataclass
class _Lead:
    name: str
    written: str
    cooperating: list[str]
    kind: str
    line_path: str | None = None
    co_leads: list[str] = field(default_factory=list)  # "Bộ Xây dựng, Bộ Tài chính chủ trì": the others


def extract_tasks(doc: Document) -> list[Task]:
    """Every assignment in the document, in reading order."""
    scope = province_of(doc.header.issuer) or province_of(doc.header.issuer_full)
    ex = _Extractor(doc, scope)
    ex.walk(None, None)
    read_tables(ex)
    ex.tasks.sort(key=lambda t: (t.start, t.unit_path))
    return ex.tasks


class _Extractor:
    def __init__(self, doc: Document, scope: str | None):
        self.doc, self.scope = doc, scope
        self.children: dict[str | None, list[Unit]] = {}
        for u in doc.units:
            self.children.setdefault(u.parent, []).append(u)
        self.tasks: list[Task] = []

    # ------------------------------------------------------------------ outline
    def own(self, u: Unit) -> str:
        return self.doc.text[u.start : u.body_end].strip()

    def full(self, u: Unit) -> str:
        return self.doc.text[u.start : u.end].strip()

    def walk(self, parent: str | None, inherited: _Lead | None) -> None:
        """Visit the children of one unit with the lead they inherit. A lead line that ends with ":" and
        has no bullets of its own leads the siblings after it; a structural heading starts afresh."""
        current = inherited
        intro: _Lead | None = (
            None  # a paragraph "… X thực hiện các nội dung sau:" leads the numbered items after it
        )
        beside = self._role_siblings(self.children.get(parent, []))
        shared = self._shared_fields(self.children.get(parent, []))
        grounds = ""  # a "Căn cứ …" paragraph not yet ended: a wrapped line of it is no lead line
        preamble = parent is None  # the paragraphs before the first heading, where the grounds stand
        for u in self.children.get(parent, []):
            if u.path in beside:
                continue
            own = self.own(u)
            preamble = preamble and u.kind == "paragraph"
            # "Căn cứ Quyết định … của Bộ trưởng" / "Bộ Giáo dục và Đào tạo phê duyệt …;": grounds, wrapped; not
            # "Căn cứ Công văn …, Ủy ban nhân dân tỉnh giao Sở Y tế chủ trì …." (a sentence that assigns)
            ends = own.rstrip()[-1:]
            if (
                preamble
                and ends != "."
                and (_GROUNDS.match(own) or (grounds and (ends in ";," or own[:1].islower())))
            ):
                grounds = "" if ends in ";:" else own
                continue
            grounds = ""
            if own.count(CELL_SEP) >= 3:
                continue  # table rows are read by tables()
            kids = self.children.get(u.path, [])
            text = strip_label(own)
            if not kids and _issuing(text):
                # the issuer issuing this text, its closing, its execution clause: no one's task; but the
                # closing's "Trong quá trình thực hiện, nếu có khó khăn, đề nghị các cơ quan … phản ánh" is
                rest = re.split(r"(?<=[.;])\s+", text, maxsplit=1)[1:]
                # as is its "Đề nghị các đơn vị liên quan phối hợp triển khai …" after "Trên đây là Kế hoạch …"
                asks = rest and (_ASKS_AFTER.match(rest[0]) or _PREFIX.match(rest[0]))
                line = self.lead_line(rest[0], u.path) if asks else None
                if line is not None:
                    self.add(u, line[0], rest[0])
                continue
            if (
                not kids
                and (when := _TIME_ONLY.match(text))
                and self.tasks
                and self.tasks[-1].start < u.start
            ):
                last = self.tasks[-1]  # "Thời gian hoàn tất: trước ngày 27/6/2014." under the task it closes
                if last.deadline is None and last.unit_path.rsplit(".", 1)[0] == u.path.rsplit(".", 1)[0]:
                    last.deadline = when.group(1).strip().rstrip(".;")
                continue
            base = (intro or inherited) if u.kind in _STRUCTURAL else current
            if self._fields(u, kids):
                continue
            if (
                not kids
                and base is None
                and u.path in shared
                and not self.inline_lead(text)
                and self.lead_line(text, u.path) is None
            ):
                borrowed = shared[u.path]  # the last item's field points, or its field text
                if self._fields(u, [], borrowed) if isinstance(borrowed, str) else self._fields(u, borrowed):
                    continue
            heading = self.heading_lead(u, text) if kids else None
            if heading is not None:
                self.walk(u.path, heading)
                continue
            line = self.lead_line(text, u.path)
            if line is not None:
                lead, rest = line
                if kids:
                    if _substantive(rest):
                        self.add(u, lead, own, body_only=True)
                    self.walk(u.path, lead)
                elif text.rstrip().endswith(":") and not _substantive(rest):
                    current = lead
                    intro = lead if u.kind == "paragraph" else intro
                else:
                    if (
                        not lead.cooperating
                    ):  # "X: Chủ trì …; phối hợp với Công an tỉnh bảo đảm …": a later clause
                        lead = replace(lead, cooperating=self.cooperating(text))
                    self.add(u, lead, self.full(u))
                    if text.rstrip().endswith(":"):  # "Đề nghị X tập trung …; trong đó lưu ý … sau:" + points
                        current = lead
                        intro = lead if u.kind == "paragraph" else intro
                continue
            lead = self.inline_lead(text) or base
            if lead is not None and lead is base:
                coop = self.cooperating(text)
                lead = replace(lead, cooperating=coop) if coop else lead
            if kids and lead is not None and u.kind not in _STRUCTURAL and _ONE_TASK_LIST.search(text):
                self.add(u, lead, self.full(u))  # "Lập hồ sơ hoàn công …, bao gồm:" + the papers: one task
            elif kids:
                if lead is not None and u.kind not in _STRUCTURAL and _substantive(text):
                    self.add(u, lead, own, body_only=True)
                self.walk(u.path, lead)
            elif lead is not None and u.kind not in {"part", "chapter", "muc"}:
                text, later = self.split_at_new_lead(u)
                self.add(u, lead, text)
                current = later or current
            elif u.kind not in {"part", "chapter", "muc"}:
                text, later = self.split_at_new_lead(u)
                self.add(u, None, text)  # only its clauses that name their own actor
                current = later or current

    def split_at_new_lead(self, u: Unit) -> tuple[str, _Lead | None]:
        """A bullet's continuation paragraph that is itself a lead line ("Bộ Chỉ huy Quân sự tỉnh chủ trì …
        thực hiện các nhiệm vụ sau:") ends the bullet and leads the bullets after it."""
        full = self.full(u)
        paragraphs = full.split("\n\n")
        for i, para in enumerate(paragraphs[1:], start=1):
            if not para.rstrip().endswith(":"):
                continue
            line = self.lead_line(para.strip(), u.path)
            if line is not None and not _substantive(line[1]):
                return "\n\n".join(paragraphs[:i]), line[0]
        return full, None

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
            subject = _APPOSITIVE.sub("", _AUX.sub("", _QUALIFIER.sub("", raw))).strip(" ,:")
            core = _RELATIVE.sub("", subject)
            whole = False
            if core != subject and self.is_agency(core):
                if not _STRONG_VERB.match(m.group(0)):
                    continue  # the verbs of "được phân công chủ trì thực hiện nhiệm vụ …" describe the subject
                # "các sở, ngành được phân công chủ trì … có trách nhiệm": the bodies; but "Các cơ quan được
                # phân công chủ trì thực hiện nhiệm vụ theo Kế hoạch này" is only named by what it was given
                whole = bool(_BARE_GROUP.fullmatch(core))
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
                break
            end += sep.end() + more.end
        if etc := re.match(r"\s*(?:\.{2,}|…|,?\s*v\.v\.?)", head[end:]):  # "…, Thành Đoàn... phát động"
            end += etc.end()
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
        # roles in brackets closing the task ("… (Sở Tư pháp chủ trì, …)."), not a report of what was done
        if (m := re.search(r"\(([^()]{3,300})\)[\s.;]*$", text)) and not re.search(
            r"\bđã\s+(?!được)", text[: m.start()]
        ):
            return self.bracketed_lead(m.group(1))
        return None

    def bracketed_lead(self, inner: str) -> _Lead | None:
        """A task that names its roles in brackets after it: "(Sở Tư pháp chủ trì, các sở liên quan phối hợp;
        thực hiện trong năm 2026)", "(Cơ quan chủ trì: Sở Tư pháp; cơ quan phối hợp: Công an tỉnh)"."""
        lead, coop = None, []
        for part in re.split(r"\s*;\s*", inner):
            if f := _BRACKET_FIELD.match(part):
                if f["role"].lower().startswith("chủ"):
                    lead = lead or f["value"].strip(" .")
                else:
                    coop += split_agencies(f["value"].strip(" ."))
            elif (c := re.match(r"^(.{3,160}?)\s+chủ trì\s*(?:[,;]\s*|$)(.*)$", part)) and self.is_agency(
                c.group(1)
            ):
                lead = lead or c.group(1)
                if w := re.match(r"^(.{3,200}?)\s+(?:cùng\s+)?phối hợp\b", c.group(2)):
                    coop += split_agencies(w.group(1))
        if lead is None or not self.is_agency(lead):
            return None
        return self.make(lead, [canonical(c, self.scope) for c in coop if self.is_agency(c)], "assign")

    def _fields(self, u: Unit, kids: list[Unit], borrowed: str | None = None) -> bool:
        """ "- Cơ quan chủ trì: X / - Cơ quan phối hợp: Y / - Thời gian thực hiện: Z": as child bullets of a
        task, or as the lines that follow its first line. Not when a child block's points are the tasks ("1. Nội
        dung" + "a) …", "b) …"): then the fields stand beside them (`_role_siblings`)."""
        if any(self.children.get(k.path) and _CONTENT_BLOCK.match(strip_label(self.own(k))) for k in kids):
            return False
        field_kids = [k for k in kids if _FIELD.match(strip_label(self.own(k)))]
        sources = [strip_label(self.own(k)) for k in field_kids]
        for k in kids:  # "b) Cơ quan thực hiện:" whose own points are the fields ("- Đơn vị chủ trì: X")
            if k not in field_kids and _FIELD_LABEL.match(strip_label(self.own(k))):
                inner = [strip_label(self.own(g)) for g in self.children.get(k.path, [])]
                inner = [t for t in inner if _FIELD.match(t)]
                if inner:
                    field_kids.append(k)
                    sources += inner
        if not field_kids:
            own = self.own(u)
            sources = [borrowed] if borrowed else [own.split("\n", 1)[1]] if "\n" in own else []
        found: dict[str, str] = {}
        for t in sources:
            for m in _FIELD.finditer(_NEXT_FIELD.sub("\n", t)):
                if m["time"]:
                    found.setdefault("time", m["time"].strip().rstrip(".;"))
                else:
                    found.setdefault(fold(m["role"] or m["bare"]).lower(), m["value"].strip().rstrip(".;"))
        value = found.get("chu tri") or found.get("thuc hien")
        if not value:
            return False
        if not found.get("chu tri") and _MARKED_LEAD.search(value):
            marked = [m.strip() for m in re.findall(r"([^,;()]+?)" + _MARKED_LEAD.pattern, value, re.I)]
            others = [p for p in split_agencies(_MARKED_LEAD.sub("", value)) if p.strip() not in marked]
            value = ", ".join(marked)
            found.setdefault("phoi hop", ", ".join(others))
        verb = None if _PERSON.match(value) else _STRONG_VERB.search(value)  # "Sở X chủ trì, phối hợp với Y"
        subject = value[: verb.start()] if verb else value
        coop = self.coop_list(found.get("phoi hop", "")) or (
            self.cooperating(value[verb.start() :]) if verb else []
        )
        subject = _QUALIFIER.sub("", subject)  # "Các sở, ngành có liên quan theo chức năng, nhiệm vụ …"
        parts = [p for p in re.split(r"\s*;\s*", subject) for p in (split_agencies(p) or [p]) if p.strip()]
        if _PERSON.match(subject.strip()):
            parts = [subject.strip()]  # a role: its commas are part of the name
        if not parts or not (self.is_agency(strip_title(parts[0])) or _PERSON.match(parts[0])):
            return self._field_clauses(u, value, found.get("time"), [k for k in kids if k not in field_kids])
        lead = self.make(strip_title(parts[0]), coop, "assign")
        done = {k.path for k in field_kids}
        lists = [
            k
            for k in kids
            if k.path not in done and self.own(k).rstrip().endswith(":") and self.children.get(k.path)
        ]
        done |= {k.path for k in lists}  # "- Các nội dung … bao gồm:" + its items: each item is a task
        body = [self.own(u)] + [self.full(k) for k in kids if k.path not in done]
        whole, listed_only = "\n".join(b for b in body if b), bool(lists) and len(body) == 1
        if field_kids and _titled(strip_label(self.own(u))):  # "1.1. <the work>" + notes + fields: the title
            body = [self.own(u)]
        for k in lists:
            self.walk(k.path, lead)
        if listed_only:
            return True  # the title over its listed items: they are the tasks
        t = self.add(u, lead, "\n".join(b for b in body if b), body_only=not field_kids and bool(kids))
        if t is None:
            return True
        t.co_leads = t.co_leads or [
            canonical(strip_title(p), self.scope) for p in parts[1:] if self.is_agency(strip_title(p))
        ]
        t.deadline = found.get("time") or t.deadline or find_deadline(whole)
        if not field_kids and kids:
            self.walk(u.path, lead)
        return True

    def _shared_fields(self, siblings: list[Unit]) -> dict[str, list[Unit] | str]:
        """Fields after the last item of a list, when no item before it has points or fields of its own, close the
        whole list; the items share them: "3.1. …", "3.2. …", "3.3. …" + "- Đơn vị chủ trì: X" (its points), or
        "a) …", "b) …" + a paragraph "Cơ quan chủ trì: X; cơ quan phối hợp: Y; thời gian: …" (read as going on
        with "b)"). Maps each such item's path to the field points or the field text it borrows."""
        if not siblings:
            return {}
        last = siblings[-1]
        items = [u for u in siblings if u.kind == last.kind]
        if len(items) < 2 or any(self.children.get(u.path) or "\n" in self.own(u) for u in items[:-1]):
            return {}
        if last.kind == "subsection":
            fields = [k for k in self.children.get(last.path, []) if _FIELD.match(strip_label(self.own(k)))]
            if any(_FIELD.match(strip_label(self.own(k)))["value"] for k in fields):
                return {u.path: fields for u in items[:-1]}
        if last.kind in ("point", "dash", "plus", "subsection") and not self.children.get(last.path):
            tail = self.own(last).split("\n", 1)[1:]
            if tail and any(m["value"] for m in _FIELD.finditer(_NEXT_FIELD.sub("\n", tail[0]))):
                return {u.path: tail[0] for u in items[:-1]}
        return {}

    def _field_clauses(self, u: Unit, value: str, deadline: str | None, others: list[Unit]) -> bool:
        """ "Cơ quan thực hiện: Sở X tiến hành rà soát …; các sở, ngành và UBND các xã rà soát …": a field whose
        clauses each name who does what; each clause is that agency's task (and the points of the unit's other
        lists, "- Thời gian thực hiện:" + "+ Bộ Công an tổng hợp …", are read for their own actors)."""
        clauses = [c.strip() for c in re.split(r"\s*;\s*", value) if c.strip()]
        leads = [self.lead_line(c, u.path) or self.actor_clause(c, u.path) for c in clauses]
        if not clauses or any(ld is None for ld in leads):
            return False
        for clause, found in zip(clauses, leads, strict=True):
            t = self.add(u, found[0], clause)  # type: ignore[index]
            if t is not None:
                t.deadline = t.deadline or deadline
        for k in others:
            if self.children.get(k.path):
                self.walk(k.path, None)
        return True

    def _role_siblings(self, siblings: list[Unit]) -> set[str]:
        """ "1. Nội dung, biện pháp" (the tasks, as its points) beside "2. Cơ quan chủ trì, phối hợp" and
        "3. Thời gian thực hiện: …": each point of the content block is a task of the first lead listed, with
        the other leads, the cooperating agencies and the time of the blocks beside it. Returns the paths
        read here (the walk skips them); none when the siblings are not laid out so."""
        contents = [u for u in siblings if _CONTENT_BLOCK.match(strip_label(self.own(u)))]
        if not contents:
            return set()  # most sibling lists: no role blocks to read
        roles: dict[str, list[str]] = {}
        blocks = [u for u in siblings if u not in contents and self._roles_of(u, roles)]
        leads = roles.get("lead", [])
        if not leads or not (self.is_agency(strip_title(leads[0])) or _PERSON.match(leads[0])):
            return set()
        lead = self.make(
            strip_title(leads[0]), self.coop_list("; ".join(roles.get("coop", []))), "assign", whole=True
        )
        named = [x for x in leads[1:] if self.is_agency(strip_title(x)) or looks_named(x)]
        lead.co_leads = [canonical(strip_title(x), self.scope) for x in named]
        time = roles.get("time", [None])[0]
        for u in contents:
            before = len(self.tasks)
            value = _CONTENT_BLOCK.match(strip_label(self.own(u)))["value"]  # type: ignore[index]
            if self.children.get(u.path):
                self.walk(u.path, lead)
            elif value:
                self.add(u, lead, value)
            for t in self.tasks[before:]:
                if t.lead == lead.name:
                    t.deadline = t.deadline or time
        return {u.path for u in contents + blocks}

    def _roles_of(self, u: Unit, roles: dict[str, list[str]]) -> bool:
        """A role block's agencies (inline after ":", or one per child line) into `roles` ("lead", "coop",
        "time"); its sub-blocks ("a) Cơ quan chủ trì", "b) Cơ quan phối hợp") each in turn."""
        text = strip_label(self.own(u))
        when = _TIME_ONLY.match(text)
        if when:
            roles.setdefault("time", []).append(when.group(1).strip().rstrip(".;"))
            return True
        m = _ROLE_BLOCK.match(text)
        if m is None:
            return False
        kids = self.children.get(u.path, [])
        if not m["value"] and kids and all(self._roles_of(k, roles) for k in kids):
            return True
        role = "coop" if fold(m["role"] or m["bare"]).lower() == "phoi hop" else "lead"
        values = [m["value"]] if m["value"] else [strip_label(self.own(k)) for k in kids]
        lines = [
            line
            for v in values
            for line in v.split("\n")
            if line.strip() and not line.lstrip().startswith("(")
        ]
        found = [
            p.strip(" .;") for line in lines for p in re.split(r"\s*;\s*", line)
        ]  # not "(… giúp …)" notes
        found = [p for p in found if p]
        if any(len(p) > 150 or _TAIL_VERB.search(p) for p in found):
            return (
                False  # "2. UBND các huyện chỉ đạo … ra quân hằng tháng": a task under the label, not a name
            )
        roles.setdefault(role, []).extend(found)
        return bool(found)

    def actor_clause(self, text: str, path: str) -> tuple[_Lead, str] | None:
        """ "Sở Khoa học và Công nghệ tiến hành rà soát …": an agency, then what it does (any verb)."""
        a = agency_at_start(text[:300], self.scope)
        if a is None or a.start != 0 or not re.match(rf"\s+[{LOWER}]", text[a.end :]):
            return None
        return self.make(text[: a.end], self.cooperating(text[a.end :]), "assign", path), text[a.end :]

    # ------------------------------------------------------------------ helpers
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
            elif (a := agency_at_start(p, self.scope)) is not None and a.start == 0 and len(p) - a.end <= 40:
                tail = p[a.end :]  # "UBND các huyện miền núi": a qualified group; but "Văn phòng UBND tỉnh
                tail = tail[: cut.start()] if (cut := _TAIL_VERB.search(tail)) else tail  # khẩn trương …"
                name = f"{canonical(a.text, self.scope)}{tail.rstrip()}"
            else:
                continue
            if name not in out:
                out.append(name)
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

    def add(self, u: Unit, lead: _Lead | None, text: str, body_only: bool = False) -> Task | None:
        """Record the unit's task; a later clause with its own actor ("…; Bộ Khoa học và Công nghệ hướng dẫn
        …", "… Để xác định vị trí, UBND tỉnh Thanh Hóa phối hợp …") becomes that actor's task."""
        end = u.body_end if body_only else u.end
        first = None
        for clause_text, clause_lead in self.clauses(text, lead, u.path):
            if clause_lead is not None:
                task = self._task(u, clause_lead, clause_text, end)
                first = first or task
        return first

    def clauses(self, text: str, lead: _Lead | None, path: str) -> list[tuple[str, _Lead | None]]:
        cuts: list[tuple[int, _Lead]] = []
        for m in _CLAUSE.finditer(text):
            clause = text[m.end() :]
            if not _starts_with_actor(clause, self.scope) or _issuing(clause, self.scope):
                continue  # (nor "Nhằm …, Ủy ban nhân dân thành phố ban hành Kế hoạch …, cụ thể như sau:")
            before = _QUALIFIER.sub("", strip_label(text[: m.start()]).strip(" ;,"))
            if lead is not None and sum(c.isalpha() for c in before) < 3:
                continue  # "1.\nTrên cơ sở …, các cơ quan …" under its fields: the label only, the fields lead
            if self.is_agency(before):
                continue  # "Các sở, ban, ngành; UBND các huyện tiếp tục …": one subject, listed
            line = self.lead_line(clause[:600], path)
            if line is not None and (lead is None or not same_agency(line[0].name, lead.name, self.scope)):
                cuts.append((m.end(), line[0]))
        if not cuts:
            return [(text, lead)]
        out, start, current = [], 0, lead
        for at, new in cuts:
            out.append((text[start:at], current))
            start, current = at, new
        out.append((text[start:], current))
        return [(t, ld) for t, ld in out if t.strip()]

    def _task(self, u: Unit, lead: _Lead, text: str, end: int) -> Task | None:
        if sum(c.isalpha() for c in text) < 3:
            return None  # a lone "-" or "+" line: no work stated
        task = Task(
            unit_path=u.path,
            section=u.section,
            lead=lead.name,
            lead_written=lead.written,
            cooperating=list(lead.cooperating),
            task=text.strip(),
            deadline=find_deadline(text),
            report_to=self.report_to(text),
            kind=lead.kind,
            co_leads=list(lead.co_leads),
            start=u.start,
            end=end,
        )
        self.tasks.append(task)
        return task

    def report_to(self, text: str) -> list[str]:
        """ "báo cáo UBND tỉnh …, đồng gửi Sở X", "(qua Sở X tổng hợp)": who receives the reports."""
        out: list[str] = []
        for m in _REPORT.finditer(text):
            window = re.split(r"[.;]\s", text[m.end() : m.end() + 260], maxsplit=1)[0]
            for piece in re.findall(
                r"(?:^|\bvề\s+|\bcho\s+|\blên\s+|đồng gửi\s+|\bqua\s+|\bgửi\s+)((?:Ủy ban|UBND|Uỷ ban|Sở|Bộ|Thủ tướng|"
                r"Chính phủ|Văn phòng|Ban|Hội đồng|HĐND|Chủ tịch)[^,;()]*)",
                window.strip(),
            ):
                piece = re.split(
                    r"\s+(?:định kỳ|trước|theo|để|kết quả|tình hình|tổng hợp|trong|khi)\b", piece
                )[0]
                if resolve(piece, self.scope) is not None:
                    name = canonical(piece, self.scope)
                    if name not in out:
                        out.append(name)
        return out


def find_deadline(text: str) -> str | None:
    """The first deadline as written: "trước ngày 20/12/2021", "định kỳ hàng năm trước ngày 15/11"."""
    m = _DEADLINE.search(text)
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else None


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


# a condition, then who is asked: "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị các cơ quan …",
# "Quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan, đơn vị báo cáo về …"
_PURPOSE = re.compile(r"(?:Để|Nhằm)\s", re.I)  # a purpose before the subject: its verbs are not the subject's
_ASKS_AFTER = re.compile(
    r"^(?:(?:Trong|Nếu|Khi|Trường hợp)\b[^.;]{0,300},\s*(đề nghị|yêu cầu|giao)\s+"
    r"|(?:Trong quá trình|Quá trình|Nếu|Khi)\b[^.;]{0,120}?khó khăn,\s*vướng mắc[^,.;]{0,40}?,?\s+"
    r"(?:(đề nghị|yêu cầu|giao)\s+)?(?-i:(?=[Cc]ác\s|[A-ZĐ])))",
    re.I,
)
_CLAUSE = re.compile(
    rf"(?<=[;.])\s+(?=[{UPPER}])|(?<=;)\s+(?=(?:các|những)\s)"
)  # "…; các tổ chức thành viên …"


# work that leads to an issuing: "Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra …" is a task
_TOWARDS_ISSUING = re.compile(
    r"^(?:Tham mưu|Trình|Đề xuất|Dự thảo|Xây dựng|Chủ trì|Phối hợp|Nghiên cứu)\b", re.I
)


def _issuing(text: str, scope: str | None = None) -> bool:
    """The issuer issuing this text, its closing or its execution clause (`_FORMULA`): no one's task. "…, Ủy
    ban nhân dân tỉnh ban hành Kế hoạch …" is; "Ban hành Kế hoạch truyền thông năm 2026." (a point under an
    agency) and "Tham mưu UBND tỉnh ban hành Kế hoạch …" are work to do. Read in the text's first sentence only
    (up to a full stop: an execution clause lists its bodies with ";"), so a closing sentence after two actors'
    sentences does not take their tasks."""
    text = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    m = _FORMULA.search(text[:400])
    if m is None:
        return False
    if not m.group(0).lower().startswith("ban hành"):
        return True
    return bool(find_agencies(text[: m.start()], scope)) and not _TOWARDS_ISSUING.match(strip_label(text))


def _starts_with_actor(text: str, scope: str | None) -> bool:
    """A clause that opens with an agency ("Bộ Khoa học và Công nghệ hướng dẫn …") or "Giao"/"Đề nghị" one."""
    if _ASKS_AFTER.match(text[:400]):  # "Trong quá trình thực hiện, nếu có khó khăn, đề nghị các cơ quan …"
        return True
    head = text[:200]
    if p := _PREFIX.match(head):  # at the start only: a "giao" mid-sentence is not this clause's opening
        head = head[p.end() :]
    if _PURPOSE.match(head) or _OPENER.match(head):  # "Để xác định vị trí …, UBND tỉnh Thanh Hóa phối hợp …"
        return any(_starts_with_agency(head[c.end() :], scope) for c in re.finditer(r",\s+", head))
    return _starts_with_agency(head, scope) or bool(
        _HEAD_FIRST.match(head)
        or (_LEAD_IN.match(head) and _starts_with_agency(head[_LEAD_IN.match(head).end() :], scope))
    )


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


def _titled(text: str) -> bool:
    """A title that says the work by itself, at length ("1.1. Xây dựng và ban hành Hướng dẫn của Ban Thường trực
    … về việc …"), not a heading whose points say it ("9. Tổ chức nghiên cứu, học tập kinh nghiệm" + "- Tham
    mưu, đề xuất tổ chức Đoàn …") nor a label ("Nội dung:")."""
    return len(text) >= TITLE_CHARS and not text.rstrip().endswith(":")


def strip_label(text: str) -> str:
    return _LABEL.sub("", text, count=1).strip()


def _substantive(rest: str) -> bool:
    """Whether a lead line says more than "… thực hiện các nhiệm vụ sau:"."""
    rest = re.sub(r"^.*?(?:chủ trì|trách nhiệm|phụ trách)\s*,?\s*", "", rest.split("\n")[0], count=1)
    rest = re.sub(
        r"phối hợp(?:\s+(?:với|cùng))?.*?(?=\b(?:thực hiện|triển khai|tổ chức|tham mưu)\b|:|$)", "", rest
    )
    rest = _GENERIC_TASK.sub("", rest.strip())
    if rest.rstrip().endswith(":"):  # "…, cụ thể như sau:", "… triển khai các nội dung sau:": an introduction
        rest = _INTRO_END.sub("", _BY_MANDATE.sub("", rest.strip()))
    return len(rest.strip(" :,.")) >= 25
