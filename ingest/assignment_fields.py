"""Assignments stated as labelled fields: "- Cơ quan chủ trì: X / - Cơ quan phối hợp: Y / - Thời gian thực hiện:
Z" under a task (as its bullets, as the lines after its first line, or run together on one line), fields
after the last item of a list that all its items share, a field whose clauses each name their own actor, and
role blocks beside a content block ("1. Nội dung" + "2. Cơ quan chủ trì, phối hợp" + "3. Thời gian …").

Apart from `assignments.py`, whose walk over the outline asks these first of every unit.
"""

from __future__ import annotations

import re

from .actors import _PERSON, _QUALIFIER, _STRONG_VERB, _TAIL_VERB, _Lead, _Naming, strip_label, strip_title
from .agencies import agency_at_start, canonical, split_agencies
from .deadlines import _TIME_ONLY, find_deadline
from .model import Unit
from .normalize import LOWER, fold
from .task_tables import looks_named

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
# "Cơ quan thực hiện: Sở Tư pháp (chủ trì), Công an tỉnh, …": the one marked leads, the others take part
_MARKED_LEAD = re.compile(r"\s*\((?:cơ quan |đơn vị )?chủ trì\)", re.I)
_FIELD_LABEL = re.compile(r"^\s*(?:Cơ quan|Đơn vị)\s+(?:thực hiện|chủ trì|phối hợp)[^:]{0,30}:\s*$", re.I)
TITLE_CHARS = 100  # a task's title this long states the work; shorter, it heads the points that do
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


def _titled(text: str) -> bool:
    """A title that says the work by itself, at length ("1.1. Xây dựng và ban hành Hướng dẫn của Ban Thường trực
    … về việc …"), not a heading whose points say it ("9. Tổ chức nghiên cứu, học tập kinh nghiệm" + "- Tham
    mưu, đề xuất tổ chức Đoàn …") nor a label ("Nội dung:")."""
    return len(text) >= TITLE_CHARS and not text.rstrip().endswith(":")


class _Fields(_Naming):
    """The fields and role blocks of a unit, read into tasks; mixed into the extractor
    (`assignments._Extractor`), whose outline (`children`, `own`, `full`), walk and `add` these call."""

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
        coop = self.field_parties(found.get("phoi hop", "")) or (
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
