import json, re, unicodedata, sys, collections
sys.path.insert(0, '.')
from facts_src import F
from drafts_src import D
N = lambda s: unicodedata.normalize('NFC', s) if isinstance(s, str) else s

# ---- independent model of the texts (second entry, for cross-checking) ----
EFF = {"612/2018/NĐ-CP":"2018-07-01","633/2021/NĐ-CP":"2022-01-01","618/2019/TT-BYT":"2019-02-20",
       "640/2022/TT-BYT":"2022-08-10","667/2016/UBTVQH13":"2016-07-01","671/2019/QH14":"2020-01-01",
       "684/2023/QH15":"2024-07-01","622/2016/TTLT-BGDĐT-BTC":"2016-08-15","679/2025/TT-BGDĐT":"2025-03-05",
       "626/2020/QĐ-UBND":"2020-09-18","655/2024/QĐ-UBND":"2024-10-15","661/2025/QĐ-UBND":"2025-02-20",
       "688/2023/NQ-HĐND":"2023-06-24","646/2017/QĐ-TTg":None}
# whole endings: target -> list of (date or None, by, replaces?)
WHOLE = {"605/2015/NĐ-CP":[("2018-07-01","612/2018/NĐ-CP",True)],
         "612/2018/NĐ-CP":[("2022-01-01","633/2021/NĐ-CP",True)],
         "667/2016/UBTVQH13":[("2020-01-01","671/2019/QH14",False)],
         "622/2016/TTLT-BGDĐT-BTC":[("2025-03-05","679/2025/TT-BGDĐT",False)],
         "609/2015/TT-BGDĐT":[("2025-03-05","679/2025/TT-BGDĐT",False)],
         "658/2017/TT-BGDĐT":[("2025-03-05","679/2025/TT-BGDĐT",False)],
         "626/2020/QĐ-UBND":[("2024-10-15","655/2024/QĐ-UBND",True),("2025-02-20","661/2025/QĐ-UBND",True)],
         "645/2021/NQ-HĐND":[("2023-09-01","688/2023/NQ-HĐND",False)],
         "615/2014/QĐ-TTg":[(None,"646/2017/QĐ-TTg",False)]}
PART = {"618/2019/TT-BYT":("2022-08-10",["Điều 4","Điều 5","điểm b khoản 2 Điều 7"]),
        "671/2019/QH14":("2024-07-01",["khoản 3 Điều 10"])}
EFF = {N(k):v for k,v in EFF.items()}; WHOLE={N(k):[(a,N(b),c) for a,b,c in v] for k,v in WHOLE.items()}
PART = {N(k):(v[0],[N(u) for u in v[1]]) for k,v in PART.items()}

def model(num, at):
    eff = EFF.get(num); ends = WHOLE.get(num, [])
    dated = [e for e in ends if e[0]]
    exp_from = min((e[0] for e in dated), default=None)
    reps = [e for e in ends if e[2]]
    rep = max(reps, key=lambda e: EFF.get(e[1]) or "")[1] if reps else None
    if exp_from and at >= exp_from: v = "expired"
    elif eff is None: v = "unknown"
    elif at < eff: v = "not_yet_in_force"
    elif num in PART and at >= PART[num][0]: v = "partly_expired"
    else: v = "in_force"
    return v, eff, exp_from, rep

def status(num, at): return model(num, at)[0]

err = 0
facts = []
seen = set()
for num, at, v, ef, xf, rb, why in F:
    num, rb = N(num), N(rb)
    m = model(num, at)
    if (v, ef, xf, rb) != m:
        print("MISMATCH", num, at, (v, ef, xf, rb), m); err += 1
    if (num, at) in seen: print("DUP", num, at); err += 1
    seen.add((num, at))
    facts.append({"number":num,"at":at,"validity":v,"effective_from":ef,"expired_from":xf,"replaced_by":rb,"why":N(why)})

# every fact number must occur in docs
import glob
alldocs = N("\n".join(open(p, encoding='utf-8').read() for p in sorted(glob.glob('../docs/*.txt'))))
for x in facts:
    if x["number"] not in alldocs: print("NOT IN DOCS", x["number"]); err += 1

# ---- drafts ----
CIT = re.compile(r'(?:((?:điểm [a-zđ] )?(?:khoản \d+ )?Điều \d+) (?:của )?(?:Nghị định|Thông tư liên tịch|Thông tư|Luật Y tế học đường|Luật|Pháp lệnh|Quyết định|Nghị quyết) (?:số )?)?(?<![/\d])(\d+/(?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9-]*)')
SELF = {"d05-du-thao-qd-han-muc-cong-nhan-dat-o": {"626/2020/QĐ-UBND"}, "d12-du-thao-tt-sua-doi-tt-640": {"640/2022/TT-BYT"}}
drafts = []
for did, date, text, exp in D:
    text = N(text); exp = [(N(a), N(b), c) for a,b,c in exp]
    found = [(m.group(2), m.group(1)) for m in CIT.finditer(text)]
    if [(a,b) for a,b,_ in exp] != found:
        print("CIT MISMATCH", did); print(" found", found); print(" exp  ", [(a,b) for a,b,_ in exp]); err += 1
    at = date or "2026-12-03"
    if date:
        y,mo,d = date.split('-')
        if not re.search(rf'ngày {int(d):02d} tháng {int(mo):02d} năm {y}|ngày {int(d):02d} tháng {int(mo)} năm {y}|ngày {int(d)} tháng {int(mo)} năm {y}', text):
            print("DATE LINE?", did)
    for num, unit, codes in exp:
        if num in SELF.get(did, ()): want = []
        else:
            s = status(num, at); want = []
            if s == "expired": want = ["expired"]
            elif s == "not_yet_in_force": want = ["not_yet_in_force"]
            elif unit and num in PART and at >= PART[num][0] and unit in PART[num][1]: want = ["unit_repealed"]
        if want != codes: print("CODE MISMATCH", did, num, unit, codes, want); err += 1
    drafts.append({"id":did, "text":text, "expected":[{"number":a,"unit":b,"codes":c} for a,b,c in exp]}
                  | ({} if date else {}))

with open('../facts.jsonl','w',encoding='utf-8') as fh:
    for x in facts: fh.write(json.dumps(x, ensure_ascii=False)+"\n")
with open('../drafts.jsonl','w',encoding='utf-8') as fh:
    for x in drafts: fh.write(json.dumps(x, ensure_ascii=False)+"\n")
print("facts", len(facts), collections.Counter(x["validity"] for x in facts))
print("distinct numbers", len({x["number"] for x in facts}))
cc = collections.Counter(c for d in drafts for e in d["expected"] for c in e["codes"])
print("drafts", len(drafts), "citations", sum(len(d["expected"]) for d in drafts), "no-code", sum(1 for d in drafts for e in d["expected"] if not e["codes"]), cc)
print("errors", err)
