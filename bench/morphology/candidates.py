import collections
import random
import sys

sys.path.insert(0,'.'); sys.path.insert(0,'bench/relevance')
from systems import body_of, load_articles

from search_index.persian import ZWNJ
from search_index.query_terms import word_spans

arts=load_articles()
df=collections.Counter()
for a in arts:
    ws={w.replace(ZWNJ,'') for w,_,_ in word_spans(a['title']+"\n"+body_of(a))}
    df.update(ws)
SUF=["هایشان","هایش","هایی","های","ها","ترین","تر","گان","یان","ان","ات"]
pairs={}
for w,n in df.items():
    if not w.isalpha() or w.isascii(): continue
    for s in SUF:
        if w.endswith(s) and len(w)-len(s)>=2:
            p=w[:-len(s)]
            if s=="گان": p=p+"ه"
            if s=="یان" and not p.endswith(("ا","و")): continue
            if p in df and df[p]>=2 and n>=2:
                pairs[(p,w)]=s
            break
by=collections.defaultdict(list)
for (p,w),s in pairs.items(): by[s].append((p,w))
random.seed(10)
out=[]
for s,L in by.items():
    L.sort()
    k={"ها":40,"های":40,"ان":70,"ات":30,"تر":30,"ترین":20}.get(s,15)
    out+= [(p,w,s) for p,w in random.sample(L,min(k,len(L)))]
print(len(pairs), {s:len(L) for s,L in by.items()})
for p,w,s in out: print(f"{p}\t{w}\t{s}")
