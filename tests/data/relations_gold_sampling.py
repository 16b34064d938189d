import pickle,re,random,json,collections
import gzip
rows=[json.loads(l) for l in gzip.open('/work/shared/data/incoming/phapdien_vn/phapdien_articles.jsonl.gz','rt',encoding='utf-8')]
CUES=["hết hiệu lực","thay thế","bãi bỏ","sửa đổi","bổ sung","quy định chi tiết","hướng dẫn thi hành"]
APPX=re.compile(r'\((Điều|Chương|Mục|Tiểu mục)[^()]{0,20} này có nội dung liên quan')
EMB=re.compile(r'Điều \d+\.\d+\.[A-ZĐ]+\.[\d.]+\. ')
DOC=re.compile(r'\d+[A-Za-z]?/(\d{4}/)?[A-ZĐ][A-ZĐa-z0-9\-]*')
TITLE=re.compile(r'(Bộ luật|Luật|Pháp lệnh) [A-ZĐ]')
DOCWORD=re.compile(r'(Bộ luật|Luật|Pháp lệnh|Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị|Hiến pháp)(?! này)')
def clean(t):
    m=APPX.search(t)
    if m: t=t[:m.start()]
    m=EMB.search(t)
    if m: t=t[:m.start()]
    return t
def units(t):
    lines=t.split('\n')
    # positions
    out=[];i=0;pos=0;spans=[]
    for ln in lines:
        spans.append((pos,pos+len(ln))); pos+=len(ln)+1
    i=0
    while i<len(lines):
        ln=lines[i]
        if not ln.strip(): i+=1; continue
        s,e=spans[i]; j=i
        if ln.rstrip().endswith(':'):
            k=i+1
            while k<len(lines):
                l2=lines[k].strip()
                if not l2: k+=1; continue
                if re.match(r'^([a-zđ]\)|-|\+|•)',l2): j=k; k+=1
                else: break
            e=spans[j][1]
        u=t[s:e].strip()
        out.append(u); i=j+1
    return out
strata={k:[] for k in ['replaces','expires','repeals_part','amends','guides','negative']}
seen=set()
for r in rows:
    if not r.get('doc_number') or not r.get('source_raw'): continue
    t=clean(r['text'])
    for ui,u in enumerate(units(t)):
        if not any(c in u for c in CUES): continue
        key=(r['doc_number'],u)
        if key in seen: continue
        seen.add(key)
        hasdoc=bool(DOC.search(u)) or bool(TITLE.search(u))
        item=(r['pd_id'],ui,u)
        if 'thay thế' in u and hasdoc and re.search(r'(này|sẽ|được) thay thế|thay thế (cho )?(các |những )?(Nghị định|Thông tư|Quyết định|Luật|Pháp lệnh|Chỉ thị|văn bản)',u):
            strata['replaces'].append(item)
        if 'hết hiệu lực' in u and hasdoc and not re.match(r'^(\d+\.\s*)?(Điều|Khoản|khoản|Điểm|điểm|Chương|Mục|Phụ lục)\b',u):
            strata['expires'].append(item)
        if DOC.search(u) and (('bãi bỏ' in u and re.search(r'(Điều|khoản|Khoản|điểm|Điểm|Chương|Mục|Phụ lục) [\dIVXa-zđ]',u)) or ('hết hiệu lực' in u and re.match(r'^(\d+\.\s*)?(Điều|Khoản|khoản|Điểm|điểm|Chương|Mục|Phụ lục)\b',u))):
            strata['repeals_part'].append(item)
        if hasdoc and re.search(r'(^|\n)(\d+\.\s*|[a-zđ]\)\s*)?(Sửa đổi|Bổ sung)|(này|sau đây) (sửa đổi|bổ sung)',u):
            strata['amends'].append(item)
        if hasdoc and re.search(r'(này|sau đây) (quy định chi tiết|hướng dẫn)',u):
            strata['guides'].append(item)
        if not DOC.search(u) and not DOCWORD.search(u) and len(u)<700:
            strata['negative'].append(item)
rng=random.Random(20261203)
order={}
for k in ['replaces','expires','repeals_part','amends','guides','negative']:
    L=sorted(strata[k]); rng.shuffle(L); order[k]=L
    print(k,len(L))
pickle.dump(order,open('/tmp/relations_gold_order.pkl','wb'))
