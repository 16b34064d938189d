"""What must an agency do ("Sở Y tế có những nhiệm vụ gì?"): the assignments it leads, those it is named to
cooperate on, and those given to a group whose heading lists it, each quoted and cited.

Apart from `answer.py`, which gives this text as the answer when a question asks for an agency's duties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracuu.index.citation import cite
from tracuu.index.store import agency_key

from .tasks import task_document

# "Sở Y tế có những nhiệm vụ gì?", "Tỉnh đoàn chủ trì những việc gì?", "Sở Tài chính phải làm gì?"
_ASKS_DUTIES = re.compile(
    r"nhiệm vụ (?:gì|nào)|những nhiệm vụ|nhiệm vụ của|(?:những )?việc gì|làm gì|trách nhiệm gì|được giao (?:gì|những)"
)
DUTIES_LISTED = 10


@dataclass
class _Duties:
    agency: str
    key: str
    lead: list[dict[str, Any]]  # the assignments it leads
    cooperating: list[dict[str, Any]]  # those it is named to cooperate on
    group: list[dict[str, Any]]  # those given to a group whose heading lists it ("bao gồm: Y tế, …")


def _duties(store, wording: str, doc_id: str | None, docs: tuple[str, ...] | None = None) -> _Duties | None:
    """The agency a "what must X do?" question names, the assignments it leads and those it cooperates on
    (in one named document, when the question names one, or in the documents of its scope); None for other
    questions or an agency no assignment names."""
    if not _ASKS_DUTIES.search(wording.lower()):
        return None
    from tracuu.ingest.agencies import find_agencies

    from .tasks import ROLE_COOPERATING, is_member, role_of

    # as typed, else title-cased: a question is often all lower case ("sở y tế làm gì")
    # ("so y te" may come back restored as "số y tế")
    mentions = (find_agencies(wording) or find_agencies(wording.title())
                or find_agencies(re.sub(r"^\W*số\b", "Sở", wording).title()))  # fmt: skip
    named = {m.agency.key: m.agency for m in mentions}
    if len(named) != 1:
        return None
    agency = next(iter(named.values()))
    key = agency_key(agency.name)  # its own assignments, not those it only co-leads with another
    lead = [t for t in store.tasks(agency=agency.name, doc_id=doc_id) if t.get("lead_key") == key]
    cooperating = [
        t for t in store.tasks_cooperating(agency.name, doc_id)
        if t.get("lead_key") != key and role_of(agency.name, t) == ROLE_COOPERATING
    ]  # fmt: skip
    units: dict[str, dict[str, dict[str, Any]]] = {}
    group = [
        t for t in store.group_tasks(doc_id)
        if is_member(agency.name, t, units.setdefault(t["doc_id"], {u["path"]: u for u in store.units(t["doc_id"])}))
    ]  # fmt: skip
    if docs is not None:
        lead, cooperating, group = (
            [t for t in ts if t["doc_id"] in docs] for ts in (lead, cooperating, group)
        )
    if not (lead or cooperating or group):
        return None
    return _Duties(lead[0]["lead"] if lead else agency.name, key, lead, cooperating, group)


def _duties_text(d: _Duties) -> str:
    """Each assignment quoted (shortened past 200 characters) with its citation, the first ten; those it
    only cooperates on after them, with who leads each."""

    def quoted(tasks: list[dict[str, Any]], first: int, with_lead: bool) -> list[str]:
        items = []
        for i, t in enumerate(tasks, first):
            quote = re.sub(r"\s+", " ", t["task"]).strip().lstrip("-+• ")
            if len(quote) > 200:
                quote = quote[:200].rsplit(" ", 1)[0] + " …"
            doc = task_document(t)
            lead = f"; {t['lead']} chủ trì" if with_lead else ""
            items.append(f"({i}) {quote} ({cite(doc, t['section'])}{lead})")
        return items

    shown_lead = d.lead[:DUTIES_LISTED]
    shown_coop = d.cooperating[: max(0, DUTIES_LISTED - len(shown_lead))]
    parts = []
    if d.lead:
        parts.append(f"{d.agency} chủ trì {len(d.lead)} nhiệm vụ: " + "; ".join(quoted(shown_lead, 1, False)))
    else:
        parts.append(f"{d.agency} không được giao riêng nhiệm vụ chủ trì nào")
    if d.cooperating:
        listed = quoted(shown_coop, len(shown_lead) + 1, True)
        parts.append(
            f"phối hợp thực hiện {len(d.cooperating)} nhiệm vụ" + (": " + "; ".join(listed) if listed else "")
        )
    if d.group:  # the group's tasks by citation only: the agency's own come first
        doc = task_document(d.group[0])
        sections = ", ".join(t["section"] for t in d.group[1:])
        group = d.group[0]["lead"][:1].lower() + d.group[0]["lead"][1:]
        parts.append(f"cùng {group} chủ trì {len(d.group)} nhiệm vụ ({cite(doc, d.group[0]['section'])}"
                     + (f"; {sections}" if sections else "") + ")")  # fmt: skip
    more = len(d.lead) + len(d.cooperating) - len(shown_lead) - len(shown_coop)
    tail = f"; và {more} nhiệm vụ khác (xem `tracuu report --agency` hoặc GET /report)" if more > 0 else ""
    return "; ".join(parts) + tail + "."
