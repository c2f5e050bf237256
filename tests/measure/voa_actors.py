# Share of capitalised name phrases in the VOA corpus that dyad recognises as actors, via `dyad explain`
# on each story at its date; writes every actor mention (with its dictionary entry) to OUT.json.
# Run from the repository root: python3 tests/measure/voa_actors.py target/release/dyad dict OUT.json
# (set DYAD_OPT_IN for opt-in imports). A phrase is a run of capitalised words, a lone first word of a
# sentence left out; it is recognised when it shares a word with an actor mention of its sentence.
import json, re, subprocess, sys, os, random
binary, d = sys.argv[1], sys.argv[2]
out_path = sys.argv[3]
env = dict(os.environ)
docs = [json.loads(l) for l in open('../shared/corpus/voa/voa_stories.jsonl')]
word = re.compile(r"[A-Z][\w'’.-]*")
total = hit = 0
mentions = []
for doc in docs:
    date = doc['published'][:10]
    ex = subprocess.run([binary, 'explain', doc['text'], '--date', date, '--dict', d], capture_output=True, text=True, env=env).stdout
    sent = None
    for line in ex.splitlines():
        m = re.match(r'sentence \d+ \[\d+\.\.\d+\]: (.*)', line)
        if m:
            sent = m.group(1); actors = []
            continue
        m = re.match(r'  actor `(.*)` -> (\S+|no code on this date) \((\w+)(?:, in a compound)?\) from (\S+) `(.*?)`', line)
        if m and sent is not None:
            mentions.append({'doc': doc['id'], 'date': date, 'sentence': sent, 'text': m.group(1), 'code': m.group(2), 'via': m.group(3), 'entry': m.group(4), 'name': m.group(5)})
    # capitalised phrases per sentence: runs of capitalised words, a lone first word of a sentence left out
    sents = {}
    for mm in mentions:
        if mm['doc'] == doc['id']:
            sents.setdefault(mm['sentence'], []).append(mm)
    for line in ex.splitlines():
        m = re.match(r'sentence \d+ \[\d+\.\.\d+\]: (.*)', line)
        if not m: continue
        s = m.group(1)
        toks = re.findall(r"[\w'’.-]+|[^\w\s]", s)
        runs = []; cur = []
        for i, t in enumerate(toks):
            if word.fullmatch(t) and not t.isupper() or (word.fullmatch(t) and len(t) > 1):
                cur.append((i, t))
            else:
                if cur: runs.append(cur); cur = []
        if cur: runs.append(cur)
        acts = [a['text'] for a in sents.get(s, []) if a['via'] != 'Pronoun']
        for r in runs:
            if len(r) == 1 and r[0][0] == 0: continue
            phrase = ' '.join(t for _, t in r)
            total += 1
            pw = set(t for _, t in r)
            if any(pw & set(re.findall(r"[\w'’.-]+", a)) for a in acts):
                hit += 1
print(f'{binary} {d}: {hit}/{total} capitalised phrases recognised = {hit/total:.3f}')
json.dump(mentions, open(out_path, 'w'))
