#!/usr/bin/env python3
"""Builds /tmp/relations_gold2.jsonl from the sampled order
(/tmp/relations_gold2_order.json, written by relations_gold2_sampling.py)
and the manual annotations below, then checks the output."""
import gzip
import json
import re
import sys

ORDER = "/tmp/relations_gold2_order.json"
SRC = "/work/shared/data/incoming/phapdien_vn/phapdien_articles.jsonl.gz"
PLANS = "/work/shared/data/incoming/plans/"
FIRST_GOLD = "/work/main/tests/data/relations_gold.jsonl"
OUT = "/tmp/relations_gold2.jsonl"


def R(type_, other, scope="whole", frm=None, title=False, except_=None):
    d = {"type": type_, "other": other}
    if title:
        d["other_kind"] = "title"
    d["scope"] = scope
    d["from"] = frm
    if except_:
        d["except"] = except_
    return d


OE = "on_effect"

# (stratum, rank) -> (clip, [relations]); clip: None = whole unit,
# "first" = first line of the unit, ("item", "i)") = the list item line,
# "article" = from the unit start to the end of the usable article text
# (lead-in followed by a numbered "1. 2. 3." list, which the unit builder
# does not join).
A = {}
# ---------------- replaces 0-4
A[("replaces", 0)] = (None, [R("replaces", "58/2004/QĐ-BNN", frm="2020-01-01")])
A[("replaces", 1)] = (None, [R("replaces", "73/2007/NĐ-CP", frm="2016-07-01")])
A[("replaces", 2)] = (None, [R("replaces", "147/2014/TT-BTC")])
A[("replaces", 3)] = (None, [R("replaces", "16/2018/TT-BGTVT", frm="2021-03-15")])
A[("replaces", 4)] = (None, [R("replaces", "Luật Thương mại", title=True)])
# ---------------- expires 0-4
A[("expires", 0)] = (None, [R("expires", "2397/QĐ-BYT", frm=OE)])
A[("expires", 1)] = (None, [R("expires", "23/2007/TT-BKHCN", frm=OE),
                            R("expires", "30/2011/TT-BKHCN", frm=OE)])
A[("expires", 2)] = (None, [R("expires", "15/2013/TT-BVHTTDL", frm=OE)])
A[("expires", 3)] = (None, [R("expires", "13/2009/TT-BYT", frm=OE)])
A[("expires", 4)] = (None, [R("expires", "140/2007/NĐ-CP", frm=OE)])
# ---------------- repeals_part 0-6
A[("repeals_part", 0)] = (None, [R("repeals_part", "24/2020/TT-BGTVT", "Điều 4, Khoản 4 Điều 5")])
A[("repeals_part", 1)] = (("item", "i)"), [])  # negative
A[("repeals_part", 2)] = (None, [R("repeals_part", "120/2011/NĐ-CP", "Điều 2")])
A[("repeals_part", 3)] = (None, [R("repeals_part", "68/2002/NĐ-CP",
    "chương IV “Nuôi con nuôi” từ Điều 35 đến Điều 64, Điều 71 và những quy định liên quan khác về nuôi con nuôi có yếu tố nước ngoài")])
A[("repeals_part", 4)] = (None, [
    R("expires", "118/2009/TT-BTC"),
    R("repeals_part", "16/2008/TT-BTC", "Điểm 2.2.c, mục I; các quy định áp dụng đối với đối tượng là cá nhân là người Việt Nam định cư ở nước ngoài được phép trở về định cư ở Việt Nam"),
    R("repeals_part", "215/2010/TT-BTC", "các quy định áp dụng đối với đối tượng là cá nhân là người Việt Nam định cư ở nước ngoài được phép trở về định cư ở Việt Nam"),
    R("repeals_part", "02/2001/TT-TCHQ", "Điểm 1.1, mục I; các quy định áp dụng đối với đối tượng được hưởng quyền ưu đãi miễn trừ ngoại giao")])
A[("repeals_part", 5)] = (None, [R("expires", "185/2016/TT-BTC"),
                                 R("repeals_part", "55/2018/TT-BTC", "Điều 1")])
A[("repeals_part", 6)] = (None, [R("repeals_part", "35/2015/NĐ-CP", "Điều 4"),
                                 R("repeals_part", "62/2019/NĐ-CP", "Khoản 1, khoản 2 Điều 1"),
                                 R("expires", "95/2007/QĐ-BNN"),
                                 R("expires", "18/2012/TT-BNNPTNT")])
# ---------------- amends 0-12
A[("amends", 0)] = ("first", [R("amends", "78/2015/QH13")])
A[("amends", 1)] = (None, [R("amends", "36/2005/QH11", "khoản 4 Điều 100; khoản 4 Điều 109")])
A[("amends", 2)] = ("first", [R("amends", "16/1999/QH10", "Điều 41")])
A[("amends", 3)] = (None, [R("amends", "15/1999/QH10", "đoạn 2 khoản 1 Điều 270")])
A[("amends", 4)] = (None, [R("amends", "03/2007/QH12", "Điều 55")])
A[("amends", 5)] = (None, [R("amends", "22/2000/QH10", "Điều 109")])
A[("amends", 6)] = (None, [R("guides", "98/2021/NĐ-CP",
    "khoản 5 Điều 5; điểm đ khoản 3 Điều 30; khoản 1 Điều 42; khoản 10 Điều 70; Điểm d khoản 2 Điều 76")])
A[("amends", 7)] = ("first", [R("amends", "146/2018/NĐ-CP")])
A[("amends", 8)] = (None, [R("amends", "99/2015/QH13", "Điều 44")])
A[("amends", 9)] = (None, [R("amends", "23/2008/QH12", "khoản 8 Điều 8")])
A[("amends", 10)] = (None, [R("amends", "17/2012/QH13", "khoản 1 Điều 73")])
A[("amends", 11)] = ("first", [R("amends", "67/2014/QH13")])
A[("amends", 12)] = (None, [R("amends", "23/2004/QH11", "khoản 8 Điều 8")])
# ---------------- guides 0-8
A[("guides", 0)] = (None, [R("guides", "Luật Nuôi con nuôi", title=True),
                           R("guides", "19/2011/NĐ-CP")])
A[("guides", 1)] = (None, [R("guides", "Pháp lệnh Công an xã", title=True)])
A[("guides", 2)] = (None, [R("guides", "Luật Lý lịch tư pháp", "khoản 2 Điều 11; Điều 14; Điều 56", title=True)])
A[("guides", 3)] = (None, [R("guides", "Luật Hoạt động chữ thập đỏ", "khoản 2 Điều 17; khoản 1 Điều 18; khoản 4 Điều 22", title=True)])
A[("guides", 4)] = ("article", [R("guides", "40/2014/NĐ-CP")])
A[("guides", 5)] = (None, [R("guides", "Pháp lệnh Cựu chiến binh", title=True)])
A[("guides", 6)] = (None, [R("guides", "55/2016/QĐ-TTg")])
A[("guides", 7)] = ("article", [R("guides", "Bộ luật Lao động",
    "khoản 4 Điều 145; khoản 3 Điều 143; khoản 2 Điều 146; khoản 3 Điều 147", title=True)])
A[("guides", 8)] = (None, [
    R("guides", "Luật Sĩ quan Quân đội nhân dân Việt Nam", "các Điều 34, 36", title=True),
    R("guides", "Luật sửa đổi, bổ sung một số điều của Luật Sĩ quan Quân đội nhân dân Việt Nam", "các khoản 11, 12 Điều 1", title=True)])
# ---------------- negative 0-7
for i in range(8):
    A[("negative", i)] = (None, [])
# ---------------- lists 0-21
A[("lists", 0)] = (None, [R("repeals_part", "01/2020/TT-NHNN", "Khoản 2, khoản 11, khoản 12, khoản 14 và khoản 15 Điều 1"),
                          R("repeals_part", "12/2015/TT-NHNN", "Khoản 2 và khoản 3 Điều 1"),
                          R("repeals_part", "37/2018/TT-NHNN", "Khoản 1 Điều 1")])
A[("lists", 1)] = (None, [R("replaces", "12/2014/TT-BNNPTNT"), R("replaces", "16/2016/TT-BNNPTNT")])
A[("lists", 2)] = (None, [])  # negative
A[("lists", 3)] = (None, [R("replaces", "50/2015/TT-BNNPTNT"), R("replaces", "52/2013/TT-BNNPTNT")])
A[("lists", 4)] = (None, [R("expires", "57/2002/NĐ-CP", frm=OE),
                          R("expires", "24/2006/NĐ-CP", frm=OE),
                          R("expires", "115/2011/NĐ-CP", frm=OE),
                          R("repeals_part", "24/2007/CT-TTg", "Nội dung quy định về phí, lệ phí", frm=OE),
                          R("repeals_part", "62/2015/NĐ-CP", "các Điều 46, 47, 48 và các nội dung liên quan đến phí thi hành án dân sự", frm=OE),
                          R("repeals_part", "116/2005/NĐ-CP", "quy định về phí xử lý vụ việc cạnh tranh và lệ phí thẩm định hồ sơ đề nghị hưởng miễn trừ tại các Điều 51, 52, 53, 54, 55, 56 và Điều 57", frm=OE)])
A[("lists", 5)] = (None, [])  # negative
A[("lists", 6)] = (None, [R("replaces", "191/2016/TT-BTC"), R("replaces", "91/2021/TT-BTC")])
A[("lists", 7)] = (None, [R("repeals_part", "79/2016/TT-BQP", "Chương IV", frm=OE),
                          R("expires", "26/2005/QĐ-BQP", frm=OE),
                          R("expires", "170/2004/TT-BQP", frm=OE),
                          R("expires", "197/2014/TT-BQP", frm=OE),
                          R("expires", "38/2005/QĐ-BQP", frm=OE)])
A[("lists", 8)] = (None, [R("replaces", "60/2010/TT-BNNPTNT"), R("replaces", "61/2010/TT-BNNPTNT")])
A[("lists", 9)] = (None, [R("replaces", x) for x in
                          ["66/2005/QĐ-BNN", "07/2005/QĐ-BNN", "13/2007/QĐ-BNN", "108/2007/QĐ-BNN"]])
A[("lists", 10)] = (None, [R("repeals_part", "24/2011/TT-NHNN", "Khoản 12 Điều 4", frm=OE),
                           R("repeals_part", "25/2011/TT-NHNN", "Điều 7, Điều 8, Điều 9, Điều 10 và Phụ lục số 09.ĐGH", frm=OE)])
A[("lists", 11)] = (None, [R("expires", x, frm=OE) for x in
                           ["80/2001/NĐ-CP", "58/2003/NĐ-CP", "45/2009/NĐ-CP", "133/2002/QĐ-TTg", "52/2011/QĐ-TTg"]])
A[("lists", 12)] = (None, [R("expires", "48/2012/TT-BTC"), R("expires", "02/2015/TT-BTC"),
                           R("repeals_part", "137/2010/TT-BTC", "Chương III"),
                           R("expires", "335/2016/TT-BTC")])
A[("lists", 13)] = (None, [R("expires", "229/2016/TT-BTC"), R("repeals_part", "43/2023/TT-BTC", "Điều 4")])
A[("lists", 14)] = (None, [])  # negative
A[("lists", 15)] = (None, [R("expires", x + "/TT-BTC") for x in
                           ["94/2014", "22/2014", "128/2013", "196/2012", "186/2012", "183/2012", "15/2012",
                            "190/2011", "45/2011", "45/2007", "13/2014", "175/2013", "237/2009"]])
A[("lists", 16)] = (None, [R("expires", "21/2012/TT-BVHTTDL", frm=OE),
                           R("repeals_part", "18/2014/TT-BVHTTDL", "Điều 8 và khoản 2 Điều 9", frm=OE)])
A[("lists", 17)] = (None, [R("replaces", "04/2010/TTLT-BNV-BTC"),
                           R("replaces", "01/2009/TTLT-BQP-BYT-BTC"),
                           R("replaces", "135/2007/TTLT-BQP-BYT-BTC", "Khoản 1, Khoản 2 và Khoản 3 Mục II")])
A[("lists", 18)] = (None, [R("replaces", "03/2006/QĐ-BTNMT"), R("replaces", "11/2007/TT-BTNMT")])
A[("lists", 19)] = (None, [R("expires", "1570/2000/QĐ-BYT", frm=OE),
                           R("repeals_part", "45/2011/TT-BYT", "Các quy định về Thực hành tốt phòng kiểm nghiệm thuốc", frm=OE)])
A[("lists", 20)] = (None, [R("expires", "02/2000/TT-NHNN7", frm=OE),
                           R("expires", "472/2000/QĐ-NHNN7", frm=OE),
                           R("expires", "878/2002/QĐ-NHNN", frm=OE),
                           R("repeals_part", "25/2011/TT-NHNN", "Điều 4 và Điều 12", frm=OE)])
A[("lists", 21)] = (None, [R("repeals_part", "13/2009/TT-BYT", "Các quy định về quảng cáo thuốc", frm=OE),
                           R("repeals_part", "45/2011/TT-BYT", "Các quy định về quảng cáo thuốc", frm=OE),
                           R("expires", "42/2010/TT-BYT", frm=OE),
                           R("repeals_part", "06/2011/TT-BYT", "Các quy định về quảng cáo mỹ phẩm", frm=OE),
                           R("expires", "08/2013/TT-BYT", frm=OE)])

PREFIX = [("replaces", 5), ("expires", 5), ("repeals_part", 7), ("amends", 13),
          ("guides", 9), ("negative", 8), ("lists", 22)]

# ---------------- plan preambles (one paragraph = one clause)
P13 = "13_HCM_3210-QD-UBND_2014-06-28_KH-ho-tro-nguoi-co-cong-nha-o.md"
P16 = "16_CP_03-NQ-CP_2025-01-09_CTHD-NQ57_with-appendix-tables.md"
P06 = "06_HCM_174-KH-UBND_2025-11-18_binh-dang-gioi.md"
PLAN_META = {P13: ("3210/QĐ-UBND", "2014-06-28"),
             P16: ("03/NQ-CP", "2025-01-09"),
             P06: ("174/KH-UBND", None)}
PLAN_ANN = {
    P13: [
        [R("based_on", "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân", title=True)],
        [R("based_on", "22/2013/QĐ-TTg")],
        [R("based_on", "09/2013/TT-BXD")],
        [R("based_on", "98/2013/TT-BXD")],
    ],
    P16: [
        [R("based_on", "Luật Tổ chức Chính phủ", title=True)],
        [R("based_on", "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương", title=True)],
        [R("based_on", "57-NQ/TW")],
    ],
    P06: [
        [R("based_on", "202/2025/QH15")],
        [R("based_on", "178/QĐ-TTg")],
        [R("based_on", "2232/QĐ-TTg")],
        [R("based_on", "2282/QĐ-TTg")],
        [R("based_on", "28/NQ-CP")],
        [R("based_on", "101/QĐ-TTg")],
        [R("based_on", "02-TT/TU"), R("based_on", "8935/BNV-CTTN&BĐG")],
    ],
}


def iso(d):
    if not d:
        return None
    dd, mm, yy = d.split("/")
    return f"{yy}-{mm}-{dd}"


def preamble_paragraphs(text):
    """'Căn cứ'/'Thực hiện' paragraphs before the first 'QUYẾT ĐỊNH'/'QUYẾT NGHỊ'
    or section 'I.' of the text."""
    m = re.search(r"QUYẾT ĐỊNH:|QUYẾT NGHỊ:|\*\*I\. MỤC|Ủy ban nhân dân Thành phố\nban hành", text)
    head = text[: m.start()] if m else text[:8000]
    out = []
    for p in re.split(r"\n\s*\n", head):
        p = p.strip()
        if p.startswith(("Căn cứ", "Thực hiện")):
            out.append(p)
    return out


def main():
    order = json.load(open(ORDER, encoding="utf-8"))
    first = [json.loads(l) for l in open(FIRST_GOLD, encoding="utf-8")]
    first_ids = {r["id"] for r in first}
    first_files = {r["id"].split("/")[-1] for r in first if r["source"] == "corpus"}

    # selection
    picked, seen_units, index = [], set(), []
    for st, n in PREFIX:
        for rank in range(n):
            u = order[st][rank]
            key = (u["pd_id"], u["start"], u["end"])
            assert key not in seen_units, (st, rank, "duplicate unit")
            seen_units.add(key)
            assert (st, rank) in A, (st, rank)
            picked.append((st, rank, u))
    assert len(A) == len(picked), "annotation without a pick"

    texts = {}
    need = {u["pd_id"] for _, _, u in picked}
    with gzip.open(SRC, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["pd_id"] in need:
                texts[r["pd_id"]] = r

    recs = []
    for st, rank, u in picked:
        art = texts[u["pd_id"]]
        assert art["text"][u["start"]:u["end"]] == u["unit"]
        clip, rels = A[(st, rank)]
        clause = u["unit"]
        if clip == "first":
            clause = clause.split("\n")[0].rstrip()
        elif clip == "article":
            sys.path.insert(0, "/tmp")
            from relations_gold2_sampling import cut_text
            clause = art["text"][u["start"]:cut_text(art["text"])].rstrip()
        elif isinstance(clip, tuple):
            line = [x for x in clause.split("\n") if x.lstrip().startswith(clip[1] + " ")]
            assert len(line) == 1
            clause = line[0].strip()
        recs.append({"source": "phapdien", "id": u["pd_id"], "stating": art["doc_number"],
                     "stating_effective_from": iso(art.get("effective_from")),
                     "clause": clause, "relations": rels})
        index.append((st, rank))
    for fn, anns in PLAN_ANN.items():
        assert fn not in first_files
        text = open(PLANS + fn, encoding="utf-8").read()
        paras = preamble_paragraphs(text)
        assert len(paras) == len(anns), (fn, len(paras), len(anns))
        for p, rels in zip(paras, anns):
            recs.append({"source": "corpus", "id": "shared/data/incoming/plans/" + fn,
                         "stating": PLAN_META[fn][0], "stating_effective_from": PLAN_META[fn][1],
                         "clause": p, "relations": rels})
            index.append(("plan_preamble", None))

    # ---- checks
    errors = 0
    for r in recs:
        if r["source"] == "phapdien":
            assert r["id"] not in first_ids, r["id"]
            src = texts[r["id"]]["text"]
        else:
            src = open("/work/" + r["id"], encoding="utf-8").read()
        if r["clause"] not in src:
            print("CLAUSE NOT VERBATIM", r["id"]); errors += 1
        for x in r["relations"]:
            assert set(x) <= {"type", "other", "other_kind", "scope", "from", "except"}
            assert x["type"] in {"replaces", "expires", "repeals_part", "amends", "guides", "based_on"}
            assert x["from"] is None or x["from"] == "on_effect" or re.fullmatch(r"\d{4}-\d\d-\d\d", x["from"])
            if x["other"] not in r["clause"]:
                print("OTHER NOT IN CLAUSE", r["id"], x["other"]); errors += 1
            if x["scope"] != "whole":
                parts = [x["scope"]] if x["scope"] in r["clause"] else x["scope"].split("; ")
                for p in parts:
                    if p not in r["clause"]:
                        print("SCOPE NOT IN CLAUSE", r["id"], p); errors += 1
            if "except" in x and x["except"] not in r["clause"]:
                print("EXCEPT NOT IN CLAUSE", r["id"]); errors += 1
            if x.get("other_kind") != "title" and not re.search(r"\d", x["other"]):
                print("NUMBER WITHOUT DIGIT", r["id"], x["other"]); errors += 1
    if errors:
        sys.exit(f"{errors} errors")

    with open(OUT, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    json.dump(index, open("/tmp/relations_gold2_index.json", "w"))
    from collections import Counter
    c = Counter(x["type"] for r in recs for x in r["relations"])
    print("records", len(recs), "relations", sum(c.values()), dict(c))
    print("negatives", sum(1 for r in recs if not r["relations"]))


if __name__ == "__main__":
    main()
