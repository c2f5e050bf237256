//! `dyad eval --coref`: how often the coder's pronouns, descriptions, surnames and speaker
//! pronouns take their code from a mention of the same entity, on gold coreference in CoNLL-U
//! (CorefUD `Entity=` brackets in MISC, as GUM writes them).

use super::ratio;
use crate::progress::Progress;
use dyad_coder::{Coder, MentionKind, ResolvedMention};
use dyad_core::{Document, Span};
use dyad_syntax::conllu;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// One bracket of an `Entity=` value: the entity id as written (`5`, `e5[1/2]`), and the
/// entity type where the bracket opens.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Bracket {
    /// `(ID-etype-...`: a mention of ID starts on this word.
    Open(String, String),
    /// `ID)`: the innermost open mention of ID ends on this word.
    Close(String),
    /// `(ID-etype-...)`: a one-word mention.
    Single(String, String),
}

/// Reads an `Entity=` value: `(1-abstract-new-...(3-person-...)`, `4)1)`, `(7-time-...)6)`.
fn parse_entity(value: &str) -> Result<Vec<Bracket>, String> {
    let bad = |why: &str| Err(format!("malformed Entity={value:?}: {why}"));
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('(') {
            let end = inner.find(['(', ')']).unwrap_or(inner.len());
            let mut fields = inner[..end].split('-');
            let key = fields.next().unwrap_or("").to_string();
            let etype = fields.next().unwrap_or("").to_string();
            if !valid_key(&key) {
                return bad("a mention without an entity id");
            }
            if inner[end..].starts_with(')') {
                out.push(Bracket::Single(key, etype));
                rest = &inner[end + 1..];
            } else {
                out.push(Bracket::Open(key, etype));
                rest = &inner[end..];
            }
        } else {
            let Some(end) = rest.find(')') else {
                return bad("text that neither opens nor closes a mention");
            };
            let key = &rest[..end];
            if !valid_key(key) {
                return bad("a closing bracket without an entity id");
            }
            out.push(Bracket::Close(key.to_string()));
            rest = &rest[end + 1..];
        }
    }
    if out.is_empty() {
        return bad("empty");
    }
    Ok(out)
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '[' | ']' | '/'))
}

/// The entity of a key: a discontinuous mention's part (`5[1/2]`) belongs to entity `5`.
fn entity_of(key: &str) -> &str {
    key.split('[').next().unwrap_or(key)
}

/// A treebank word with its place in the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    span: Span,
    /// Index of its sentence in the document.
    sentence: usize,
    form: String,
}

/// A gold mention: words `first..=last` of its document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Gold {
    entity: String,
    /// person, place, organization, abstract, ...
    etype: String,
    first: usize,
    last: usize,
}

/// A treebank document: the text dyad codes (the sentences' `# text` lines joined by a blank
/// line, so the segmenter keeps the treebank's sentence ends) and the gold mentions over it.
#[derive(Debug, Default)]
struct GoldDoc {
    id: String,
    date: Option<String>,
    text: String,
    sentences: Vec<Span>,
    words: Vec<Word>,
    mentions: Vec<Gold>,
}

impl GoldDoc {
    /// `GUM_news_iodine` -> `news`.
    fn genre(&self) -> &str {
        match self.id.split('_').collect::<Vec<_>>().as_slice() {
            ["GUM", genre, _, ..] => genre,
            _ => "other",
        }
    }

    /// The first word a byte span of the text overlaps.
    fn first_word(&self, span: Span) -> Option<usize> {
        let k = self.words.partition_point(|w| w.span.end <= span.start);
        (self.words.get(k)?.span.start < span.end).then_some(k)
    }

    /// The last word a byte span of the text overlaps.
    fn last_word(&self, span: Span) -> Option<usize> {
        let k = self
            .words
            .partition_point(|w| w.span.start < span.end)
            .checked_sub(1)?;
        (self.words[k].span.end > span.start).then_some(k)
    }

    fn text_of(&self, first: usize, last: usize) -> &str {
        Span::new(self.words[first].span.start, self.words[last].span.end).slice(&self.text)
    }
}

/// The byte range of each word in `text`, found in order: a multiword token's form is found
/// first, then its words inside it (all of it when they do not spell it out).
fn locate_words(s: &conllu::Sentence, text: &str) -> Result<Vec<Span>, (usize, String)> {
    let mut spans = Vec::with_capacity(s.words.len());
    let mut at = 0usize;
    let mut find = |form: &str, line: usize| -> Result<Span, (usize, String)> {
        at += text[at..].len() - text[at..].trim_start().len();
        if !text[at..].starts_with(form) {
            return Err((
                line,
                format!("{form:?} is not next in its sentence's # text"),
            ));
        }
        let span = Span::new(at as u32, (at + form.len()) as u32);
        at += form.len();
        Ok(span)
    };
    let mut k = 0;
    let mut multiwords = s.multiwords.iter().peekable();
    while k < s.words.len() {
        let line = s.word_lines.get(k).copied().unwrap_or(s.line);
        let Some(mw) = multiwords.next_if(|m| m.first as usize == k + 1) else {
            spans.push(find(&s.words[k].form, line)?);
            k += 1;
            continue;
        };
        let whole = find(&mw.form, line)?;
        let last = (mw.last as usize).min(s.words.len());
        let surface = whole.slice(text);
        let mut parts = Vec::new();
        let mut inner = 0usize;
        for w in &s.words[k..last] {
            if !surface[inner..].starts_with(w.form.as_str()) {
                break;
            }
            let start = whole.start + inner as u32;
            parts.push(Span::new(start, start + w.form.len() as u32));
            inner += w.form.len();
        }
        if parts.len() != last - k || inner != surface.len() {
            parts = vec![whole; last - k];
        }
        spans.extend(parts);
        k = last;
    }
    Ok(spans)
}

/// Reads the documents of a CoNLL-U file with their gold mentions. Errors name file and line.
fn read_docs(path: &Path) -> anyhow::Result<Vec<GoldDoc>> {
    let name = path.display().to_string();
    let sentences = conllu::read_file(path)?;
    let mut docs: Vec<GoldDoc> = Vec::new();
    // Mentions open in the current document: key, entity type, first word, line.
    let mut open: Vec<(String, String, usize, usize)> = Vec::new();
    let unclosed = |open: &[(String, String, usize, usize)]| match open.first() {
        Some((key, _, _, line)) => Err(anyhow::anyhow!(
            "{name}:{line}: the mention of entity {key} opened here is never closed in its document"
        )),
        None => Ok(()),
    };
    for s in &sentences {
        let newdoc = s.comments.iter().find_map(|c| {
            let c = c.strip_prefix("# newdoc")?;
            Some(
                c.split_once('=')
                    .map_or("", |(_, id)| id.trim())
                    .to_string(),
            )
        });
        if newdoc.is_some() || docs.is_empty() {
            unclosed(&open)?;
            let id = newdoc.filter(|id| !id.is_empty()).unwrap_or_else(|| {
                let stem = path.file_stem().map(|f| f.to_string_lossy().into_owned());
                format!("{}-{}", stem.unwrap_or_default(), docs.len() + 1)
            });
            docs.push(GoldDoc {
                id,
                ..Default::default()
            });
        }
        let Some(doc) = docs.last_mut() else {
            continue;
        };
        if doc.date.is_none() {
            doc.date = s.comments.iter().find_map(|c| {
                let d = c.strip_prefix("# meta::dateCreated = ")?;
                Some(d.trim().to_string())
            });
        }
        let Some(text) = s.text() else {
            anyhow::bail!("{name}:{}: a sentence without a # text line", s.line);
        };
        if !doc.text.is_empty() {
            doc.text.push_str("\n\n");
        }
        let offset = doc.text.len() as u32;
        doc.text.push_str(text);
        doc.sentences
            .push(Span::new(offset, offset + text.len() as u32));
        let spans =
            locate_words(s, text).map_err(|(line, why)| anyhow::anyhow!("{name}:{line}: {why}"))?;
        for (k, (w, span)) in s.words.iter().zip(spans).enumerate() {
            let index = doc.words.len();
            doc.words.push(Word {
                span: Span::new(offset + span.start, offset + span.end),
                sentence: doc.sentences.len() - 1,
                form: w.form.clone(),
            });
            let Some(value) = w.misc.split('|').find_map(|m| m.strip_prefix("Entity=")) else {
                continue;
            };
            let line = s.word_lines.get(k).copied().unwrap_or(s.line);
            let brackets =
                parse_entity(value).map_err(|why| anyhow::anyhow!("{name}:{line}: {why}"))?;
            for b in brackets {
                let (key, etype, first) = match b {
                    Bracket::Open(key, etype) => {
                        open.push((key, etype, index, line));
                        continue;
                    }
                    Bracket::Single(key, etype) => (key, etype, index),
                    Bracket::Close(key) => {
                        let Some(at) = open.iter().rposition(|o| o.0 == key) else {
                            anyhow::bail!(
                                "{name}:{line}: closes a mention of entity {key} that is not open"
                            );
                        };
                        let (key, etype, first, _) = open.remove(at);
                        (key, etype, first)
                    }
                };
                doc.mentions.push(Gold {
                    entity: entity_of(&key).to_string(),
                    etype,
                    first,
                    last: index,
                });
            }
        }
    }
    unclosed(&open)?;
    Ok(docs)
}

/// Third-person personal and possessive pronouns, for recall.
const THIRD_PERSON: [&str; 10] = [
    "he", "him", "his", "she", "her", "it", "its", "they", "them", "their",
];

/// The rows of the table: the coder's kinds of anaphor.
const KINDS: [MentionKind; 4] = [
    MentionKind::Pronoun,
    MentionKind::Description,
    MentionKind::Surname,
    MentionKind::Speaker,
];

#[derive(Default, Clone, Copy)]
struct Tally {
    anaphors: usize,
    correct: usize,
    /// Right by the stricter reading too (see [`score`]).
    strict: usize,
    unannotated: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.anaphors += o.anaphors;
        self.correct += o.correct;
        self.strict += o.strict;
        self.unannotated += o.unannotated;
    }
}

#[derive(Default)]
struct Scores {
    kinds: [Tally; KINDS.len()],
    /// Third-person pronouns in the text.
    pronouns: usize,
    /// Of them, those whose entity has an earlier mention dyad coded.
    resolvable: usize,
    /// Of those, the ones dyad resolved at all, rightly, and rightly by the stricter reading.
    resolved: usize,
    right: usize,
    right_strict: usize,
}

impl Scores {
    fn add(&mut self, o: &Scores) {
        for (a, b) in self.kinds.iter_mut().zip(&o.kinds) {
            a.add(b);
        }
        self.pronouns += o.pronouns;
        self.resolvable += o.resolvable;
        self.resolved += o.resolved;
        self.right += o.right;
        self.right_strict += o.right_strict;
    }
}

/// One anaphor: a mention with its antecedents (two for "their" read as two people).
struct Anaphor<'a> {
    m: &'a ResolvedMention,
    antecedents: Vec<Span>,
}

/// How an anaphor was judged, by the anaphor's last word.
#[derive(Clone, Copy, Default)]
struct Judged {
    resolved: bool,
    right: bool,
    strict: bool,
}

/// Scores one document; appends its wrong resolutions to `misses`.
///
/// An anaphor is right if one gold entity has a mention over the anaphor's last word and one over
/// its antecedent's last word. Nested mentions make that lenient: "he" resolved to "University"
/// counts as right where GUM marks "a student at the University" as a mention of him. The
/// stricter reading gives each span the entity of the shortest gold mention around all of it
/// (else around its last word) and asks for the same entity on both sides.
fn score(doc: &GoldDoc, found: &[ResolvedMention], misses: &mut Vec<String>) -> Scores {
    let mut covering: Vec<Vec<usize>> = vec![Vec::new(); doc.words.len()];
    for (i, m) in doc.mentions.iter().enumerate() {
        for c in &mut covering[m.first..=m.last] {
            c.push(i);
        }
    }
    let corefer = |a: usize, b: usize| {
        covering[a].iter().any(|&m| {
            covering[b]
                .iter()
                .any(|&n| doc.mentions[m].entity == doc.mentions[n].entity)
        })
    };
    let own_mention = |span: Span| -> Option<&Gold> {
        let (first, last) = (doc.first_word(span)?, doc.last_word(span)?);
        let around = |from: usize| {
            covering[last]
                .iter()
                .map(|&m| &doc.mentions[m])
                .filter(move |m| m.first <= from)
                .min_by_key(|m| m.last - m.first)
        };
        around(first).or_else(|| around(last))
    };
    let same_entity = |a: Span, b: Span| {
        own_mention(a)
            .zip(own_mention(b))
            .is_some_and(|(x, y)| x.entity == y.entity)
    };
    // Words that end a mention dyad coded by itself (not a pronoun): what a pronoun can take.
    let mut coded = vec![false; doc.words.len()];
    for m in found.iter().filter(|m| {
        m.code.is_some() && !matches!(m.kind, MentionKind::Pronoun | MentionKind::Speaker)
    }) {
        if let Some(w) = doc.last_word(m.span) {
            coded[w] = true;
        }
    }
    // Whether `entity` has a mention before word `w` over the end of a mention dyad coded.
    let coded_before = |entity: &str, w: usize| {
        doc.mentions
            .iter()
            .any(|e| e.entity == entity && e.last < w && coded[e.first..=e.last].contains(&true))
    };
    let mut anaphors: Vec<Anaphor> = Vec::new();
    for m in found {
        let Some(a) = m.antecedent else { continue };
        match anaphors.last_mut() {
            Some(last) if last.m.span == m.span => last.antecedents.push(a),
            _ => anaphors.push(Anaphor {
                m,
                antecedents: vec![a],
            }),
        }
    }
    let mut s = Scores::default();
    let mut judged = vec![Judged::default(); doc.words.len()];
    for an in &anaphors {
        let Some(row) = KINDS.iter().position(|&k| k == an.m.kind) else {
            continue;
        };
        let Some(a) = doc.last_word(an.m.span) else {
            continue;
        };
        let t = &mut s.kinds[row];
        t.anaphors += 1;
        if covering[a].is_empty() {
            t.unannotated += 1;
            continue;
        }
        // A pair ("their": Trump and Putin) is right only if both are.
        let right = an
            .antecedents
            .iter()
            .all(|&sp| doc.last_word(sp).is_some_and(|b| corefer(a, b)));
        let strict = an.antecedents.iter().all(|&sp| same_entity(an.m.span, sp));
        t.correct += usize::from(right);
        t.strict += usize::from(strict);
        let j = &mut judged[a];
        *j = Judged {
            resolved: true,
            right: j.right || right,
            strict: j.strict || strict,
        };
        if !strict {
            let own = own_mention(an.m.span);
            let could = own.is_some_and(|o| coded_before(&o.entity, o.first));
            misses.push(miss(doc, an, own, could, right));
        }
    }
    for (w, word) in doc.words.iter().enumerate() {
        if !THIRD_PERSON.contains(&word.form.to_lowercase().as_str()) {
            continue;
        }
        s.pronouns += 1;
        let resolvable = covering[w]
            .iter()
            .map(|&m| &doc.mentions[m])
            .filter(|m| m.first == w && m.last == w)
            .any(|own| coded_before(&own.entity, w));
        if resolvable {
            let j = judged[w];
            s.resolvable += 1;
            s.resolved += usize::from(j.resolved);
            s.right += usize::from(j.right);
            s.right_strict += usize::from(j.strict);
        }
    }
    s
}

/// A wrong resolution as `--misses` lists it: the sentence, the anaphor, what dyad chose, the
/// type and nearest earlier mentions of the anaphor's gold entity (`own`), whether dyad had coded
/// one of those (`could`), and whether only the lenient reading counts it right.
fn miss(doc: &GoldDoc, an: &Anaphor, own: Option<&Gold>, could: bool, lenient: bool) -> String {
    let sentence = doc.last_word(an.m.span).map_or("", |a| {
        doc.sentences[doc.words[a].sentence].slice(&doc.text)
    });
    let chose: Vec<String> = an
        .antecedents
        .iter()
        .map(|sp| format!("`{}`", sp.slice(&doc.text)))
        .collect();
    let mut gold = String::new();
    if let Some(own) = own {
        let mut before: Vec<&Gold> = doc
            .mentions
            .iter()
            .filter(|m| m.entity == own.entity && m.last < own.first)
            .collect();
        before.sort_by_key(|m| std::cmp::Reverse(m.last));
        let texts: Vec<String> = before
            .iter()
            .take(2)
            .map(|m| format!("`{}`", doc.text_of(m.first, m.last)))
            .collect();
        gold = match texts.is_empty() {
            true => format!("{}, no earlier mention", own.etype),
            false if could => format!("{} {}", own.etype, texts.join(", ")),
            false => format!("{} {} (none coded)", own.etype, texts.join(", ")),
        };
    }
    format!(
        "{}: {}\n    `{}` ({}) -> {} {}; gold: {}{}",
        doc.id,
        sentence,
        an.m.span.slice(&doc.text),
        an.m.kind.as_str(),
        chose.join(" + "),
        an.m.code.as_deref().unwrap_or("-"),
        gold,
        if lenient {
            " [right only by the lenient reading]"
        } else {
            ""
        }
    )
}

pub fn eval(path: &Path, coder: &Coder, misses: bool, quiet: bool) -> anyhow::Result<()> {
    let docs = read_docs(path)?;
    let total: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let read = Arc::new(AtomicU64::new(0));
    let mut progress = Progress::new(quiet, read.clone(), Some(total));
    let mut by_genre: BTreeMap<String, Scores> = BTreeMap::new();
    let mut wrong = Vec::new();
    for d in &docs {
        let doc = Document {
            id: d.id.clone(),
            text: d.text.clone(),
            published: d.date.clone(),
            ..Default::default()
        };
        let found = coder.mentions(&doc, None);
        let s = score(d, &found, &mut wrong);
        by_genre.entry(d.genre().to_string()).or_default().add(&s);
        read.fetch_add(d.text.len() as u64, Ordering::Relaxed);
        progress.add(1, d.text.len() as u64);
    }
    progress.finish();
    let mut all = Scores::default();
    for s in by_genre.values() {
        all.add(s);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} documents, {} sentences, {} words, {} gold mentions",
        path.display(),
        docs.len(),
        docs.iter().map(|d| d.sentences.len()).sum::<usize>(),
        docs.iter().map(|d| d.words.len()).sum::<usize>(),
        docs.iter().map(|d| d.mentions.len()).sum::<usize>()
    )?;
    writeln!(
        out,
        "\nresolutions: correct if one gold entity has mentions over the last words of the anaphor and\n\
         of its antecedent; strict if the shortest gold mentions around each are of one entity;\n\
         precision = correct / (anaphors - not_annotated)\n\
         {:<10} {:<12} {:>8} {:>8} {:>14} {:>10} {:>7} {:>8}",
        "genre", "kind", "anaphors", "correct", "not_annotated", "precision", "strict", "strict_p"
    )?;
    let genres =
        std::iter::once(("ALL", &all)).chain(by_genre.iter().map(|(g, s)| (g.as_str(), s)));
    for (genre, s) in genres.clone() {
        let mut sum = Tally::default();
        let rows = KINDS.iter().map(|k| k.as_str()).zip(&s.kinds);
        for (kind, t) in rows {
            sum.add(t);
            tally_row(&mut out, genre, kind, t)?;
        }
        tally_row(&mut out, genre, "ALL", &sum)?;
    }
    writeln!(
        out,
        "\nthird-person pronouns ({}): resolvable if their gold entity has an earlier\n\
         mention over the last word of a mention dyad coded; recall = right / resolvable\n\
         {:<10} {:>8} {:>10} {:>8} {:>6} {:>7} {:>7} {:>8}",
        THIRD_PERSON.join(" "),
        "genre",
        "pronouns",
        "resolvable",
        "resolved",
        "right",
        "recall",
        "strict",
        "strict_r"
    )?;
    for (genre, s) in genres {
        writeln!(
            out,
            "{:<10} {:>8} {:>10} {:>8} {:>6} {:>7.3} {:>7} {:>8.3}",
            genre,
            s.pronouns,
            s.resolvable,
            s.resolved,
            s.right,
            ratio(s.right, s.resolvable),
            s.right_strict,
            ratio(s.right_strict, s.resolvable)
        )?;
    }
    if misses {
        writeln!(
            out,
            "\nwrong resolutions, by the strict reading ({}):",
            wrong.len()
        )?;
        for m in &wrong {
            writeln!(out, "{m}")?;
        }
    }
    Ok(())
}

fn tally_row(out: &mut impl Write, genre: &str, kind: &str, t: &Tally) -> std::io::Result<()> {
    let judged = t.anaphors - t.unannotated;
    writeln!(
        out,
        "{:<10} {:<12} {:>8} {:>8} {:>14} {:>10.3} {:>7} {:>8.3}",
        genre,
        kind,
        t.anaphors,
        t.correct,
        t.unannotated,
        ratio(t.correct, judged),
        t.strict,
        ratio(t.strict, judged)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Bracket::{Close, Open, Single};

    #[test]
    fn entity_brackets_stacked_nested_single_and_multiword() {
        let k = |s: &str| s.to_string();
        let cases = [
            (
                "(1-person-new-sssss-cf1-1-coref)",
                vec![Single(k("1"), k("person"))],
            ),
            (
                "(2-abstract-new-nnnns-cf2-2-sgl",
                vec![Open(k("2"), k("abstract"))],
            ),
            ("2)", vec![Close(k("2"))]),
            // Stacked: a multiword mention opens and a one-word mention nests in it.
            (
                "(1-abstract-giv:act-snnns-cf2*-4,6,7-coref(3-person-giv:act-sssss-cf1-1-ana-Ada_Lovelace)",
                vec![Open(k("1"), k("abstract")), Single(k("3"), k("person"))],
            ),
            (
                "(7-time-new-nnnnn-cf8-1-sgl)6)4)",
                vec![Single(k("7"), k("time")), Close(k("6")), Close(k("4"))],
            ),
            ("(e5[1/2]-place-new)", vec![Single(k("e5[1/2]"), k("place"))]),
        ];
        for (value, want) in cases {
            assert_eq!(parse_entity(value).unwrap(), want, "{value}");
        }
        assert_eq!(entity_of("e5[1/2]"), "e5");
    }

    #[test]
    fn malformed_entity_values_are_refused() {
        for value in ["", "(", "()", "(-person-new)", "12", ")", "3)x"] {
            assert!(parse_entity(value).is_err(), "{value:?} accepted");
        }
    }

    /// A one-sentence CoNLL-U file read back: `# text` on line 1, then (id, form) rows.
    fn sentence(text: &str, rows: &[(&str, &str)]) -> conllu::Sentence {
        let lines: Vec<String> = rows
            .iter()
            .map(|(id, form)| {
                let (head, rel) = if *id == "1" {
                    ("0", "root")
                } else {
                    ("1", "dep")
                };
                format!("{id}\t{form}\t_\tX\t_\t_\t{head}\t{rel}\t_\t_")
            })
            .collect();
        let src = format!("# text = {text}\n{}\n\n", lines.join("\n"));
        conllu::read(std::io::Cursor::new(src), "t.conllu")
            .unwrap()
            .remove(0)
    }

    #[test]
    fn words_map_to_their_bytes_and_spans_to_their_last_word() {
        let text = "She won't sign Ann's letter.";
        let s = sentence(
            text,
            &[
                ("1", "She"),
                ("2-3", "won't"),
                ("2", "wo"),
                ("3", "n't"),
                ("4", "sign"),
                ("5-6", "Ann's"),
                // Words that do not spell out their token: each takes all of it.
                ("5", "Anne"),
                ("6", "'s"),
                ("7", "letter"),
                ("8", "."),
            ],
        );
        let spans = locate_words(&s, text).unwrap();
        let got: Vec<&str> = spans.iter().map(|sp| sp.slice(text)).collect();
        assert_eq!(
            got,
            ["She", "wo", "n't", "sign", "Ann's", "Ann's", "letter", "."]
        );
        let doc = GoldDoc {
            text: text.into(),
            words: spans
                .iter()
                .map(|&span| Word {
                    span,
                    sentence: 0,
                    form: String::new(),
                })
                .collect(),
            ..Default::default()
        };
        // dyad's "won't" spans "wo" and "n't"; "Ann" lies inside a multiword token; "She won't
        // sign" ends on "sign"; the space after "She" is no word.
        assert_eq!(doc.last_word(Span::new(4, 9)), Some(2));
        assert_eq!(doc.last_word(Span::new(15, 18)), Some(5));
        assert_eq!(doc.last_word(Span::new(0, 14)), Some(3));
        assert_eq!(doc.last_word(Span::new(3, 4)), None);
        assert_eq!(doc.first_word(Span::new(4, 9)), Some(1));
        assert_eq!(doc.first_word(Span::new(15, 18)), Some(4));
        assert_eq!(doc.first_word(Span::new(3, 4)), None);
    }

    #[test]
    fn a_form_missing_from_the_text_names_its_line() {
        let mut s = sentence("She wins", &[("1", "She"), ("2", "wins")]);
        s.words[1].form = "loses".into();
        let (line, why) = locate_words(&s, "She wins").unwrap_err();
        assert_eq!(line, 3);
        assert!(why.contains("loses"), "{why}");
    }
}
