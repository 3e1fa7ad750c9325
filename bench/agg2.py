# SCRATCH: aggregate restricted to a seed range
import json,sys,statistics as st,collections
lo,hi=int(sys.argv[2]),int(sys.argv[3])
ref=json.load(open('/work/shared/bench/results.json'))
best={}
for e in ref['results']:
  for c in ['25','50','100']:
    k=(e['function'],c); v=e['regret_at'][c]['median']; best[k]=min(best.get(k,1e99),v)
rows=collections.defaultdict(list)
for l in open(sys.argv[1]):
  d=json.loads(l)
  if 'r' in d and lo<=d['seed']<hi: rows[(d['fn'],d['s'])].append(d)
for (fn,s),rs in sorted(rows.items()):
  rat=[]
  for i,c in enumerate(['25','50','100']):
    vals=[r['r'][i] for r in rs if r['r'][i] is not None]
    rat.append('%.3f'%(st.median(vals)/best[(fn,c)]) if vals else '-')
  print('%-12s %-8s n=%2d %s'%(fn,s,len(rs),' '.join(rat)))
