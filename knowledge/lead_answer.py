"""Who leads: the assignment that answers a lead_agency question — the best-covered passage that belongs to an
assignment with a lead, of the kind of body the question asks for ("Sở nào …?"), looked for document by
document when the first passages have none — and its text, quoted and cited.

Apart from `answer.py`, which decides whether this assignment or a law's provision answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tracuu.index.backend import Filters
from tracuu.index.search import Hit, Searcher
from tracuu.ingest.normalize import fold

from .questions import CANDIDATES, MIN_COVERAGE, _Candidate, _candidate

DEEP_DOCUMENTS = 5  # searched one by one for the kind of body a question asks for ("Sở nào …?")
# "Sở nào …?", "… là trung tâm nào?": the kind of body the question wants (at its start or after là/do/
# thuộc/của, so "cán bộ nào" or "xã hội nào" inside a question is not read as one); folded, as an
# unaccented "so nao" may be restored to "số nào"
_WANTED_BODY = re.compile(
    r"(?:^\W*|\b(?:la|do|thuoc|cua)\s+)(so|ban|trung tam|uy ban nhan dan|ubnd|bo|cuc|chi cuc|tinh doan)\s+nao\b"
)


def _lead_candidate(
    store, cands: list[_Candidate], wording: str = "", deeper: Callable[[str], list[_Candidate]] | None = None
) -> _Candidate | None:
    """The best-covered passage that belongs to an assignment; ties go to the better search rank. A
    question that names the kind of body it wants ("Sở nào …?", "Trung tâm nào …?") is answered by an
    assignment to that kind of body, not by a group ("Các sở, ban, …") or a ministry whose law passage
    ranks higher: `deeper(body)` candidates are looked through when the first ones have none."""
    with_task = _with_task(store, cands)
    wanted = _WANTED_BODY.search(fold(wording).lower())
    if wanted:
        body = wanted.group(1)
        typed = [c for c in with_task if _is_body(c.task["lead"], body)]
        if not typed and deeper is not None:
            typed = [c for c in _with_task(store, deeper(body)) if _is_body(c.task["lead"], body)]
        with_task = typed or with_task
    if not with_task:
        return None
    top = max(c.coverage for c in with_task)
    return next(c for c in with_task if c.coverage >= top - 0.15)


_BODY_NAMES = {
    "so": "Sở", "ban": "Ban", "trung tam": "Trung tâm", "uy ban nhan dan": "Ủy ban nhân dân",
    "ubnd": "Ủy ban nhân dân", "bo": "Bộ", "cuc": "Cục", "chi cuc": "Chi cục", "tinh doan": "Tỉnh đoàn",
}  # fmt: skip


def _is_body(name: str | None, body: str) -> bool:
    """Whether an agency is of a kind of body ("so", folded): "Sở Y tế" is, "Các sở, ban, ngành" is not."""
    body = "uy ban nhan dan" if body == "ubnd" else body
    return fold(name or "").lower().startswith(f"{body} ")


def _with_task(store, cands: list[_Candidate]) -> list[_Candidate]:
    """The candidates that belong to an assignment with a lead (each candidate's task filled in)."""
    for c in cands:
        c.task = c.task or _task_of(store, c.hit)
    return [c for c in cands if c.task is not None and c.task.get("lead")]


def _deeper(
    searcher: Searcher, question: str, wording: str, body: str, docs: tuple[str, ...] | None = None
) -> list[_Candidate]:
    """Passages of the documents that assign tasks to the kind of body asked for (the plans that give
    tasks to each Sở), searched one by one: a law's many clauses on the same matter outrank a plan's
    one line in a search over everything."""

    out: list[_Candidate] = []
    assigning = searcher.store.documents_assigning(
        _BODY_NAMES[body], DEEP_DOCUMENTS if docs is None else 10**6
    )
    for doc_id in [d for d in assigning if docs is None or d in docs][:DEEP_DOCUMENTS]:
        for h in searcher.search(question, k=CANDIDATES, filters=Filters(doc=doc_id)):
            c = _candidate(h, wording)
            if c.coverage >= MIN_COVERAGE:
                out.append(c)
    return out


def _task_of(store, hit: Hit) -> dict[str, Any] | None:
    """The assignment a passage belongs to: the smallest task overlapping it, or the one its bullets share."""
    tasks = store.tasks_in(hit.doc_id, hit.start, hit.end)
    if tasks:
        return tasks[0]
    path = hit.chunk_id.split("#", 1)[-1].split("~")[0]
    rows = store.tasks_below(hit.doc_id, path)
    return rows[0] if rows and len({r["lead"] for r in rows}) == 1 else None


def _lead_text(task: dict[str, Any], hit: Hit) -> str:
    verb = {"request": "được đề nghị thực hiện", "duty": "có trách nhiệm"}.get(task["kind"], "chủ trì")
    quote = re.sub(r"\s+", " ", task["task"]).strip()
    if len(quote) > 400:
        quote = quote[:400].rsplit(" ", 1)[0] + " …"
    return f"{task['lead']} {verb} ({hit.citation}): “{quote}”"
