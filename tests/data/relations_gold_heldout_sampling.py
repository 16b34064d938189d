#!/usr/bin/env python3
"""Sampling script for the second (held-out) relations gold set.

Reads the Pháp điển dump directly (gzip, streaming), builds clause units,
filters by cue words, assigns heuristic strata, and shuffles every stratum
with ONE random.Random(777) instance (strata processed in a fixed order).

Excludes every pd_id that appears in the first gold
(/work/main/tests/data/relations_gold.jsonl).

Output: /tmp/relations_gold2_order.json  (stratum -> ordered list of units)
        and a summary of stratum sizes on stdout.
The annotation itself is manual; the strata regexes are only for sampling.

Prefixes of the shuffled strata that were annotated (rank ranges, inclusive):
    replaces 0-4, expires 0-4, repeals_part 0-6, amends 0-12, guides 0-8,
    negative 0-7, lists 0-21   (no unit in these prefixes was skipped; no
    unit occurs in two prefixes).  Plan preambles: see README.
The manual annotations and the output checks are in relations_gold2_build.py.

Usage: python3 relations_gold2_sampling.py [--show STRATUM N]
"""
import gzip
import json
import random
import re
import sys

SRC = "/work/shared/data/incoming/phapdien_vn/phapdien_articles.jsonl.gz"
FIRST_GOLD = "/work/main/tests/data/relations_gold.jsonl"
OUT = "/tmp/relations_gold2_order.json"
SEED = 777

CUES = ["hết hiệu lực", "thay thế", "bãi bỏ", "sửa đổi", "bổ sung",
        "quy định chi tiết", "hướng dẫn thi hành"]

# --- text cleaning --------------------------------------------------------
XREF = re.compile(r"\((?:Điều|Chương|Mục|Phần|Tiểu mục) này có nội dung liên quan")
EMBEDDED_HEAD = re.compile(r"Điều \d+\.\d+\.[^\s.]+(?:\.\d+)+\. ")
AMENDED = re.compile(r"được (?:sửa đổi|bổ sung|bãi bỏ|thay thế)")


def cut_text(t):
    """End of the usable part of an article text (cross-ref note or glued
    heading of another article, whichever comes first)."""
    end = len(t)
    m = XREF.search(t)
    if m:
        end = min(end, m.start())
    m = EMBEDDED_HEAD.search(t)
    if m:
        end = min(end, m.start())
    return end


LIST_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|[a-zđ]\d?\)|-|\+|\u2013)\s")


def units(t, end):
    """Yield (start, stop) spans of clause units inside t[:end].
    A unit is a line; a line ending in ':' absorbs the list items
    (a) b) - +) that follow it."""
    lines = []
    pos = 0
    for ln in t[:end].split("\n"):
        s, e = pos, pos + len(ln)
        pos = e + 1
        if ln.strip():
            # trim surrounding whitespace but keep verbatim offsets
            ls = len(ln) - len(ln.lstrip())
            rs = len(ln.rstrip())
            lines.append((s + ls, s + rs))
    i = 0
    while i < len(lines):
        s, e = lines[i]
        j = i + 1
        if t[s:e].rstrip().endswith(":"):
            while j < len(lines) and LIST_ITEM.match(t[lines[j][0]:lines[j][1]]):
                j += 1
            e = lines[j - 1][1]
        yield s, e
        i = j


# --- heuristic strata -------------------------------------------------------
NUM = r"(?:\b\d{1,5}/(?:\d{4}/)?[A-ZĐ][A-ZĐa-zđ0-9&\-/]*|\b\d{1,3}-(?:NQ|CT|KL|QĐ|HD)/TW)"
DOCTYPE = r"(?:Bộ luật|Luật|Pháp lệnh|Nghị định|Thông tư|Thông tư liên tịch|Quyết định|Nghị quyết|Chỉ thị)"
TITLE = r"(?:Bộ luật|Luật|Pháp lệnh) [A-ZĐÀ-Ỹ]"
DOCREF = re.compile(NUM + "|" + TITLE)
PART = r"(?:Điều|điều|khoản|Khoản|điểm|Điểm|Chương|Mục|mục|Phụ lục|phụ lục)"

R_REPL = re.compile(r"(?:này|sẽ|được) thay thế|thay thế (?:cho )?(?:các )?(?:" + DOCTYPE + r"|văn bản)")
R_EXP = re.compile(r"hết hiệu lực")
R_REP_PART = re.compile(r"[Bb]ãi bỏ")
R_PART_REF = re.compile(PART + r"\s+(?:[\dIVX]+|[a-zđ]\b)")
R_START_PART = re.compile(r"^(?:\d+\.\s*|[a-zđ]\)\s*)?(?:các )?" + PART)
R_AMEND = re.compile(r"(?:^|\n)\s*(?:\d+\.\s*|[a-zđ]\)\s*)?(?:Sửa đổi|Bổ sung|Bỏ|Thay thế cụm từ)|(?:này|sau đây) (?:sửa đổi|bổ sung)")
R_GUIDE = re.compile(r"(?:này|sau đây) (?:quy định chi tiết|hướng dẫn)")
R_DOCWORD = re.compile(DOCTYPE + r"(?! này)")


def strata(u):
    out = []
    has_ref = bool(DOCREF.search(u))
    has_num = bool(re.search(NUM, u))
    if has_ref and "thay thế" in u and R_REPL.search(u):
        out.append("replaces")
    if has_ref and R_EXP.search(u) and not R_START_PART.match(u):
        out.append("expires")
    if has_num and ((R_REP_PART.search(u) and R_PART_REF.search(u)) or (R_EXP.search(u) and R_START_PART.match(u))):
        out.append("repeals_part")
    if has_ref and R_AMEND.search(u):
        out.append("amends")
    if has_ref and R_GUIDE.search(u):
        out.append("guides")
    if not has_num and not R_DOCWORD.search(u) and len(u) < 700:
        out.append("negative")
    # lead-in list: cue word in the lead-in line, >= 2 list items,
    # >= 2 distinct document numbers
    lines = [x for x in u.split("\n") if x.strip()]
    if (len(lines) >= 3 and lines[0].rstrip().endswith(":")
            and any(c in lines[0] for c in CUES)
            and len(set(re.findall(NUM, u))) >= 2):
        out.append("lists")
    return out


ORDER = ["replaces", "expires", "repeals_part", "amends", "guides", "negative", "lists"]


def main():
    excluded = set()
    with open(FIRST_GOLD, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["source"] == "phapdien":
                excluded.add(r["id"])

    buckets = {k: [] for k in ORDER}
    seen = set()
    stats = {"articles": 0, "usable": 0, "excl_first_gold": 0,
             "excl_amended": 0, "cue_units": 0}
    with gzip.open(SRC, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            stats["articles"] += 1
            if not r.get("doc_number") or not r.get("source_raw"):
                continue
            if r["pd_id"] in excluded:
                stats["excl_first_gold"] += 1
                continue
            if AMENDED.search(r["source_raw"]):
                stats["excl_amended"] += 1
                continue
            stats["usable"] += 1
            t = r["text"]
            end = cut_text(t)
            for s, e in units(t, end):
                u = t[s:e]
                if not any(c in u for c in CUES):
                    continue
                key = (r["doc_number"], u)
                if key in seen:
                    continue
                seen.add(key)
                stats["cue_units"] += 1
                rec = {"pd_id": r["pd_id"], "doc_number": r["doc_number"],
                       "effective_from": r.get("effective_from"),
                       "start": s, "end": e, "unit": u}
                for st in strata(u):
                    buckets[st].append(rec)

    rng = random.Random(SEED)
    for k in ORDER:
        buckets[k].sort(key=lambda x: (x["pd_id"], x["start"]))
        rng.shuffle(buckets[k])
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(buckets, f, ensure_ascii=False)
    print(json.dumps(stats, ensure_ascii=False))
    print({k: len(v) for k, v in buckets.items()})


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--show":
        b = json.load(open(OUT, encoding="utf-8"))
        for i, x in enumerate(b[sys.argv[2]][: int(sys.argv[3])]):
            print(f"### {sys.argv[2]} rank {i} | {x['pd_id']} | {x['doc_number']} | {x['effective_from']}")
            print(x["unit"][:3000])
            print()
    else:
        main()
