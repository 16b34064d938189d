"""Tasks read from the store: the task JSON every door gives, the agency list, disagreeing assignments and
the agency task report."""

from __future__ import annotations

import re
from typing import Any

from tracuu.core.errors import InvalidArgument, NotFound
from tracuu.index.citation import cite
from tracuu.index.store import Store
from tracuu.ingest.agencies import canonical, province_of, same_agency
from tracuu.ingest.agencies import resolve as resolve_agency
from tracuu.ingest.assignments import strip_label
from tracuu.ingest.deadlines import parse_deadline
from tracuu.ingest.normalize import fold

from .progress import STATES, latest, task_id


def task_document(t: dict[str, Any]) -> dict[str, Any]:
    """The metadata of the document a task row belongs to, as `cite` takes it."""
    return {k: t.get(k) for k in ("type", "number", "date", "issuer", "issuer_full", "title")}


def task_json(t: dict[str, Any]) -> dict[str, Any]:
    """One assignment as `tracuu tasks --json` and GET /tasks print it."""
    doc = task_document(t)
    return {
        "doc_id": t["doc_id"], "section": t["section"], "lead": t["lead"], "cooperating": t["cooperating"],
        "task": t["task"], "deadline": t["deadline"], "citation": cite(doc, t["section"]),
        "unit_path": t["unit_path"], "kind": t["kind"], "lead_written": t["lead_written"],
        "co_leads": t["co_leads"], "report_to": t["report_to"], "lead_scope": lead_scope(t),
        "leads": all_leads(t), "deadline_parsed": parse_deadline(t["deadline"], t.get("date")),
        "task_id": task_id(t),
    }  # fmt: skip


_WORD = re.compile(r"\w+")
SAME_WORK = 0.8  # share of the shorter task's words the other holds: the same work written twice
MIN_WORDS = 5


def _work_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(strip_label(text)).lower()) if len(w) > 1}


def conflicting(store: Store, t: dict[str, Any]) -> list[dict[str, Any]]:
    """The other assignments of the same document that state the same work with another lead — a plan's
    body and its appendix table disagreeing ("1. Sở Y tế chủ trì triển khai X" / a row "X | Sở Thông tin và
    Truyền thông"). Both are kept with their citations; which is right is for the reader, not for a guess."""
    mine = _work_words(t["task"])
    if len(mine) < MIN_WORDS:
        return []
    leads = all_leads(t)
    out = []
    for other in store.tasks(doc_id=t["doc_id"]):
        if other["ord"] == t["ord"] or not other.get("lead"):
            continue
        theirs = _work_words(other["task"])
        if len(theirs) < MIN_WORDS or len(mine & theirs) < SAME_WORK * min(len(mine), len(theirs)):
            continue
        if any(same_agency(a, b) for a in all_leads(other) for b in leads):
            continue
        out.append(other)
    return out


def all_leads(t: dict[str, Any]) -> list[str]:
    """Every lead of a task, the canonical first lead (`lead`) first: "Bộ Tài chính, Bộ Xây dựng chủ trì"."""
    out: list[str] = []
    for name in [t.get("lead"), *(t.get("co_leads") or [])]:
        if name and name not in out:
            out.append(name)
    return out


def lead_scope(t: dict[str, Any]) -> str | None:
    """The province or ministry the lead belongs to ("tỉnh Khánh Hòa", "Chính phủ"), from its document."""
    if not t.get("lead"):
        return None
    agency = resolve_agency(t["lead"], province_of(t.get("issuer")) or province_of(t.get("issuer_full")))
    return agency.scope if agency else None


def agencies(store: Store) -> list[dict[str, Any]]:
    """Canonical agencies that lead tasks in the corpus, with the variants the texts write."""
    out: dict[str, dict[str, Any]] = {}
    seen, args = store.unhidden()
    for row in store.conn.execute(
        "SELECT MIN(lead) AS lead, lead_key, lead_written, COUNT(*) AS n FROM tasks WHERE lead IS NOT NULL"
        f" AND {seen} GROUP BY lead_key, lead_written ORDER BY 1, 2, 3",
        args,
    ):
        a = out.setdefault(
            row["lead_key"], {"name": row["lead"], "key": row["lead_key"], "variants": [], "tasks": 0}
        )
        if row["lead_written"] and row["lead_written"] not in a["variants"]:
            a["variants"].append(row["lead_written"])
        a["tasks"] += row["n"]
    return sorted(out.values(), key=lambda a: -a["tasks"])


# Units that head a group of tasks in a report: a numbered section ("III.2") or an article ("Điều 12").
_GROUP_KINDS = {"part", "section", "subsection", "chapter", "muc", "article"}
ROLE_LEAD, ROLE_COOPERATING, ROLE_MEMBER = "chủ trì", "phối hợp", "thuộc nhóm chủ trì"
# a group lead's heading that lists its members: "Các đơn vị thuộc trụ cột … bao gồm: Y tế, Giáo dục và Đào tạo, …"
_MEMBERS = re.compile(r"\b(?:bao gồm|gồm có|gồm)\s*:?\s*(.+)$", re.S)


def agency_report(store: Store, agency: str, doc_id: str | None = None) -> dict[str, Any]:
    """Every task one agency leads (lead or co-lead) or cooperates on, grouped by document, then by section
    in reading order, each with its deadline, citation and an empty "result" (Kết quả thực hiện) to fill in:
    the yearly report a plan asks of each agency. Any written variant names the agency ("So LDTBXH"); an
    agency no document names gives no groups. `doc_id`: one document only (id or number)."""
    if not agency or not agency.strip():
        raise InvalidArgument(
            "Chưa nêu tên cơ quan: hãy nhập tên cơ quan (đầy đủ hoặc viết tắt, có hoặc không dấu)."
        )
    agency = agency.strip()
    if doc_id is not None:
        doc = store.find(doc_id)
        if doc is None:
            raise NotFound(f"Không có văn bản '{doc_id}' trong kho.", title="không tìm thấy văn bản")
        doc_id = doc["doc_id"]
    groups: dict[str, dict[str, Any]] = {}
    sections: dict[tuple[str, str], dict[str, Any]] = {}
    units: dict[str, dict[str, dict[str, Any]]] = {}  # per document, by path
    counts = {"lead": 0, "cooperating": 0, "member": 0}
    for t, role in agency_tasks(store, agency, doc_id, units):
        counts[{ROLE_LEAD: "lead", ROLE_COOPERATING: "cooperating"}.get(role, "member")] += 1
        doc = task_document(t)
        group = groups.get(t["doc_id"])
        if group is None:
            group = groups[t["doc_id"]] = {
                "doc_id": t["doc_id"], "doc_citation": cite(doc), "doc_title": t["title"],
                "doc_label": f"{t['type'] or 'Văn bản'} số {t['number']}" if t["number"] else cite(doc),
                "sections": [],
            }  # fmt: skip
        if t["doc_id"] not in units:
            units[t["doc_id"]] = {u["path"]: u for u in store.units(t["doc_id"])}
        head = _group_unit(units[t["doc_id"]], t["unit_path"])
        label = head["section"] if head else (t["section"].split("›")[0].strip())
        section = sections.get((t["doc_id"], label))
        if section is None:
            section = sections[(t["doc_id"], label)] = {
                "section": label,
                "heading": head["heading"] if head else "",
                "tasks": [],
            }
            group["sections"].append(section)
        section["tasks"].append({
            "role": role, "lead": t["lead"], "cooperating": t["cooperating"], "task": t["task"],
            "deadline": t["deadline"], "citation": cite(doc, t["section"]), "unit_path": t["unit_path"],
            "result": "", "task_id": task_id(t),
        })  # fmt: skip
    _fill_results(store, [t for g in groups.values() for sec in g["sections"] for t in sec["tasks"]])
    return {"agency": canonical(agency), "agency_written": agency, "doc": doc_id,
            "groups": list(groups.values()), "counts": counts}  # fmt: skip


def _fill_results(store: Store, rows: list[dict[str, Any]]) -> None:
    """ "Kết quả thực hiện" from the progress recorded: the standing record of each period, latest period last
    ("2024: hoàn thành — …; 2025: đang thực hiện — …"); empty where none is."""
    standing = latest(store.progress([r["task_id"] for r in rows]))
    by_task: dict[str, list[dict[str, Any]]] = {}
    for e in standing.values():
        by_task.setdefault(e["task_id"], []).append(e)
    for r in rows:
        parts = []
        for e in sorted(by_task.get(r["task_id"], []), key=lambda e: e["period"]):
            head = f"{e['period']}: " if e["period"] else ""
            parts.append(head + STATES[e["state"]] + (f" — {e['note']}" if e["note"] else ""))
        r["result"] = "; ".join(parts)


def agency_tasks(store: Store, agency: str, doc_id: str | None = None,
                 units: dict[str, dict[str, dict[str, Any]]] | None = None) -> list[tuple[dict[str, Any], str]]:  # fmt: skip
    """Each task an agency leads or co-leads, cooperates on, or leads as a member of the group it is given to
    ("Các đơn vị thuộc trụ cột …, bao gồm: Y tế, …"), with that role, in reading order. `units`: the documents'
    units by path, filled as they are read (the report reuses them)."""
    units = {} if units is None else units
    out = []
    for t in sorted(store.tasks(doc_id=doc_id), key=lambda t: (t["doc_id"], t["start"], t["ord"])):
        role = role_of(agency, t)
        if role is None and (t["lead"] or "").startswith("Các "):
            if t["doc_id"] not in units:
                units[t["doc_id"]] = {u["path"]: u for u in store.units(t["doc_id"])}
            if is_member(agency, t, units[t["doc_id"]]):
                role = ROLE_MEMBER
        if role is not None:
            out.append((t, role))
    return out


def role_of(agency: str, t: dict[str, Any]) -> str | None:
    """ "chủ trì" when the agency leads a task (or co-leads it), "phối hợp" when it is named among those who
    cooperate; a collective ("các sở, ban, ngành") is not the agency. Scoped by the document's province."""
    scope = province_of(t.get("issuer")) or province_of(t.get("issuer_full"))
    if any(same_agency(agency, name, scope) for name in [t["lead"], *t["co_leads"]] if name):
        return ROLE_LEAD
    if any(same_agency(agency, name, scope) for name in t["cooperating"] if name):
        return ROLE_COOPERATING
    return None


def is_member(agency: str, t: dict[str, Any], units: dict[str, dict[str, Any]]) -> bool:
    """Whether an agency is among the members a group-led task's heading lists."""
    scope = province_of(t.get("issuer")) or province_of(t.get("issuer_full"))
    return any(same_agency(agency, m, scope) for m in group_members(units, t["unit_path"]))


def group_members(units: dict[str, dict[str, Any]], path: str) -> list[str]:
    """The agencies a group lead's heading lists, for a task at `path` under it ("1. Các đơn vị thuộc trụ
    cột … bao gồm: Y tế, Giáo dục và Đào tạo, …, Tỉnh đoàn Khánh Hòa"): a bare field names its Sở."""
    from tracuu.ingest.agencies import find_agencies

    unit = units.get(path)
    while unit is not None:
        m = _MEMBERS.search(unit["heading"] or "")
        if m:
            out = []
            for item in re.split(r"[,;]", m.group(1)):
                item = item.strip(" .:\n")
                found = find_agencies(item) or find_agencies(f"Sở {item}") if item else []
                out += [found[0].agency.name] if found else []
            return out
        unit = units.get(unit["parent"]) if unit["parent"] else None
    return []


def _group_unit(units: dict[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    """The nearest unit at or above a task's unit that heads a section or an article."""
    unit = units.get(path)
    while unit is not None and unit["kind"] not in _GROUP_KINDS:
        unit = units.get(unit["parent"]) if unit["parent"] else None
    return unit
