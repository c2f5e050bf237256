//! The coding engine: a [`Document`] in, CAMEO [`Event`]s with provenance out.
//!
//! Per sentence: tokens -> word ids -> actor mentions (names, titles, compounds, pronouns) ->
//! reported-speech regions -> verb pattern hits -> events. The document carries a discourse
//! memory for pronouns and descriptions. No pattern, no event: there is no fallback code.

mod code;
mod dates;
mod mentions;
mod patterns;
mod places;
mod speech;
pub mod tree;

pub use code::Code;
pub use mentions::{MentionKind, ResolvedMention};

use chrono::NaiveDate;
use dyad_core::{ActorMention, Document, Event, Span, TokenKind, Tokens, VerbMatch};
use dyad_dict::{ActorKind, Dictionary, Mode, Section};
use mentions::{Discourse, Mention, Via};
use patterns::Modal;
use std::fmt::Write;

/// One sentence being coded: views into the document text and its tokens.
pub(crate) struct Sentence<'a> {
    pub text: &'a str,
    pub tokens: &'a Tokens,
    pub ids: &'a [u32],
}

impl Sentence<'_> {
    pub fn original(&self, t: usize) -> &str {
        self.tokens.tokens[t].span.slice(self.text)
    }
    pub fn norm(&self, t: usize) -> &str {
        if t < self.tokens.len() {
            self.tokens.norm(t)
        } else {
            ""
        }
    }
    pub fn kind(&self, t: usize) -> TokenKind {
        self.tokens.tokens[t].kind
    }
    pub fn capitalized(&self, t: usize) -> bool {
        self.tokens.tokens[t].capitalized
    }
    pub fn is_punct(&self, t: usize) -> bool {
        self.kind(t) == TokenKind::Punct
    }
    /// The tokens `[start, end)` inside a document span, if any.
    pub fn tokens_within(&self, span: Span) -> Option<(usize, usize)> {
        let t = &self.tokens.tokens;
        let start = t.iter().position(|x| x.span.start >= span.start)?;
        let end = t[start..]
            .iter()
            .position(|x| x.span.end > span.end)
            .map_or(t.len(), |n| start + n);
        (end > start).then_some((start, end))
    }
    /// Document span of tokens `[start, end)`.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let t = &self.tokens.tokens;
        Span::new(t[start].span.start, t[end.max(start + 1) - 1].span.end)
    }
}

/// What an event of one sentence is built from.
#[derive(Clone, Copy)]
struct Context<'a> {
    doc: &'a Document,
    index: u32,
    sent: dyad_core::Sentence,
    s: &'a Sentence<'a>,
    ms: &'a [Mention],
    regions: &'a [speech::Region],
    date: &'a Option<String>,
    main_country: Option<&'a str>,
    tree: &'a tree::Tree,
    /// The document's events so far, for "condemned the attack".
    earlier: &'a [Event],
}

/// CAMEO roles that act within their own country (police, courts, legislatures, governments,
/// and the rebels, opposition and parties that face them).
const DOMESTIC_ROLES: [&str; 7] = ["COP", "JUD", "LEG", "GOV", "REB", "OPP", "PTY"];

/// Reusable buffers, one per worker thread.
#[derive(Default)]
pub struct Scratch {
    sentences: Vec<dyad_core::Sentence>,
    tokens: Tokens,
    ids: Vec<u32>,
    mentions: Vec<Mention>,
    regions: Vec<speech::Region>,
    vetoed: Vec<bool>,
    pids: Vec<u32>,
    words: dyad_syntax::words::UdWords,
    workspace: dyad_syntax::model::Workspace,
    parse: dyad_syntax::Parse,
    collapsed: dyad_syntax::Parse,
    tree: tree::Tree,
    /// Sentences coded and sentences parsed so far with this scratch.
    seen: u64,
    parsed: u64,
}

impl Scratch {
    /// The sentences of the document coded last.
    pub fn sentences(&self) -> &[dyad_core::Sentence] {
        &self.sentences
    }

    /// Sentences coded and, of them, parsed (those with an actor and a pattern's words) since
    /// this scratch was made.
    pub fn parse_share(&self) -> (u64, u64) {
        (self.seen, self.parsed)
    }
}

/// The most actor pairs one pattern's match yields.
const MAX_PAIRS: usize = 256;

/// A code of role units only ("GOV", "OPPMED"): a role that has no country of its own.
fn roles_only(dict: &Dictionary, code: &str) -> bool {
    !code.is_empty()
        && code.len().is_multiple_of(3)
        && (0..code.len() / 3).all(|i| dict.actor_types.contains(&code[i * 3..i * 3 + 3]))
}

/// The word the parser reads for a named actor: a name it knows well from its treebanks.
const NAME: &str = "Smith";

/// The token after a news dateline that opens the sentence ("TIRANA, Albania (AP) --",
/// "NEW DELHI -", "KABUL (Pajhwok) :"), or 0: capitalised words, commas, parentheses and
/// numbers up to a dash or colon within the first twelve tokens.
fn dateline_end(s: &Sentence) -> usize {
    let n = s.ids.len().min(12);
    for k in 1..n {
        let w = s.norm(k);
        if s.is_punct(k) && matches!(w, "-" | "--" | "—" | "–" | ":") {
            return if k + 1 < s.ids.len() { k + 1 } else { 0 };
        }
        let fits = s.kind(k) == TokenKind::Number
            || s.capitalized(k)
            || matches!(w, "," | "(" | ")" | ".");
        if !fits {
            return 0;
        }
    }
    0
}

/// `YYYY-MM-DD` (or an ISO timestamp starting with it) as a date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn date_number(d: NaiveDate) -> u32 {
    use chrono::Datelike;
    d.year() as u32 * 10000 + d.month() * 100 + d.day()
}

pub struct Coder<'d> {
    dict: &'d Dictionary,
    syntax: &'d dyad_syntax::Model,
    /// The gazetteer and tone lexicon; without them events carry no place and no tone.
    geo: Option<&'d dyad_geo::Geo>,
    relations: Vec<tree::Rel>,
    /// The label id of `flat`, for the tokens of a name read as one word.
    flat: u8,
    /// The label id of `dep`, for a dateline's tokens.
    dep: u8,
}

/// Coding was stopped at its deadline (checked before each sentence); nothing was returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePassed;

impl std::fmt::Display for DeadlinePassed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("coding stopped at its deadline")
    }
}

impl std::error::Error for DeadlinePassed {}

impl<'d> Coder<'d> {
    pub fn new(dict: &'d Dictionary, syntax: &'d dyad_syntax::Model) -> Self {
        Coder {
            dict,
            syntax,
            geo: None,
            relations: tree::relations(syntax),
            flat: syntax.label_id("flat").unwrap_or(0),
            dep: syntax.label_id("dep").unwrap_or(0),
        }
    }

    pub fn dict(&self) -> &Dictionary {
        self.dict
    }

    /// Places events with the gazetteer and gives them their document's tone.
    pub fn with_geo(mut self, geo: &'d dyad_geo::Geo) -> Self {
        self.geo = Some(geo);
        self
    }

    /// Parses a sentence with each multiword name read as one word, its last ("Kenya's Interior
    /// Minister Kithure Kindiki has met ..." as "Kindiki has met ..."): the parser was
    /// trained on few long names, and the dictionary has already found them. The parse is
    /// written back over the sentence's tokens into `out`: a name's other tokens hang from its
    /// last by `flat`.
    fn parse(
        &self,
        s: &Sentence,
        ms: &[Mention],
        words: &mut dyad_syntax::words::UdWords,
        workspace: &mut dyad_syntax::model::Workspace,
        parse: &mut dyad_syntax::Parse,
        out: &mut dyad_syntax::Parse,
    ) {
        let n = s.ids.len();
        // The last token of the actor each token is inside: names, and roles of two or more
        // tokens ("Russian troops").
        let mut name_end: Vec<u32> = vec![u32::MAX; n];
        let mut proper: Vec<bool> = vec![false; n];
        for m in ms
            .iter()
            .filter(|m| m.via == Via::Name || m.end - m.start > 1 && m.via != Via::Pronoun)
        {
            if (m.start..m.end).all(|k| name_end[k] == u32::MAX) {
                name_end[m.start..m.end].fill(m.end as u32 - 1);
                proper[m.end - 1] = m.via == Via::Name && s.capitalized(m.end - 1);
            }
        }
        let from = dateline_end(s);
        dyad_syntax::words::ud_words(s.text, &s.tokens.tokens, words);
        // A dateline's words and a name's pieces are left out; a name's last token stands whole.
        let mut forms: Vec<&str> = Vec::with_capacity(words.spans.len());
        let mut kept = 0;
        for k in 0..words.token.len() {
            let t = words.token[k] as usize;
            let form = match name_end[t] {
                _ if t < from => None,
                u32::MAX => Some(words.spans[k].slice(s.text)),
                // A proper name is read as a common one ("Kessely" is no adverb).
                last if last as usize == t
                    && (kept == 0 || words.token[kept - 1] as usize != t) =>
                {
                    Some(if proper[t] { NAME } else { s.original(t) })
                }
                _ => None,
            };
            if let Some(f) = form {
                forms.push(f);
                words.spans[kept] = words.spans[k];
                words.token[kept] = words.token[k];
                kept += 1;
            }
        }
        words.spans.truncate(kept);
        words.token.truncate(kept);
        self.syntax.parse_with(&forms, workspace, parse);
        dyad_syntax::words::collapse(words, parse, n, out);
        // The dateline stands apart; a name's other tokens hang from its last by `flat`.
        for (t, &end_of_name) in name_end.iter().enumerate() {
            if t < from {
                out.deprel[t] = self.dep;
            } else if end_of_name != u32::MAX && end_of_name as usize != t {
                out.upos[t] = dyad_syntax::Upos::PROPN;
                out.head[t] = end_of_name + 1;
                out.deprel[t] = self.flat;
            }
        }
    }

    /// Codes a document. `date` overrides the document's own publication date.
    pub fn code(
        &self,
        doc: &Document,
        date: Option<NaiveDate>,
        scratch: &mut Scratch,
    ) -> Vec<Event> {
        // No deadline: never stopped.
        self.run(doc, date, scratch, None, None, None)
            .unwrap_or_default()
    }

    /// Codes a document unless `deadline` passes first: it is checked before each sentence, so
    /// a caller that gave up (a server's time limit) also stops the work.
    pub fn code_until(
        &self,
        doc: &Document,
        date: Option<NaiveDate>,
        scratch: &mut Scratch,
        deadline: std::time::Instant,
    ) -> Result<Vec<Event>, DeadlinePassed> {
        self.run(doc, date, scratch, None, Some(deadline), None)
    }

    /// Codes `text` as a one-document input and returns a human-readable trace of every step.
    pub fn explain(&self, text: &str, date: Option<NaiveDate>) -> (Vec<Event>, String) {
        let doc = Document {
            id: "explain".into(),
            text: text.to_string(),
            ..Default::default()
        };
        let mut trace = String::new();
        let events = self
            .run(
                &doc,
                date,
                &mut Scratch::default(),
                Some(&mut trace),
                None,
                None,
            )
            .unwrap_or_default();
        (events, trace)
    }

    /// The actor mentions of a document as coding resolves them, in text order per sentence:
    /// names, roles, and what each pronoun, description, surname and speaker pronoun took its
    /// code from. Coding itself is unchanged.
    pub fn mentions(&self, doc: &Document, date: Option<NaiveDate>) -> Vec<ResolvedMention> {
        let mut found = Vec::new();
        let _ = self.run(
            doc,
            date,
            &mut Scratch::default(),
            None,
            None,
            Some(&mut found),
        );
        found
    }

    /// Codes `doc`; `found`, when given, collects every mention as resolved.
    fn run(
        &self,
        doc: &Document,
        date: Option<NaiveDate>,
        sc: &mut Scratch,
        mut trace: Option<&mut String>,
        deadline: Option<std::time::Instant>,
        mut found: Option<&mut Vec<ResolvedMention>>,
    ) -> Result<Vec<Event>, DeadlinePassed> {
        let dict = self.dict;
        let doc_date = date.or_else(|| doc.published_date().and_then(parse_date));
        let role_date = doc_date.map(date_number);
        let mut discourse = Discourse::default();
        let mut events: Vec<Event> = Vec::new();
        let mut merged = Merged::default();
        let mut doc_places = DocPlaces::default();
        let mut phrases: Vec<places::PlacePhrase> = Vec::new();
        sc.sentences.clear();
        dyad_text::segment(&doc.text, &mut sc.sentences);
        for si in 0..sc.sentences.len() {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(DeadlinePassed);
            }
            let sent = sc.sentences[si];
            sc.seen += 1;
            sc.tokens.clear();
            dyad_text::tokenize(&doc.text, sent.span, &mut sc.tokens);
            sc.ids.clear();
            for i in 0..sc.tokens.len() {
                sc.ids.push(dict.vocab.get(sc.tokens.norm(i)));
            }
            let s = Sentence {
                text: &doc.text,
                tokens: &sc.tokens,
                ids: &sc.ids,
            };
            // The first sentence's dateline ("KABUL, Afghanistan —") stands apart: where the
            // document's events happened, unless a sentence says otherwise.
            let dateline_to = if si == 0 { dateline_end(&s) } else { 0 };
            if let Some(g) = self.geo.map(|g| &g.places).filter(|_| si == 0) {
                doc_places.dateline = places::dateline(g, &s, dateline_to)
                    .and_then(|p| places::resolve(g, &s, &p, &[], None, "dateline"));
            }
            if let Some(t) = trace.as_deref_mut() {
                let _ = writeln!(
                    t,
                    "sentence {} [{}..{}]: {}",
                    si,
                    sent.span.start,
                    sent.span.end,
                    sent.span.slice(&doc.text)
                );
                let _ = write!(t, "  tokens:");
                for i in 0..s.ids.len() {
                    let _ = write!(t, " {}", s.norm(i));
                }
                let _ = writeln!(t);
            }
            // Discards.
            sc.vetoed.clear();
            sc.vetoed.resize(s.ids.len(), false);
            let mut sentence_veto = None;
            for i in 0..s.ids.len() {
                for (d, len) in dict.verbs.discards_at(s.ids, i) {
                    let d = &dict.verbs.discards[d as usize];
                    if d.sentence {
                        sentence_veto = Some(d);
                    }
                    sc.vetoed[i..i + len].iter_mut().for_each(|v| *v = true);
                }
            }
            mentions::find(dict, &s, role_date, &mut discourse, &mut sc.mentions);
            if let Some(f) = found.as_deref_mut() {
                mentions::report(&s, si as u32, &sc.mentions, false, f);
            }
            // A question reports no event ("Where are the killed journalists?").
            let question = s.ids.len() > 1
                && (0..s.ids.len())
                    .rev()
                    .find(|&k| s.norm(k) != "\"")
                    .is_some_and(|k| s.norm(k) == "?");
            if question {
                if let Some(t) = trace.as_deref_mut() {
                    let _ = writeln!(t, "  a question: not coded");
                }
                continue;
            }
            if let Some(t) = trace.as_deref_mut() {
                for m in &sc.mentions {
                    let e = dict.actors.entry(m.entry);
                    let _ = writeln!(
                        t,
                        "  actor `{}` -> {} ({:?}{}) from {} `{}`{}{}",
                        s.span_of(m.start, m.end).slice(&doc.text),
                        m.code
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "no code on this date".into()),
                        m.via,
                        if m.group
                            != sc
                                .mentions
                                .iter()
                                .position(|o| std::ptr::eq(o, m))
                                .unwrap_or(0)
                        {
                            ", in a compound"
                        } else {
                            ""
                        },
                        dict.loc(e.loc),
                        e.name,
                        e.original_on(role_date)
                            .map(|o| format!(
                                " (its source writes `{o}`: mapped by the codes table)"
                            ))
                            .unwrap_or_default(),
                        m.antecedent
                            .map(|a| format!(", refers to `{}`", a.span.slice(&doc.text)))
                            .unwrap_or_default()
                    );
                }
            }
            if let Some(d) = sentence_veto {
                if let Some(t) = trace.as_deref_mut() {
                    let _ = writeln!(
                        t,
                        "  sentence vetoed by discard {} `{}`",
                        dict.loc(d.loc),
                        d.text
                    );
                }
                continue;
            }
            // Only a sentence with an actor and a pattern candidate is parsed.
            if sc.mentions.is_empty()
                || !patterns::any_candidate(dict, &s, &sc.mentions, &mut sc.pids)
            {
                continue;
            }
            sc.parsed += 1;
            self.parse(
                &s,
                &sc.mentions,
                &mut sc.words,
                &mut sc.workspace,
                &mut sc.parse,
                &mut sc.collapsed,
            );
            sc.tree.fill(&sc.collapsed, &self.relations);
            sc.tree
                .mend_reduced_relatives(|k| patterns::participle_form(dict, &s, k));
            sc.tree
                .mend_relative_clauses(|k| matches!(s.norm(k), "who" | "which" | "that"));
            if let Some(t) = trace.as_deref_mut() {
                let _ = writeln!(t, "  dependency tree as the coder reads it (a name read as one word, repairs made):");
                for k in 0..sc.tree.len() {
                    let head = sc.tree.head_of(k);
                    let _ = writeln!(
                        t,
                        "    {:>3} {:<16} {:<5} {:<9} {}",
                        k + 1,
                        s.original(k),
                        sc.tree.upos[k].as_str(),
                        sc.tree.rel[k].as_str(),
                        head.map(|h| format!("-> {} {}", h + 1, s.original(h)))
                            .unwrap_or_default()
                    );
                }
            }
            speech::find(dict, &s, &sc.mentions, &sc.tree, &mut sc.regions);
            let speakers = mentions::add_speaker_pronouns(dict, &s, &sc.regions, &mut sc.mentions);
            let reported =
                mentions::add_reported_subjects(dict, &s, &sc.tree, &sc.regions, &mut sc.mentions);
            if speakers || reported {
                speech::find(dict, &s, &sc.mentions, &sc.tree, &mut sc.regions);
                if let Some(f) = found.as_deref_mut() {
                    mentions::report(&s, si as u32, &sc.mentions, true, f);
                }
            }
            if let Some(t) = trace.as_deref_mut() {
                for r in &sc.regions {
                    let _ = writeln!(
                        t,
                        "  {} by `{}` covers `{}`",
                        if r.denial { "denial" } else { "statement" },
                        s.span_of(sc.mentions[r.speaker].start, sc.mentions[r.speaker].end)
                            .slice(&doc.text),
                        s.span_of(r.start, r.end).slice(&doc.text)
                    );
                }
                let _ = writeln!(t, "  patterns tried:");
            }
            let hits = patterns::find(
                dict,
                &s,
                &sc.mentions,
                &sc.tree,
                &sc.vetoed,
                trace.as_deref_mut(),
            );
            if let Some(g) = self.geo.map(|g| &g.places).filter(|_| !hits.is_empty()) {
                places::find(g, &s, &sc.tree, dateline_to, &mut phrases);
            }
            if hits.is_empty() {
                continue;
            }
            let main_country = discourse.main_country(|c| dict.actor_types.contains(c));
            // A date phrase on the event, or on the clause that reports it, dates the event.
            let speech = |k: usize| dict.words.is(Section::Speech, s.ids, k);
            let whens: Vec<Option<dates::When>> = hits
                .iter()
                .map(|h| {
                    let future = h.modality.is_some();
                    dates::when(&s, &sc.tree, h.node, h.predicate, doc_date?, future, speech)
                })
                .collect();
            let old =
                |w: Option<dates::When>| w.zip(doc_date).is_some_and(|(w, d)| w.before_week_of(d));
            let news_too = hits
                .iter()
                .zip(&whens)
                .any(|(h, &w)| h.source.is_some() && !old(w));
            for (h, &when) in hits.iter().zip(&whens) {
                // Told before the article's week: background beside news of this week, or when
                // the text gives no day ("in 2015", "three years ago"); else dated that day.
                if let Some((w, d)) = when
                    .zip(doc_date)
                    .filter(|(w, _)| old(Some(*w)) && (news_too || !w.exact))
                {
                    if let Some(t) = trace.as_deref_mut() {
                        let _ = writeln!(
                            t,
                            "  `{}` dates `{}` to {}..{}, before the week of {}: background, not a new event",
                            s.span_of(w.start, w.end).slice(&doc.text),
                            s.span_of(h.anchor, h.anchor + 1).slice(&doc.text),
                            w.first,
                            w.last,
                            d
                        );
                    }
                    continue;
                }
                let event_date = match when {
                    Some(w) if w.exact => Some(w.first),
                    _ => doc_date,
                }
                .map(|d| d.format("%Y-%m-%d").to_string());
                let ctx = Context {
                    doc,
                    index: si as u32,
                    sent,
                    s: &s,
                    ms: &sc.mentions,
                    regions: &sc.regions,
                    date: &event_date,
                    main_country: main_country.as_deref(),
                    tree: &sc.tree,
                    earlier: &merged.events,
                };
                let before = events.len();
                self.emit(&ctx, h, &mut events, trace.as_deref_mut());
                if let Some(g) = self.geo.map(|g| &g.places) {
                    for e in &mut events[before..] {
                        self.place_event(g, &ctx, h, e, &phrases, &doc_places);
                        if let Some(p) = e.place.as_ref() {
                            if !doc_places.countries.contains(&p.iso) {
                                doc_places.countries.push(p.iso.clone());
                            }
                        }
                        if let Some(p) = e.place.as_ref().filter(|p| p.resolution == "event") {
                            doc_places.story = Some(dyad_core::EventPlace {
                                resolution: "story".into(),
                                ..p.clone()
                            });
                        }
                        if let Some(t) = trace.as_deref_mut() {
                            let _ = trace_places(t, e);
                        }
                    }
                }
            }
            events.drain(..).for_each(|e| merged.add(e));
        }
        let mut events = merged.events;
        let tone = self
            .geo
            .filter(|_| !events.is_empty())
            .map(|g| (g.tone.score(&doc.text) * 10_000.0).round() / 10_000.0);
        for e in &mut events {
            e.tone = tone;
        }
        Ok(events)
    }

    /// The places of an event and of its actors. The event's: a place phrase hanging from its
    /// words, else the nearest place phrase of its sentence, else the dateline's place, else for
    /// a deed the story's. An actor's: a phrase on or inside the actor's words ("police in
    /// Karachi"), else the nearest to them, else the same fallback (GDELT's Actor1Geo/Actor2Geo).
    /// A name of several places is resolved towards the countries of the event's actors and of
    /// the document.
    fn place_event(
        &self,
        g: &dyad_geo::Gazetteer,
        ctx: &Context,
        h: &patterns::Hit,
        e: &mut Event,
        phrases: &[places::PlacePhrase],
        doc: &DocPlaces,
    ) {
        let dateline = doc.dateline.as_ref();
        let iso2 = |code: &str| {
            let id = g.country_iso3(code.get(..3)?)?;
            Some(g.place(id).country)
        };
        let actor_countries: Vec<String> = [
            Some(e.source.code.as_str()),
            e.target.as_ref().map(|t| t.code.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter_map(iso2)
        .collect();
        let mut countries: Vec<&str> = actor_countries.iter().map(|c| c.as_str()).collect();
        let main = ctx.main_country.and_then(iso2);
        countries.extend(main.as_deref());
        // Then the countries of the document's places so far: "in Paris" after "in Texas".
        countries.extend(doc.countries.iter().map(|c| c.as_str()));
        // A deed (QuadClass 2 or 4) the sentence does not place happened where the story last
        // was, when that is in one of its actors' countries; words need not have been said there.
        let story_place = doc
            .story
            .as_ref()
            .filter(|p| matches!(e.quad_class, 2 | 4) && actor_countries.contains(&p.iso));
        // A dateline says which country the story is in: "Mwanza" under "BLANTYRE —" is the
        // Malawian town. The story's last place is weaker: it only stands in when nothing nearer
        // places the deed.
        let story = dateline.and_then(|d| g.country_iso2(&d.iso));
        let fallback = dateline.or(story_place);
        let place_near = |node: usize, predicate: usize, anchor: (usize, usize), tied: &str| {
            // Words from the anchor's nearest end to the phrase's first word.
            let far = |p: &&places::PlacePhrase| {
                if p.start >= anchor.1 {
                    p.start + 1 - anchor.1
                } else {
                    anchor.0.saturating_sub(p.start)
                }
            };
            // In reported speech, the speaker's words ("said a professor in Tokyo") say nothing
            // of where what they report happened.
            let said = ctx
                .regions
                .iter()
                .find(|r| r.start <= anchor.0 && anchor.0 < r.end)
                .map_or((0, usize::MAX), |r| (r.start, r.end));
            let outside = |p: &&places::PlacePhrase| {
                (p.end <= anchor.0 || p.start >= anchor.1) && said.0 <= p.start && p.end <= said.1
            };
            // "police in Karachi": a place inside an actor's words is its place.
            let within = |p: &&places::PlacePhrase| {
                anchor.0 < p.start && p.end <= anchor.1 && tied == "actor"
            };
            if let Some(p) = phrases.iter().find(within).or_else(|| {
                phrases
                    .iter()
                    .filter(outside)
                    .filter(|p| places::on_event(ctx.tree, p, node, predicate))
                    .min_by_key(far)
            }) {
                return places::resolve(g, ctx.s, p, &countries, story, tied);
            }
            if let Some(p) = phrases.iter().filter(outside).min_by_key(far) {
                return places::resolve(g, ctx.s, p, &countries, story, "sentence");
            }
            fallback.cloned()
        };
        e.place = place_near(h.node, h.predicate, (h.anchor, h.anchor + 1), "event");
        for a in [Some(&mut e.source), e.target.as_mut()]
            .into_iter()
            .flatten()
        {
            if a.code.is_empty() {
                continue;
            }
            let Some((lo, hi)) = ctx.s.tokens_within(a.span) else {
                continue;
            };
            let head = (lo..hi)
                .find(|&k| ctx.tree.head_of(k).is_none_or(|x| x < lo || x >= hi))
                .unwrap_or(hi - 1);
            a.place = place_near(head, head, (lo, hi), "actor");
        }
    }

    /// "Kenya condemned the attack": an object "the attack" (a noun of `event-references.tsv`
    /// after a determiner) stands for the doer of the last such event the document told, other
    /// than the one acting now.
    fn doer_referred_to(
        &self,
        ctx: &Context,
        lo: usize,
        hi: usize,
        source: &ActorMention,
    ) -> Option<ActorMention> {
        let (s, t) = (ctx.s, ctx.tree);
        if !matches!(s.norm(lo), "the" | "this" | "that" | "these" | "those") {
            return None;
        }
        let head = (lo..hi).find(|&k| t.head_of(k).is_none_or(|h| h < lo || h >= hi))?;
        let codes = self.dict.references.codes(s.ids[head])?;
        let e = ctx.earlier.iter().rev().find(|e| {
            !e.negated
                && !e.source.code.is_empty()
                && e.source.code != source.code
                && codes.iter().any(|c| e.code.starts_with(c.as_str()))
        })?;
        let span = s.span_of(lo, hi);
        Some(ActorMention {
            code: e.source.code.clone(),
            name: e.source.name.clone(),
            text: span.slice(s.text).to_string(),
            span,
            entry: e.source.entry.clone(),
            antecedent: Some(format!(
                "{} ({} {}, sentence {})",
                e.source.text, e.code, e.verb.text, e.sentence
            )),
            place: None,
        })
    }

    fn emit(
        &self,
        ctx: &Context,
        h: &patterns::Hit,
        out: &mut Vec<Event>,
        trace: Option<&mut String>,
    ) {
        let Context {
            doc,
            index,
            sent,
            s,
            ms,
            regions,
            date,
            ..
        } = *ctx;
        let dict = self.dict;
        let p = dict.verbs.pattern(h.pattern);
        let mut why = String::new();
        let members = |head: Option<usize>, single: bool| -> Vec<usize> {
            match head {
                Some(g) if single => vec![g],
                Some(g) => (0..ms.len())
                    .filter(|&m| ms[m].group == ms[g].group)
                    .collect(),
                None => Vec::new(),
            }
        };
        let mut chain: Vec<&speech::Region> = speech::chain(regions, h.anchor).collect();
        let denied = chain.iter().any(|r| r.denial);
        let (code, negated, speaker) = self.transform(&p.code, h, denied, &chain, ms);
        let (sources, targets) = match speaker {
            // "X said Y must withdraw": X demands of Y.
            Some(sp) => {
                chain.pop();
                (members(Some(sp), false), members(h.source, h.single.0))
            }
            None => (members(h.source, h.single.0), members(h.target, h.single.1)),
        };
        // "Russia said the chances of a breakthrough were slim": a comment with no subject of
        // its own is the speaker's.
        let sources = match (sources.is_empty(), chain.last()) {
            (true, Some(r)) if code.starts_with("01") => members(Some(r.speaker), false),
            _ => sources,
        };
        // A threat is aimed at whoever must act to avert it.
        let targets = match self.condition_party(s, ms, h.last() + 1, &sources) {
            Some(t) if targets.is_empty() && code.starts_with("13") => members(Some(t), false),
            _ => targets,
        };
        // "France and Egypt held war games": a show of force staged together is military
        // cooperation; most mutual codes stay as they are.
        let mutual = (targets.is_empty() && sources.len() >= 2)
            .then(|| dict.transforms.apply(Mode::Mutual, &code))
            .flatten();
        let code = match mutual {
            Some(to) if !code.starts_with(to) => to.to_string(),
            _ => code,
        };
        let verb_span = s.span_of(h.first(), h.last() + 1);
        let verb_text: Vec<&str> = h
            .positions()
            .iter()
            .map(|&w| s.original(w as usize))
            .collect();
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        if sources.is_empty() {
            // "A roadside bomb killed one U.S. soldier", "two journalists were arrested": violence,
            // coercion or investigation with a named victim and no named doer is still an
            // event, with an empty source (as GDELT writes it).
            // Coercion only in a passive with "be" ("was arrested"): "jailed publisher Jimmy
            // Lai" names no act of its own, nor does a state ("remain detained").
            let first = h.first();
            let explicit_passive = h.passive
                && (1..=3).any(|b| {
                    first >= b
                        && dict.words.is(Section::Be, s.ids, first - b)
                        && !s.norm(first - b).starts_with("remain")
                });
            let violent = matches!(code.get(..2), Some("18" | "19" | "20"))
                || (matches!(code.get(..2), Some("09" | "17")) && explicit_passive);
            let asserted = h.modality.is_none() && (h.passive || h.verb_like);
            let natural = patterns::natural_cause(dict, s, h);
            if violent && asserted && !negated && !natural && !targets.is_empty() {
                pairs.extend(targets.iter().map(|&b| (None, Some(b))));
            } else {
                why.push_str("no source actor");
            }
        } else if mutual.is_some() {
            for &a in &sources {
                for &b in &sources {
                    if a != b {
                        pairs.push((Some(a), Some(b)));
                    }
                }
            }
        } else if targets.is_empty() {
            pairs.extend(sources.iter().map(|&a| (Some(a), None)));
        } else {
            for &a in &sources {
                for &b in &targets {
                    pairs.push((Some(a), Some(b)));
                }
            }
        }
        // "Russia, Ukraine, China, ... (hundreds) met": pairs grow with the square of a list.
        // Mentions of one entry under one code act alike, so each pair of them counts once,
        // and at most MAX_PAIRS pairs are taken from one pattern.
        if pairs.len() > 16 {
            let key = |m: Option<usize>| m.map(|m| (ms[m].code, ms[m].entry));
            let mut seen = std::collections::HashSet::new();
            pairs.retain(|&(a, b)| seen.insert((key(a), key(b))));
            if pairs.len() > MAX_PAIRS {
                tracing::info!(
                    "{}: sentence {index}: {} actor pairs for one pattern, the first {MAX_PAIRS} taken",
                    doc.id,
                    pairs.len()
                );
                pairs.truncate(MAX_PAIRS);
            }
        }
        let verb = VerbMatch {
            text: verb_text.join(" "),
            span: verb_span,
            pattern_id: dict.loc(p.loc),
            pattern: p.text.clone(),
            relations: h.relations.clone(),
        };
        let attribution: Vec<ActorMention> =
            chain.iter().map(|r| self.actor(s, ms, r.speaker)).collect();
        let modality = h.modality.as_ref().map(|m| m.0.clone());
        let base_code = (code != p.code).then(|| p.code.clone());
        let make = |code: &str,
                    base_code: Option<String>,
                    a: Option<usize>,
                    mut b: Option<usize>,
                    verb: VerbMatch,
                    attribution: Vec<ActorMention>|
         -> Option<Event> {
            let info = dict.codebook.get(code)?;
            if let Some(a) = a {
                let src = ms[a].code?;
                // Two actors may share a code (two opposition politicians), not an identity.
                // A people and its state are two actors too ("Iraqi Kurds ... independence from
                // Iraq"); a name and a pronoun for it are one.
                let people = |m: usize| {
                    let plural = |k: usize| k < s.ids.len() && s.norm(k).ends_with('s');
                    // "Iraqi Kurds": a capitalised plural no dictionary names.
                    let e = ms[m].end;
                    let named_next = e < s.ids.len()
                        && s.kind(e) == TokenKind::Word
                        && s.capitalized(e)
                        && !ms.iter().any(|n| n.start <= e && e < n.end);
                    ms[m].agent.is_none()
                        && ms[m].via == Via::Name
                        && (plural(ms[m].end - 1) || named_next && plural(e))
                };
                let pronoun = ms[a].via == Via::Pronoun;
                let same = |b: usize| {
                    ms[b].code == Some(src)
                        && (ms[b].start == ms[a].start
                            || ms[b].entry == ms[a].entry
                                && (pronoun || ms[b].via == Via::Pronoun || people(a) == people(b)))
                };
                // "Israelis demonstrated in Tel Aviv": acting in one's own country is an event
                // with no target, not an event on oneself. "in east Bosnia": place adjectives
                // may stand between.
                let located = |b: usize| {
                    let mut k = ms[b].start;
                    while k > 0 && dict.words.is(Section::PlaceAdjective, s.ids, k - 1) {
                        k -= 1;
                    }
                    k > 0 && matches!(s.norm(k - 1), "in" | "at")
                };
                let at_home = |b: usize| {
                    ms[b].code == Some(src)
                        && ms[b].entry == ms[a].entry
                        && (h.target_is_place || located(b))
                };
                if b.is_some_and(at_home) {
                    b = None;
                } else if b.is_some_and(same) {
                    return None;
                }
            }
            if b.is_some_and(|b| ms[b].code.is_none()) {
                return None;
            }
            let source = match a {
                Some(a) => self.actor_in_event(ctx, a, b, h.target_is_place),
                None => ActorMention {
                    code: String::new(),
                    name: String::new(),
                    text: String::new(),
                    span: Span::new(verb.span.start, verb.span.start),
                    entry: "no actor named as the doer".into(),
                    antecedent: None,
                    place: None,
                },
            };
            // "arrested a California man": an object that names no actor is the target, uncoded.
            let target = b
                .map(|b| self.actor_in_event(ctx, b, a, false))
                .or_else(|| {
                    let (lo, hi) = h.object.filter(|_| a.is_some())?;
                    let span = s.span_of(lo, hi);
                    let uncoded = ActorMention {
                        code: String::new(),
                        name: String::new(),
                        text: span.slice(s.text).to_string(),
                        span,
                        entry: "no dictionary entry: the object of the verb".into(),
                        antecedent: None,
                        place: None,
                    };
                    Some(
                        self.doer_referred_to(ctx, lo, hi, &source)
                            .unwrap_or(uncoded),
                    )
                });
            // "A government spokesman met Chinese officials": a role that borrowed its country
            // and ended up with the other side's very code is no actor acting on itself.
            let role_only = |m: usize| ms[m].code.is_some_and(|c| roles_only(dict, c.as_str()));
            let borrowed = a.is_some_and(role_only) || b.is_some_and(role_only);
            if borrowed && target.as_ref().is_some_and(|t| t.code == source.code) {
                return None;
            }
            Some(Event {
                doc_id: doc.id.clone(),
                sentence: index,
                sentence_span: sent.span,
                sentence_text: sent.span.slice(&doc.text).to_string(),
                date: date.clone(),
                code: code.to_string(),
                base_code,
                label: info.label.clone(),
                goldstein: info.goldstein,
                quad_class: info.quad_class,
                source,
                target,
                verb,
                negated,
                modality: modality.clone(),
                attribution,
                place: None,
                tone: None,
                mentions: 1,
                dict_version: dict.version.clone(),
            })
        };
        let mut emitted = 0;
        for (a, b) in pairs {
            if let Some(e) = make(
                &code,
                base_code.clone(),
                a,
                b,
                verb.clone(),
                attribution.clone(),
            ) {
                out.push(e);
                emitted += 1;
            }
        }
        // "Agencies say Putin ordered the attack": reporting a hostile act accuses its doer.
        // A prediction or a possibility is no accusation.
        let alleged = dict
            .transforms
            .apply(Mode::Allegation, &code)
            .filter(|_| !negated && speaker.is_none() && h.modality.is_none());
        // Only what the speaker asserts ("X said that Y ..."), not a source cited after the fact
        // ("..., police said", "according to ...").
        // Nor what a relative clause says in passing ("Sudan must return a helicopter that was
        // captured by ..."): only the statement's own verb.
        let relative = |r: &speech::Region| {
            (r.start + 1..h.first()).any(|k| matches!(s.norm(k), "that" | "which" | "who"))
        };
        let asserted = chain
            .last()
            .filter(|r| r.start >= ms[r.speaker].end && !relative(r));
        if let (Some(accuse), Some(r)) = (alleged, asserted) {
            let reported = VerbMatch {
                text: (r.verb.0..r.verb.1)
                    .map(|k| s.original(k))
                    .collect::<Vec<_>>()
                    .join(" "),
                span: s.span_of(r.verb.0, r.verb.1),
                ..verb.clone()
            };
            let outer = attribution[..attribution.len() - 1].to_vec();
            // The media report; they do not accuse.
            let reporter = |m: usize| {
                ms[m].code.is_some_and(|c| {
                    let c = c.as_str();
                    c == "MED" || c.get(3..6) == Some("MED")
                })
            };
            for speaker in members(Some(r.speaker), false)
                .into_iter()
                .filter(|&m| !reporter(m))
            {
                // Claiming one's own act is no accusation; nor is a report that unnamed
                // "attackers" or "gunmen" struck. A pronoun doer ("militants said they
                // attacked") is most often the speaker itself.
                let accusable = |d: usize| {
                    ms[d].code != ms[speaker].code
                        && ms[d].via != Via::Agent
                        && ms[d].via != Via::Pronoun
                };
                for &doer in sources.iter().filter(|&&d| accusable(d)) {
                    if let Some(e) = make(
                        accuse,
                        Some(code.clone()),
                        Some(speaker),
                        Some(doer),
                        reported.clone(),
                        outer.clone(),
                    ) {
                        out.push(e);
                        emitted += 1;
                    }
                }
            }
        }
        if let Some(t) = trace {
            let _ = writeln!(
                t,
                "  hit {} `{}` on `{}`{}{}{}{}: {}",
                dict.loc(p.loc),
                p.text,
                verb_text.join(" "),
                if h.relations.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", h.relations)
                },
                if h.passive { " (passive)" } else { "" },
                if negated { " (negated)" } else { "" },
                h.modality
                    .as_ref()
                    .map(|m| format!(" (modality: {})", m.0))
                    .unwrap_or_default(),
                if emitted > 0 {
                    format!("{emitted} event(s) {code}")
                } else if why.is_empty() {
                    "no event: actors lack codes or are the same".to_string()
                } else {
                    format!("no event: {why}")
                }
            );
        }
    }

    /// The subject of the first condition ("if X ...", "unless X ...") after token `from`, when it
    /// is an actor other than the `sources`.
    fn condition_party(
        &self,
        s: &Sentence,
        ms: &[Mention],
        from: usize,
        sources: &[usize],
    ) -> Option<usize> {
        let words = &self.dict.words;
        let at = (from..s.ids.len()).find(|&i| words.is(Section::Condition, s.ids, i))?;
        let m = ms
            .iter()
            .position(|m| m.start > at && m.start <= at + 3 && m.code.is_some())?;
        let own = sources.iter().any(|&a| ms[a].code == ms[m].code);
        (!own).then_some(m)
    }

    /// The code an event takes given refusal, intent, threat or obligation around its verb:
    /// (code, negated, the speaker who makes a demand of the subject).
    fn transform(
        &self,
        base: &str,
        h: &patterns::Hit,
        denied: bool,
        chain: &[&speech::Region],
        ms: &[Mention],
    ) -> (String, bool, Option<usize>) {
        let tf = &self.dict.transforms;
        if denied {
            return (base.to_string(), true, None);
        }
        if h.negated {
            return match tf.apply(Mode::Refusal, base).filter(|_| h.refused) {
                Some(c) => (c.to_string(), false, None),
                None => (base.to_string(), true, None),
            };
        }
        let code = match h.modality.as_ref().map(|m| m.1) {
            Some(Modal::Intent) => tf.apply(Mode::Intent, base),
            Some(Modal::Threat) => match tf.apply(Mode::Intent, base) {
                Some(c) if c.starts_with("13") => Some(c),
                _ if base.starts_with("13") => None,
                _ => Some("130"),
            },
            Some(Modal::Obligation) => {
                let speaker = chain.last().map(|r| r.speaker);
                let subject = h.source;
                let differs = match (speaker, subject) {
                    (Some(a), Some(b)) => ms[a].code != ms[b].code,
                    _ => false,
                };
                if let (Some(c), true) = (tf.apply(Mode::Obligation, base), differs) {
                    return (c.to_string(), false, speaker);
                }
                None
            }
            _ => None,
        };
        (code.unwrap_or(base).to_string(), false, None)
    }

    /// An event side. A role with no country ("President Abdelaziz Bouteflika", "police") takes
    /// the country of the first other named actor of the sentence that is not the other side,
    /// or of the other side when that is only the place the act happens in: news names the
    /// country an unknown official acts in ("... a curfew in Algiers").
    fn actor_in_event(
        &self,
        ctx: &Context,
        m: usize,
        other: Option<usize>,
        other_is_place: bool,
    ) -> ActorMention {
        let (s, ms) = (ctx.s, ctx.ms);
        let mut a = self.actor(s, ms, m);
        let role_only =
            roles_only(self.dict, &a.code) && !dyad_dict::SECTOR_PREFIXES.contains(&&a.code[..3]);
        // "foreign military helicopters": the text says the role is not of the country around.
        let foreign =
            ms[m].start > 0 && self.dict.words.is(Section::Foreign, s.ids, ms[m].start - 1);
        if !role_only || foreign {
            return a;
        }
        let other_group = other.map(|o| ms[o].group);
        // A code that starts with a country, not with a role or sector.
        let national = |c: &Mention| {
            c.code.is_some_and(|code| {
                code.len() >= 3 && !self.dict.actor_types.contains(&code.as_str()[..3])
            })
        };
        let has_country = |c: &Mention| c.via == Via::Name && national(c);
        // The role with the country that starts `c`'s code.
        let of_country = |c: &Mention, role: &str| {
            format!("{}{role}", &c.code.unwrap_or_default().as_str()[..3])
        };
        let me = &ms[m];
        let distance = |c: &Mention| c.start.abs_diff(me.start);
        // A partner in the same compound ("the Sudanese government and the rebels"), else the
        // nearest other actor that is not the other side, else the place the act happens in.
        let partner = ms
            .iter()
            .filter(|c| c.group == me.group && !std::ptr::eq(*c, me))
            .find(|c| has_country(c));
        let nearest = || {
            ms.iter()
                .filter(|c| c.group != me.group && Some(c.group) != other_group && has_country(c))
                .min_by_key(|c| distance(c))
        };
        let place = || {
            other_is_place
                .then(|| other.map(|o| &ms[o]))
                .flatten()
                .filter(|c| has_country(c))
        };
        // "Russia sent troops to Syria": people sent are the sender's.
        let group_start = ms
            .iter()
            .filter(|c| c.group == me.group)
            .map(|c| c.start)
            .min()
            .unwrap_or(me.start);
        // The verb whose object the group is, when it sends ("dispatched", "deployed").
        let t = ctx.tree;
        let sender = (group_start..me.end)
            .find(|&k| t.head_of(k).is_some_and(|h| h < group_start || h >= me.end))
            .filter(|&k| t.rel[k] == tree::Rel::Obj)
            .and_then(|k| t.head_of(k))
            .filter(|&v| {
                self.dict.words.is(Section::Dispatch, s.ids, v) && !s.norm(v).ends_with("ing")
            })
            .and_then(|v| patterns::subject_of(self.dict, s, t, v, &mut String::new()))
            .and_then(|n| patterns::actor_of(s, t, ms, n))
            .map(|g| &ms[ms[g].group])
            .filter(|c| c.via == Via::Name && c.code.is_some());
        if let Some(c) = sender.filter(|_| partner.is_none() && me.via != Via::Pronoun) {
            let _ = write!(
                a.entry,
                " + `{}`, who sent them",
                s.span_of(c.start, c.end).slice(s.text)
            );
            // A country's people take their role; an organisation's are the organisation.
            a.code = if has_country(c) {
                of_country(c, &a.code)
            } else {
                c.code.unwrap_or_default().to_string()
            };
            return a;
        }
        // The country the document is about comes before a neighbour in the sentence:
        // "Opposition leaders criticized the government", "The two ministers agreed ...,
        // according to the Swiss foreign ministry".
        if partner.is_none() {
            if let Some(main) = ctx.main_country {
                let _ = write!(a.entry, " + country of the document ({main})");
                a.code = format!("{main}{}", a.code);
                return a;
            }
        }
        // "Egyptian police opened fire on demonstrators": police, courts and governments act
        // at home, so the other side is of their country.
        let domestic = || {
            other.map(|o| &ms[o]).filter(|c| {
                has_country(c)
                    && c.code.is_some_and(|code| {
                        DOMESTIC_ROLES
                            .iter()
                            .any(|r| code.as_str().get(3..6) == Some(*r))
                    })
            })
        };
        // "The opposition party will boycott Zambia's elections": rebels, opposition and parties
        // act in their own country.
        let insider = || {
            ["REB", "OPP", "PTY"]
                .contains(&a.code.as_str())
                .then(|| other.map(|o| &ms[o]).filter(|c| has_country(c)))
                .flatten()
        };
        // "ethnic Uzbeks demonstrated in Kyrgyzstan": a people acts where it lives.
        let people = || {
            (self.dict.actors.entry(me.entry).kind == ActorKind::Country)
                .then(|| other.map(|o| &ms[o]).filter(|c| has_country(c)))
                .flatten()
        };
        // "its military": the owner's country.
        let owner = ms.iter().find(|c| {
            c.end == me.start
                && c.via == Via::Pronoun
                && matches!(s.norm(c.start), "his" | "her" | "its" | "their" | "our")
                && national(c)
        });
        let country = owner
            .or(partner)
            .or_else(nearest)
            .or_else(place)
            .or_else(domestic)
            .or_else(insider)
            .or_else(people);
        if let Some(c) = country {
            let _ = write!(
                a.entry,
                " + country of `{}`",
                s.span_of(c.start, c.end).slice(s.text)
            );
            a.code = of_country(c, &a.code);
        }
        a
    }

    fn actor(&self, s: &Sentence, ms: &[Mention], m: usize) -> ActorMention {
        let m = &ms[m];
        let dict = self.dict;
        let e = dict.actors.entry(m.entry);
        let mut entry = format!("{} {}", dict.loc(e.loc), e.name);
        if let Some(a) = m.agent {
            let ae = dict.actors.entry(a);
            if ae.kind == ActorKind::Agent {
                let _ = write!(entry, " + {} {}", dict.loc(ae.loc), ae.name);
            }
        }
        let span = s.span_of(m.start, m.end);
        ActorMention {
            code: m.code.map(|c| c.to_string()).unwrap_or_default(),
            name: dict
                .actors
                .entry(m.antecedent.map_or(m.entry, |a| a.entry))
                .name
                .clone(),
            text: span.slice(s.text).to_string(),
            span,
            entry,
            antecedent: m
                .antecedent
                .filter(|_| m.via == Via::Pronoun || m.via == Via::Agent)
                .map(|a| a.span.slice(s.text).to_string()),
            place: None,
        }
    }
}

/// The places a document gives beyond a sentence.
#[derive(Default)]
struct DocPlaces {
    /// The dateline's ("KABUL —").
    dateline: Option<dyad_core::EventPlace>,
    /// The story's so far: the last place an event's own words named.
    story: Option<dyad_core::EventPlace>,
    /// The countries (ISO alpha-2) of the places its events were given so far, first first.
    countries: Vec<String>,
}

/// The trace lines of an event's places: "place of 190 `struck`: `in Mosul` -> ...".
fn trace_places(t: &mut String, e: &Event) -> std::fmt::Result {
    let whose = [
        (format!("{} `{}`", e.code, e.verb.text), e.place.as_ref()),
        (
            format!("source `{}`", e.source.text),
            e.source.place.as_ref(),
        ),
        (
            format!(
                "target `{}`",
                e.target.as_ref().map_or("", |a| a.text.as_str())
            ),
            e.target.as_ref().and_then(|a| a.place.as_ref()),
        ),
    ];
    for (who, p) in whose {
        let Some(p) = p else { continue };
        writeln!(
            t,
            "  place of {who}: `{}` -> {} ({}, type {}; {}, {})",
            p.text,
            p.name,
            if p.adm1.is_empty() {
                &p.country_code
            } else {
                &p.adm1
            },
            p.geo_type,
            p.resolution,
            p.entry
        )?;
    }
    Ok(())
}

/// What makes two events of a document the same event.
type MergeKey = (
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
);

/// Keeps the place tied most closely to its event or actor: its own words, then its sentence,
/// then the dateline, then the story.
fn better_place(kept: &mut Option<dyad_core::EventPlace>, later: Option<dyad_core::EventPlace>) {
    let rank = |p: &Option<dyad_core::EventPlace>| match p.as_ref().map(|p| p.resolution.as_str()) {
        None => 0,
        Some("story") => 1,
        Some("dateline") => 2,
        Some("sentence") => 3,
        Some(_) => 4,
    };
    if rank(&later) > rank(kept) {
        *kept = later;
    }
}

/// A document's events so far: identical events from repeated sentences become one, counting
/// mentions. Merged sentence by sentence, so memory follows the distinct events, not the text.
#[derive(Default)]
struct Merged {
    events: Vec<Event>,
    index: std::collections::HashMap<MergeKey, usize>,
}

impl Merged {
    fn add(&mut self, e: Event) {
        let key = (
            e.code.clone(),
            e.source.code.clone(),
            e.target.as_ref().map(|t| t.code.clone()),
            e.date.clone(),
            e.negated,
            e.modality.clone(),
        );
        match self.index.get(&key) {
            Some(&i) => {
                let first = &mut self.events[i];
                if first.sentence != e.sentence {
                    first.mentions += 1;
                }
                // A later mention may say better where it happened, or where the actors are.
                let e_target = e.target.and_then(|t| t.place);
                better_place(&mut first.place, e.place);
                better_place(&mut first.source.place, e.source.place);
                if let Some(t) = first.target.as_mut() {
                    better_place(&mut t.place, e_target);
                }
            }
            None => {
                self.index.insert(key, self.events.len());
                self.events.push(e);
            }
        }
    }
}
