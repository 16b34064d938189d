#!/usr/bin/env python3
"""Build the reviewable corpus (one UTF-8 Markdown file per document) from the read-only
source data in ../shared.  Stdlib only; re-running it rewrites the same files byte for byte.

    python3 corpus/build_corpus.py            # sources in ../shared (relative to the repo root)
    TRACUU_SHARED=/path python3 corpus/build_corpus.py

Each file: `---`, one `key: value` line per known field, `---`, a blank line, the text.
"""

import difflib
import gzip
import json
import os
import re
import statistics
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("TRACUU_SHARED", OUT.parent.parent / "shared"))
INC = SHARED / "data" / "incoming"
KEYS = ("title", "type", "number", "date", "issuer", "source", "completeness", "missing", "note")
PD_ATTACHMENT = re.compile(r"^Phu luc_ban hanh kem theo .*\.doc$", re.M)  # Pháp điển link label
written = []  # (file name, front matter) for the README


def nfc(s):
    return unicodedata.normalize("NFC", s)


def rel(p):
    return "../shared/" + p.relative_to(SHARED).as_posix()


def iso(dmy):
    d, m, y = dmy.split("/")
    return f"{y}-{m}-{d}"


def upstream(source_txt):
    """'github.com/owner/repo@commit' from the Repository:/Commit: lines of a SOURCE.txt."""
    f = dict(re.findall(r"^(Repository|Commit):\s*(\S+)", source_txt.read_text("utf-8"), re.M))
    return f"{f['Repository']}@{f['Commit']}"


def clean(text):
    """NFC, drop soft hyphens, trailing spaces and runs of blank lines; keep line breaks."""
    text = nfc(text).replace("\u00ad", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def write(name, meta, body):
    assert unicodedata.is_normalized("NFC", body), name
    lines = [f"{k}: {meta[k]}" for k in KEYS if meta.get(k)]
    assert all("\n" not in v and unicodedata.is_normalized("NFC", v) for v in lines), name
    (OUT / name).write_bytes(("---\n" + "\n".join(lines) + "\n---\n\n" + body).encode("utf-8"))
    written.append((name, {k: v for k, v in meta.items() if v}))


def slug(s):
    s = unicodedata.normalize("NFKD", s.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "-", s.encode("ascii", "ignore").decode().lower()).strip("-")


# 1. The seed Kế hoạch: body is the seed file byte for byte.
def build_seed():
    src = SHARED / "corpus" / "ke-hoach-khanh-hoa-asean-2021-2025.txt"
    alt = INC / "source_texts_partial" / "12127_KH-UBND_KhanhHoa_2021_BEGINNING_ONLY.txt"
    write(
        "ke-hoach-1212-KH-UBND-khanh-hoa-asean-2021-2025.md",
        {
            "source": f"{rel(src)} (seed file; no SOURCE.txt upstream record)",
            "completeness": "complete",
            "note": "body is a byte-for-byte copy of the seed (OCR text; header fields are parsed from it by "
            "the ingest pipeline); its 'Số: 1212 /KH-UBND' looks OCR-truncated: the page beginning in "
            f"{rel(alt)} reads Số: 12127/KH-UBND for the same plan and date",
        },
        src.read_bytes().decode("utf-8"),
    )


# 2. Nghị định 20/2021/NĐ-CP from the Pháp điển derived files.
def build_nd20(docs):
    d = INC / "nd20_2021"
    rows = [json.loads(line) for line in (d / "nd20_2021_articles.jsonl").open(encoding="utf-8")]
    assert [r["article"] for r in rows] == [f"Điều {i}" for i in range(1, 40)]
    md = (d / "nd20_2021_fulltext_from_phapdien.md").read_text("utf-8")
    assert [f"{r['article']}. {r['heading'].strip()}" for r in rows] == [
        h.strip() for h in re.findall(r"^### (.*)$", md, re.M)
    ], "jsonl and md disagree"
    doc = docs["20/2021/NĐ-CP"]
    out = [
        "CHÍNH PHỦ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 20/2021/NĐ-CP",
        "Hà Nội, ngày 15 tháng 3 năm 2021",
        "NGHỊ ĐỊNH",
        nfc(doc["title"].upper()),
    ]
    assert doc["issue_date"] == "15/03/2021" and doc["issuer"] == "Chính phủ"
    chapter = None
    for r in rows:
        if r["chapter"] != chapter:
            chapter = r["chapter"]
            num, title = re.fullmatch(r"(Chương [IVXLC]+) (.+)", chapter).groups()
            out.append(f"\n{num}\n{title}")
        out.append(f"\n{r['article']}. {clean(r['heading'])}\n\n{clean(PD_ATTACHMENT.sub('', r['text']))}")
    write(
        "nghi-dinh-20-2021-ND-CP.md",
        {
            "title": doc["title"],
            "type": "Nghị định",
            "number": "20/2021/NĐ-CP",
            "date": iso(doc["issue_date"]),
            "issuer": doc["issuer"],
            "source": f"{rel(d / 'nd20_2021_articles.jsonl')}, {rel(d / 'nd20_2021_fulltext_from_phapdien.md')} "
            f"({upstream(d / 'SOURCE.txt')}, Pháp điển đề mục 6.1)",
            "completeness": "partial",
            "missing": "preamble (căn cứ), signature block, annex forms (Mẫu số 1a…)",
            "note": "wording is Pháp điển's consolidated text (may include later amendments, e.g. Điều 8 'hằng "
            "tháng'); Pháp điển attachment-link lines 'Phu luc_ban hanh kem theo NĐ so 20_2021_ND-CP.doc' dropped",
        },
        "\n".join(out) + "\n",
    )


# 3. The 17 ALQAC 2024 laws.
LAW_NOTES = {  # evidence seen in the data but outside phapdien_documents.jsonl: reported, not used as metadata
    "Luật Cư trú": "phapdien_documents.jsonl only has the 2006 law 81/2006/QH11 (different text); Pháp điển "
    "cross-references cite Luật 68/2020/QH14 Cư trú ban hành ngày 13/11/2020, matching the adoption line",
    "Luật Bảo vệ môi trường": "not in phapdien_documents.jsonl; Pháp điển cross-references cite Luật 72/2020/QH14 "
    "ban hành ngày 17/11/2020, matching the adoption line; last article keeps an HTML "
    "remnant (clip_image001.png) from the source",
    "Hiến pháp": "text of Hiến pháp năm 2013 (adoption line: 28/11/2013), not in phapdien_documents.jsonl",
    "Luật Giáo dục": "some articles end with a leaked section heading (Tiểu mục 2-4) from the source",
    "Luật Trồng trọt": "hence SOURCE.txt's missing gold pair Trồng trọt/64; Điều 45 is absent from law.json",
    "Luật Trọng tài thương mại": "Điều 68 is absent from law.json (not merged into a neighbour)",
}
NOT_IN_ALQAC = {
    "Luật": "official header (số, ngày), preamble (căn cứ), chapter/section headings (Chương, Mục)",
    "Hiến pháp": "official header, Lời nói đầu (preamble), chapter headings (Chương)",
}


def is_body(first_line):
    """An article's first line is its heading unless it reads like a sentence or a numbered khoản."""
    return first_line.endswith((".", ":", ";")) or re.match(r"\d+\.\s", first_line) is not None


def law_articles(law):
    """[(number, heading or None, body)], splitting out articles merged into the previous one."""
    ids, out, split = {a["id"] for a in law["articles"]}, [], []
    for a in law["articles"]:
        num, text = int(a["id"]), clean(a["text"])
        first, _, rest = text.partition("\n")
        head, body = (None, text) if is_body(first) else (first, rest.strip())
        while str(num + 1) not in ids and (m := re.search(rf"^Điều {num + 1}(?:\. (.+))?$", body, re.M)):
            out.append((num, head, body[: m.start()].strip()))
            num, head, body = num + 1, m.group(1), body[m.end() :].strip()
            split.append(num)
        out.append((num, head, body))
    return out, split


def short_name(s):
    return re.sub(r"^(bộ luật|luật|hiến pháp)\s*", "", nfc(s).lower())


def flat(s):
    return re.sub(r"[\s*_]+", " ", s).strip().lower()[:400]


def pd_match(name, docs, pd_texts, arts):
    """The phapdien_documents entry for this law, if its title matches AND its texts are the same version."""
    laws = [d for d in docs.values() if d["doc_type"] in ("Luật", "Bộ luật", "Hiến pháp")]
    for doc in (d for d in laws if short_name(d["title"]) == short_name(name)):
        pd = pd_texts.get(doc["doc_number"], {})
        r = [difflib.SequenceMatcher(None, flat(b), flat(pd[n])).ratio() for n, _, b in arts if n in pd]
        ok = bool(r) and statistics.median(r) >= 0.8
        print(
            f"  {name}: {doc['doc_number']} {doc['issue_date']} compared {len(r)} articles, "
            f"median similarity {statistics.median(r) if r else 0:.2f} -> {'used' if ok else 'rejected'}"
        )
        if ok:
            return doc
    return None


def build_laws(docs, pd_texts):
    src = INC / "alqac2024" / "law.json"
    up, pd_up = upstream(INC / "alqac2024" / "SOURCE.txt"), upstream(INC / "phapdien_vn" / "SOURCE.txt")
    for law in json.loads(src.read_text("utf-8")):
        name = nfc(law["id"])
        kind = next(k for k in ("Bộ luật", "Hiến pháp", "Luật") if name.startswith(k))
        rest = name[len(kind) :].strip()
        arts, split = law_articles(law)
        nums = [n for n, _, _ in arts]
        assert nums == sorted(set(nums)), name
        gaps = [f"Điều {n}" for n in range(1, max(nums) + 1) if n not in nums]
        doc = pd_match(name, docs, pd_texts, arts)
        adopted = re.search(r"thông qua ngày (\d+) tháng (\d+) năm (\d{4})", arts[-1][2])
        issued = doc and tuple(map(int, doc["issue_date"].split("/")))
        if adopted and issued and tuple(map(int, adopted.groups())) != issued:
            print(f"  WARNING {name}: adoption line {adopted.group(0)} != {doc['issue_date']}")
        body = [kind.upper()] + ([rest.upper()] if rest else [])
        for n, head, text in arts:
            body.append(f"\nĐiều {n}. {head}" if head else f"\nĐiều {n}.")
            if text:
                body.append("\n" + text)
        merged = split and f"Điều {', '.join(map(str, split))} merged into the preceding article in law.json"
        meta_src = f"; metadata {rel(INC / 'phapdien_vn' / 'phapdien_documents.jsonl')} ({pd_up})"
        write(
            slug(name) + ".md",
            {
                "title": f"{kind} {rest[:1].upper()}{rest[1:]}".strip(),
                "type": kind,
                "number": doc and doc["doc_number"],
                "date": doc and iso(doc["issue_date"]),
                "issuer": doc and doc["issuer"],
                "source": f"{rel(src)} ({up})" + (meta_src if doc else ""),
                "completeness": "partial" if gaps else "complete",
                "missing": ", ".join(gaps + [NOT_IN_ALQAC.get(kind, NOT_IN_ALQAC["Luật"])]),
                "note": "; ".join(
                    filter(None, [merged and merged + ", split out here", LAW_NOTES.get(name)])
                ),
            },
            "\n".join(body) + "\n",
        )
        print(f"  -> {slug(name)}.md: {len(arts)} articles (law.json {len(law['articles'])}), gaps {gaps}")


# 4. Quyết định 161/QĐ-TTg: only the beginning of the page was retrievable.
def build_qd161():
    src = INC / "source_texts_partial" / "161_QD-TTg_2016_BEGINNING_ONLY.txt"
    lines = src.read_text("utf-8").split("\n")
    assert lines[0].startswith("# PARTIAL TEXT") and lines[1].startswith("# Source URL: ")
    url = lines[1].split(": ", 1)[1].strip()
    body = "\n".join(lines[2:]).rstrip()
    assert body.endswith("[... TRUNCATED IN SOURCE INDEX ...]")
    write(
        "quyet-dinh-161-QD-TTg-2016-partial.md",
        {
            "title": "Phê duyệt Đề án xây dựng và triển khai Kế hoạch thực hiện các mục tiêu của Cộng đồng "
            "Văn hóa - Xã hội ASEAN đến năm 2025",
            "type": "Quyết định",
            "number": "161/QĐ-TTg",
            "date": "2016-01-25",
            "issuer": "Thủ tướng Chính phủ",
            "source": f"{rel(src)} (page beginning of {url})",
            "completeness": "partial",
            "missing": "everything after the opening of Điều 1 (text truncated in the source, mid-sentence in "
            "mục I.1): rest of Điều 1, later articles, signature block",
        },
        clean(body.removesuffix("[... TRUNCATED IN SOURCE INDEX ...]")) + "\n",
    )


def write_readme():
    rows = "\n".join(
        f"| `{n}` | {m.get('title', '(header in text)')} | {m.get('number', '')} | {m.get('date', '')} "
        f"| {m['source']} | {m['completeness']} | {m.get('missing', 'nothing known')} |"
        for n, m in written
    )
    notes = "\n".join(f"- `{n}`: {m['note']}" for n, m in written if "note" in m)
    (OUT / "README.md").write_text(
        f"""# corpus/

One plain UTF-8 (NFC) Markdown file per document, generated from the read-only data in `../shared` by
`python3 corpus/build_corpus.py` (stdlib only; edit the script, not the `.md` files). Each file: a block of
`key: value` lines ({", ".join(KEYS)}) between `---` lines, a blank line, the text; a key is absent when
the data does not give it. Law number/date/issuer come only from `phapdien_documents.jsonl`, after checking
article texts against `phapdien_articles.jsonl.gz` (same version). `complete` = every article present;
`missing` also lists parts the source never had. Text changes: NFC, soft hyphens, trailing spaces and
extra blank lines removed; the seed plan is copied byte for byte.

| file | title | number | date | source | completeness | missing |
|---|---|---|---|---|---|---|
{rows}

Notes (also in each file's `note:` line):

{notes}
""",
        encoding="utf-8",
    )


def main():
    docs = {
        d["doc_number"]: d
        for d in map(json.loads, (INC / "phapdien_vn" / "phapdien_documents.jsonl").open(encoding="utf-8"))
    }
    pd_texts = {}
    with gzip.open(INC / "phapdien_vn" / "phapdien_articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for a in map(json.loads, f):
            if a.get("doc_type") in ("Luật", "Bộ luật", "Hiến pháp") and (
                m := re.fullmatch(r"Điều (\d+)", a.get("source_article") or "")
            ):
                pd_texts.setdefault(a["doc_number"], {})[int(m.group(1))] = clean(a["text"])
    build_seed()
    build_nd20(docs)
    build_laws(docs, pd_texts)
    build_qd161()
    write_readme()
    print(f"wrote {len(written)} documents + README.md to {OUT}")


if __name__ == "__main__":
    main()
