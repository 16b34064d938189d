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

This module walks the outline and records the tasks; the parts it asks are apart: who a phrase names and
how a lead is made (`actors.py`), lead lines and agency headings (`lead_lines.py`), labelled fields and role
blocks (`assignment_fields.py`), deadlines (`deadlines.py`), task tables (`task_tables.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .actors import _HEAD_FIRST, _QUALIFIER, _Lead, _starts_with_agency, strip_label
from .actors import strip_title as strip_title  # re-exported: evaluation reads it here
from .agencies import canonical, find_agencies, province_of, resolve, same_agency
from .assignment_fields import _Fields
from .deadlines import _TIME_ONLY, find_deadline
from .lead_lines import _ASKS_AFTER, _LEAD_IN, _OPENER, _PREFIX, _PURPOSE, _LeadLines
from .model import Document, Task, Unit
from .normalize import CELL_SEP, UPPER
from .task_tables import read_tables

_GROUNDS = re.compile(r"^Căn cứ\s")  # the legal grounds a text opens with: no one's task
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
    r"Nghị định|Thông tư|Nghị quyết) này\b"
    r"|\bthông báo (?:để|cho) [^.;]{0,120}?\bbiết\b",  # "Văn phòng UBND tỉnh thông báo để các cơ quan … biết"
    re.I,
)
_ONLY_HELPS = re.compile(r"^\s*(?:cùng\s+)?phối hợp\s*(?:[;.,]|$)", re.I)  # "Sở Y, Sở Z phối hợp;": helpers
_CONTACT = re.compile(
    r"^(?:Đầu mối liên hệ|Thông tin liên hệ|Người liên hệ|Liên hệ|Điện thoại|E-?mail)\s*:", re.I
)
_TIME_LIMIT = re.compile(r"\btrong (?:thời hạn|vòng) \d{1,3} (?:ngày|tháng|giờ)", re.I)
# an article's effect sentence, before its execution clause ("Quyết định này có hiệu lực kể từ ngày ký. …")
_EFFECT = re.compile(r"^(?:Điều \d+\.\s*)?[^.]{0,80}\bcó hiệu lực(?: thi hành)?\b[^.]{0,80}\.\s", re.I)
# A task whose points are the things it lists ("Lập hồ sơ …, bao gồm:") or what it is for ("Sửa đổi Luật … để:")
_ONE_TASK_LIST = re.compile(
    r"^(?!.*\b(?:nhiệm vụ|nội dung|hoạt động|công việc|giải pháp|biện pháp)\b).*\b(?:bao gồm|gồm có|gồm)\s*:\s*$"
    r"|\s(?:để|nhằm)\s*:\s*$",
    re.I | re.S,
)
_STRUCTURAL = {"part", "letterpart", "section", "subsection", "chapter", "muc", "article"}
_CLAUSE = re.compile(
    rf"(?<=[;.])\s+(?=[{UPPER}])|(?<=;)\s+(?=(?:các|những)\s)"
)  # "…; các tổ chức thành viên …"


# work that leads to an issuing: "Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra …" is a task
_TOWARDS_ISSUING = re.compile(
    r"^(?:Tham mưu|Trình|Đề xuất|Dự thảo|Xây dựng|Chủ trì|Phối hợp|Nghiên cứu)\b", re.I
)


def extract_tasks(doc: Document) -> list[Task]:
    """Every assignment in the document, in reading order."""
    scope = province_of(doc.header.issuer) or province_of(doc.header.issuer_full)
    ex = _Extractor(doc, scope)
    ex.walk(None, None)
    read_tables(ex)
    ex.tasks.sort(key=lambda t: (t.start, t.unit_path))
    return ex.tasks


class _Extractor(_LeadLines, _Fields):
    """One document's walk: the outline's children of each unit, the tasks found so far; the lead lines
    (`_LeadLines`) and the fields (`_Fields`) it asks of each unit are mixed in."""

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
            if not kids and u.kind == "paragraph" and text.rstrip().endswith(":") and len(text) <= 150:
                named = self.heading_lead(
                    u, text
                )  # "Công an tỉnh:" on a line of its own, its bullets after it
                if named is not None and self.lead_line(text, u.path) is None:
                    current = intro = named
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
            if line is not None and clause.rstrip().endswith(":") and not _substantive(line[1]):
                continue  # "…. Để chủ động …, Sở Y tế đề nghị:": the lead-in to the points, no task itself
            if line is not None and lead is not None and _ONLY_HELPS.match(line[1]):
                helpers = [line[0].name, *line[0].co_leads]  # "…: Giao Sở X chủ trì; Sở Y, Sở Z phối hợp"
                lead = replace(
                    lead, cooperating=[*lead.cooperating, *(h for h in helpers if h not in lead.cooperating)]
                )
                continue
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
        if _CONTACT.match(strip_label(text.strip())):
            return None  # "Đầu mối liên hệ: Phòng Nghiệp vụ Y, điện thoại …": who to call, not work
        said = strip_label(text.strip())
        if said.startswith(lead.written) and sum(c.isalpha() for c in said[len(lead.written) :]) < 8:
            return None  # "…; Kho bạc Nhà nước khu vực XV; …" in a list of who attended: a name, no work
        task = Task(
            unit_path=u.path,
            section=u.section,
            lead=lead.name,
            lead_written=lead.written,
            cooperating=list(lead.cooperating),
            task=text.strip(),
            deadline=lead.deadline or find_deadline(text),
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


def _issuing(text: str, scope: str | None = None) -> bool:
    """The issuer issuing this text, its closing or its execution clause (`_FORMULA`): no one's task. "…, Ủy
    ban nhân dân tỉnh ban hành Kế hoạch …" is; "Ban hành Kế hoạch truyền thông năm 2026." (a point under an
    agency) and "Tham mưu UBND tỉnh ban hành Kế hoạch …" are work to do. Read in the text's first sentence only
    (up to a full stop: an execution clause lists its bodies with ";"), so a closing sentence after two actors'
    sentences does not take their tasks."""
    if effect := _EFFECT.match(text):
        text = text[effect.end() :]
    text = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    m = _FORMULA.search(text[:400])
    if m is None:
        return False
    if not m.group(0).lower().startswith("ban hành"):
        return True
    if find_deadline(text) or _TIME_LIMIT.search(text):  # "… ban hành Quy chế … trong thời hạn 15 ngày": work
        return False
    work = strip_label(text)
    work = work.split(": ", 1)[1] if ": " in work[:200] else work  # "Sở Tư pháp (…): Tham mưu … ban hành …"
    return bool(find_agencies(text[: m.start()], scope)) and not (
        _TOWARDS_ISSUING.match(strip_label(text)) or _TOWARDS_ISSUING.match(work)
    )


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
