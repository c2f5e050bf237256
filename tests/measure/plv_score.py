# Scores dyad on ../shared/gold/plv-dev.jsonl, which `dyad eval` cannot read (no dates): type recall,
# recall of a gold source span, precision, F1, with the CAMEO -> PLOVER map of dict/plover.tsv.
# Run from the repository root: python3 tests/measure/plv_score.py target/release/dyad dict [OPT_IN]
import json, subprocess, sys, os
binary, d = sys.argv[1], sys.argv[2]
env = dict(os.environ)
if len(sys.argv) > 3: env['DYAD_OPT_IN'] = sys.argv[3]
recs = [json.loads(l) for l in open('../shared/gold/plv-dev.jsonl')]
with open('target/plv-in.jsonl', 'w') as f:
    for r in recs: f.write(json.dumps({'id': r['id'], 'text': r['text']}) + '\n')
pl = {}
for l in open('dict/plover.tsv'):
    if l.startswith('#') or l.startswith('code'): continue
    c = l.rstrip('\n').split('\t')
    if len(c) >= 2: pl[c[0]] = c[1]
def ptype(code):
    for n in range(len(code), 0, -1):
        if code[:n] in pl: return pl[code[:n]]
    return None
out = subprocess.run([binary, 'code', 'target/plv-in.jsonl', '--dict', d], capture_output=True, text=True, env=env).stdout
ev = {}
for l in out.splitlines():
    e = json.loads(l)
    if e.get('negated'): continue
    t = ptype(e['code'])
    if t: ev.setdefault(e['doc_id'], []).append((t, (e.get('source') or {}).get('text') or ''))
hit = shit = emitted = correct = 0
for r in recs:
    gold = {x['type'] for x in r['events']}
    es = ev.get(r['id'], [])
    emitted += len(es); correct += sum(1 for t, _ in es if t in gold)
    if any(t in gold for t, _ in es): hit += 1
    if any(t in gold and s and any(s in x['source_text'] or x['source_text'] in s for x in r['events'] if x['type'] == t) for t, s in es): shit += 1
n = len(recs); p = correct / emitted if emitted else 0; rc = hit / n
print(f'{binary} opt-in={env.get("DYAD_OPT_IN","")}: records {n} type_recall {rc:.3f} source_recall {shit/n:.3f} emitted {emitted} precision {p:.3f} F1 {2*p*rc/(p+rc):.3f}')
