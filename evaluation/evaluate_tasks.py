"""Scoring extracted assignments against gold, one gold item to one extracted task.

A gold item names a phrase of its task's own text (`task_contains`), the task's length (`task_chars`), its
lead, co-leads, cooperating agencies and deadline. An extracted task counts for a gold item only when it
holds that phrase and is not much longer than the gold task (a run-together of several items satisfies at
most one of them), and each extracted task counts for one gold item at most. With complete gold (every
assignment of the document annotated) every extracted task that matches none is a false positive, so
precision is measured as well as recall.

The rules are written by hand, not fitted to these documents, so a document's score is already what a
leave-one-document-out evaluation gives; the mean over documents is reported beside the pooled figures.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracuu.ingest.agencies import same_agency, split_agencies
from tracuu.ingest.assignments import strip_title
from tracuu.ingest.normalize import fold

# How much longer than the gold task an extracted task may be and still be that task: its sub-bullets,
# a heading joined to it, markup. Past this it has swallowed other items.
LENGTH_SLACK = 2.5
LENGTH_ROOM = 300
DEFAULT_TASK_CHARS = 480  # gold written before `task_chars` was recorded


def norm(text: str) -> str:
    """Text as compared: NFC, markdown emphasis and table bars removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def read_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Match:
    gold: dict[str, Any]
    task: dict[str, Any] | None  # the extracted task given to this gold item, if any
    lead_ok: bool = False
    leads_ok: bool = False
    cooperating_ok: bool = False
    deadline_ok: bool | None = None  # None: the gold item states no deadline


@dataclass
class Score:
    """Counts over one document or many; rates are computed from them."""

    gold: int = 0
    extracted: int = 0
    lead_right: int = 0  # gold items matched by a task with the right lead
    matched: int = 0  # gold items matched by any task
    leads_right: int = 0
    cooperating_right: int = 0
    deadlines: int = 0  # gold items that state a deadline
    deadline_right: int = 0
    by_layout: dict[str, list[int]] = field(default_factory=dict)  # layout → [right, gold]

    def add(self, other: Score) -> None:
        for name in ("gold", "extracted", "lead_right", "matched", "leads_right", "cooperating_right",
                     "deadlines", "deadline_right"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for layout, (right, n) in other.by_layout.items():
            mine = self.by_layout.setdefault(layout, [0, 0])
            mine[0] += right
            mine[1] += n

    def rates(self) -> dict[str, Any]:
        def rate(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "gold": self.gold, "extracted": self.extracted,
            "lead_recall": rate(self.lead_right, self.gold), "lead_precision": rate(self.lead_right, self.extracted),
            "leads_accuracy": rate(self.leads_right, self.lead_right),
            "cooperating_accuracy": rate(self.cooperating_right, self.lead_right),
            "deadline_recall": rate(self.deadline_right, self.deadlines),
            "by_layout": {k: {"recall": rate(r, n), "n": n} for k, (r, n) in sorted(self.by_layout.items())},
        }  # fmt: skip


def match(tasks: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[Match]:
    """Give each gold item at most one extracted task, and each task to at most one gold item: the first
    free task that holds the item's phrase, is not too long, and has the right lead; else the first free one
    that holds it and is not too long (a wrong lead)."""
    texts = [norm(t["task"]).casefold() for t in tasks]
    used: set[int] = set()
    out: list[Match] = []
    for g in gold:
        phrase = norm(g["task_contains"]).casefold()
        bound = _bound(g)
        fits = [i for i, text in enumerate(texts) if i not in used and phrase in text and len(text) <= bound]
        right = [i for i in fits if same_lead(tasks[i].get("lead"), g)]
        pick = (right or fits or [None])[0]
        if pick is None:
            out.append(Match(g, None))
            continue
        used.add(pick)
        t = tasks[pick]
        m = Match(g, t, lead_ok=bool(right))
        if m.lead_ok:
            got_leads = [t.get("lead"), *(t.get("co_leads") or [])]
            if not _same(t.get("lead"), g["lead"]):  # the group list as one lead: its names are the leads
                got_leads = split_agencies(t["lead"])
            m.leads_ok = _same_set(g.get("leads") or [g["lead"]], [x for x in got_leads if x])
            m.cooperating_ok = _same_set(_bodies(g.get("cooperating")), _bodies(t.get("cooperating")))
        if g.get("deadline"):
            m.deadline_ok = _deadline_fits(g["deadline"], t.get("deadline"))
        out.append(m)
    return out


def score(tasks: list[dict[str, Any]], gold: list[dict[str, Any]]) -> tuple[Score, list[Match]]:
    matches = match(tasks, gold)
    s = Score(gold=len(gold), extracted=len(tasks))
    for m in matches:
        s.matched += m.task is not None
        s.lead_right += m.lead_ok
        s.leads_right += m.leads_ok
        s.cooperating_right += m.cooperating_ok
        if m.deadline_ok is not None:
            s.deadlines += 1
            s.deadline_right += m.deadline_ok
        row = s.by_layout.setdefault(m.gold.get("layout") or "other", [0, 0])
        row[0] += m.lead_ok
        row[1] += 1
    return s, matches


def plans_eval(documents: Iterable[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]) -> dict[str, Any]:
    """(name, extracted tasks, complete gold) per document → pooled rates, the per-document mean of lead
    recall and precision (what a new document should expect), each document's rates and its misses."""
    total, per_doc = Score(), []
    for name, tasks, gold in documents:
        s, matches = score(tasks, gold)
        total.add(s)
        misses = [{"id": m.gold.get("id"), "want": m.gold["lead"], "got": m.task.get("lead") if m.task else None,
                   "task_contains": m.gold["task_contains"]} for m in matches if not m.lead_ok]  # fmt: skip
        taken = {id(m.task) for m in matches if m.task is not None}
        extra = [{"lead": t.get("lead"), "task": norm(t["task"])[:120]} for t in tasks if id(t) not in taken]
        per_doc.append({"file": name, **s.rates(), "misses": misses, "false_positives": extra})
    n = max(1, len(per_doc))
    return {
        "documents": len(per_doc),
        "pooled": total.rates(),
        "mean_per_document": {
            "lead_recall": round(sum(d["lead_recall"] for d in per_doc) / n, 4),
            "lead_precision": round(sum(d["lead_precision"] for d in per_doc) / n, 4),
        },
        "per_document": per_doc,
    }


def _bound(g: dict[str, Any]) -> float:
    chars = g.get("task_chars") or DEFAULT_TASK_CHARS
    return max(chars * LENGTH_SLACK, chars + LENGTH_ROOM)


def _same(got: str | None, want: str) -> bool:
    """The same agency; its head acting for it is that agency ("Giám đốc Công an tỉnh" is "Công an tỉnh")."""
    if not got:
        return False
    return same_agency(got, want) or same_agency(strip_title(got), strip_title(want))


def same_lead(got: str | None, g: dict[str, Any]) -> bool:
    """The gold lead; or, for a list that opens with a group, the whole list as one group lead (the seed
    gold's way: "Các sở, ban, ngành và UBND các huyện") naming exactly the gold's lead and co-leads."""
    if _same(got, g["lead"]):
        return True
    leads = g.get("leads") or []
    return bool(got) and len(leads) > 1 and _same_set(leads, split_agencies(got))


def _bodies(names: list[str] | None) -> list[str]:
    """Each body once, whichever way a list was cut: "Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp"
    written as one entry names the same two bodies as two entries."""
    return [p for name in names or [] for p in (split_agencies(name) or [name])]


def _same_set(want: list[str], got: list[str]) -> bool:
    return all(any(_same(g, w) for g in got) for w in want) and all(
        any(_same(g, w) for w in want) for g in got
    )


def _deadline_fits(want: str, got: str | None) -> bool:
    if not got:
        return False
    a, b = fold(norm(want)).lower(), fold(norm(got)).lower()
    return a in b or b in a


GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"
PLAN_SUFFIXES = {".md", ".docx", ".pdf", ".txt", ".html"}


def real_plans_eval(plans: Path, gold_dir: Path = GOLD_DIR) -> dict[str, Any]:
    """Every real document in `plans` (../shared/data/incoming/plans) read as `tracuu ingest` reads it:
    documents with complete gold in `gold_dir` (one `<file stem>.jsonl` each) are scored, the others
    counted; the seconds it took."""
    import time
    from dataclasses import asdict

    from tracuu.ingest.pipeline import ingest_file
    from tracuu.ingest.readers import IngestError

    started = time.monotonic()
    scored, counted = [], []
    for path in sorted(
        p for p in plans.iterdir() if p.suffix.lower() in PLAN_SUFFIXES and ".DERIVED" not in p.name
    ):
        try:
            tasks = [asdict(t) for t in ingest_file(path, segment=False).tasks]
        except IngestError as exc:
            counted.append({"file": path.name, "tasks": None, "error": exc.reason})
            continue
        gold = gold_dir / f"{path.stem}.jsonl"
        if gold.exists():
            scored.append((path.name, tasks, read_gold(gold)))
        counted.append({"file": path.name, "tasks": len(tasks), "gold": gold.exists()})
    held = held_out(gold_dir)
    out = plans_eval(scored)
    for d in out["per_document"]:
        d["held_out"] = Path(d["file"]).stem in held
        if d["held_out"]:  # what a rule-writer must not read: the measure stays honest only unread
            d["misses"] = d["false_positives"] = "(held out)"
    splits = {}
    for name, keep in (("development", False), ("held_out", True)):
        part = plans_eval([s for s in scored if (Path(s[0]).stem in held) == keep])
        splits[name] = {"documents": part["documents"], "pooled": {k: v for k, v in part["pooled"].items()
                        if k != "by_layout"}, "mean_per_document": part["mean_per_document"],
                        "by_layout": part["pooled"]["by_layout"]}  # fmt: skip
    return {**out, "splits": splits, "files": counted, "seconds": round(time.monotonic() - started, 1)}


def held_out(gold_dir: Path = GOLD_DIR) -> set[str]:
    """The documents whose misses nobody writing rules has read (`held_out.txt` beside the gold, one file stem
    a line): their scores predict a new province's plan; the others are development documents."""
    path = gold_dir / "held_out.txt"
    if not path.exists():
        return set()
    return {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
