//! Storing coded documents: one transaction per batch, cross-article aggregation.

use crate::{Result, Store};
use dyad_core::{Document, Event, Sentence};
use dyad_dict::Dictionary;
use dyad_export::{content_hash, document_key, domain_of, EventRecord};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// What one ingest call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestSummary {
    /// Documents stored for the first time.
    pub documents_new: u64,
    /// Documents that replaced an older version at the same key (URL, else id).
    pub documents_replaced: u64,
    /// Documents already stored unchanged (skipped).
    pub documents_unchanged: u64,
    /// Mentions (coded events of a document) stored.
    pub mentions: u64,
    /// Event rows created (first mention of that date, dyad, code and place).
    pub events_new: u64,
}

impl std::ops::AddAssign for IngestSummary {
    fn add_assign(&mut self, o: Self) {
        self.documents_new += o.documents_new;
        self.documents_replaced += o.documents_replaced;
        self.documents_unchanged += o.documents_unchanged;
        self.mentions += o.mentions;
        self.events_new += o.events_new;
    }
}

/// `[[start,end],...]`, written by hand: this runs for every document.
fn spans_json(sentences: &[Sentence]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(sentences.len() * 12 + 2);
    s.push('[');
    for (i, x) in sentences.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "[{},{}]", x.span.start, x.span.end);
    }
    s.push(']');
    s
}

const EVENT_FIELDS: &str = "sql_date, \
    actor1_name, actor1_country_code, actor1_known_group_code, actor1_ethnic_code, actor1_religion1_code, actor1_religion2_code, actor1_type1_code, actor1_type2_code, actor1_type3_code, \
    actor2_name, actor2_country_code, actor2_known_group_code, actor2_ethnic_code, actor2_religion1_code, actor2_religion2_code, actor2_type1_code, actor2_type2_code, actor2_type3_code, \
    is_root_event, event_base_code, event_root_code, quad_class, goldstein_scale, date_added, source_url, \
    action_geo_type, action_geo_fullname, action_geo_country_code, action_geo_adm1_code, action_geo_adm2_code, \
    action_geo_lat, action_geo_long, action_geo_feature_id, \
    actor1_geo_type, actor1_geo_fullname, actor1_geo_country_code, actor1_geo_adm1_code, actor1_geo_adm2_code, \
    actor1_geo_lat, actor1_geo_long, actor1_geo_feature_id, \
    actor2_geo_type, actor2_geo_fullname, actor2_geo_country_code, actor2_geo_adm1_code, actor2_geo_adm2_code, \
    actor2_geo_lat, actor2_geo_long, actor2_geo_feature_id";

/// The columns of [`EVENT_FIELDS`].
const EVENT_FIELD_COUNT: usize = 50;

fn actor_params(x: &dyad_export::ActorColumns) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    vec![
        Box::new(x.name.as_str()),
        Box::new(x.country_code.as_str()),
        Box::new(x.known_group_code.as_str()),
        Box::new(x.ethnic_code.as_str()),
        Box::new(x.religion1_code.as_str()),
        Box::new(x.religion2_code.as_str()),
        Box::new(x.type1_code.as_str()),
        Box::new(x.type2_code.as_str()),
        Box::new(x.type3_code.as_str()),
    ]
}

fn record_params(r: &EventRecord) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    let a = actor_params;
    let mut p: Vec<Box<dyn rusqlite::ToSql + '_>> = vec![Box::new(r.sql_date())];
    p.extend(a(&r.actor1));
    p.extend(a(&r.actor2));
    p.push(Box::new(r.is_root_event));
    p.push(Box::new(r.event_base_code.as_str()));
    p.push(Box::new(r.event_root_code.as_str()));
    p.push(Box::new(r.quad_class));
    p.push(Box::new(r.goldstein_scale));
    p.push(Box::new(r.date_added.parse::<i64>().ok()));
    p.push(Box::new(r.source_url.as_str()));
    for g in [&r.action_geo, &r.actor1_geo, &r.actor2_geo] {
        p.push(Box::new(g.geo_type));
        p.push(Box::new(g.full_name.as_str()));
        p.push(Box::new(g.country_code.as_str()));
        p.push(Box::new(g.adm1_code.as_str()));
        p.push(Box::new(g.adm2_code.as_str()));
        p.push(Box::new(g.lat));
        p.push(Box::new(g.long));
        p.push(Box::new(g.feature_id.as_str()));
    }
    p
}

/// Byte offset -> character offset in one text, in O(block) per look-up.
struct CharIndex<'a> {
    text: &'a str,
    /// Characters before each 256-byte block; `None` when the text is ASCII.
    blocks: Option<Vec<u32>>,
    total: i64,
}

impl<'a> CharIndex<'a> {
    const BLOCK: usize = 256;

    fn new(text: &'a str) -> Self {
        if text.is_ascii() {
            return CharIndex {
                text,
                blocks: None,
                total: text.len() as i64,
            };
        }
        let b = text.as_bytes();
        let mut blocks = Vec::with_capacity(b.len() / Self::BLOCK + 1);
        let mut n = 0u32;
        for chunk in b.chunks(Self::BLOCK) {
            blocks.push(n);
            // Count bytes that start a character (not UTF-8 continuation bytes).
            n += chunk.iter().filter(|&&c| (c as i8) >= -0x40).count() as u32;
        }
        CharIndex {
            text,
            blocks: Some(blocks),
            total: i64::from(n),
        }
    }

    /// Characters before byte `byte` (0 when it is not a character boundary in the text).
    fn offset(&self, byte: u32) -> i64 {
        let byte = byte as usize;
        if self.text.get(..byte).is_none() {
            return 0;
        }
        match &self.blocks {
            None => byte as i64,
            Some(blocks) => {
                let block = byte / Self::BLOCK;
                let start = block * Self::BLOCK;
                let before = blocks.get(block).copied().unwrap_or(0);
                let rest = self.text.as_bytes()[start..byte]
                    .iter()
                    .filter(|&&c| (c as i8) >= -0x40)
                    .count();
                i64::from(before) + rest as i64
            }
        }
    }
}

/// A coded document with everything the writer needs worked out beforehand, so that this part
/// runs on the coding threads and the single writer thread only executes SQL.
pub struct CodedDocument {
    pub doc: Document,
    pub events: Vec<Event>,
    key: String,
    hash: String,
    domain: String,
    date_added: Option<i64>,
    sentence_count: usize,
    sentence_spans: String,
    char_length: i64,
    mentions: Vec<MentionExtras>,
}

/// Per event: what the mention row stores beyond the event itself.
fn place_json(p: Option<&dyad_core::EventPlace>) -> Option<String> {
    p.map(|p| serde_json::to_string(p).unwrap_or_default())
}

struct MentionExtras {
    in_lead: bool,
    actor1_char_offset: i64,
    actor2_char_offset: i64,
    action_char_offset: i64,
    attribution: Option<String>,
    confidence: u8,
    /// The places of the event and of its actors, as JSON.
    place: Option<String>,
    actor1_place: Option<String>,
    actor2_place: Option<String>,
}

impl CodedDocument {
    /// `sentences` are the document's sentences as the coder segmented them.
    pub fn new(
        doc: Document,
        events: Vec<Event>,
        sentences: &[Sentence],
        dict_version: &str,
    ) -> CodedDocument {
        let chars = CharIndex::new(&doc.text);
        let lead_end = dyad_export::lead_paragraph_end(&doc.text);
        let mentions = events
            .iter()
            .map(|e| MentionExtras {
                in_lead: match lead_end {
                    Some(end) => (e.sentence_span.start as usize) < end,
                    None => e.sentence == 0,
                },
                // GDELT's offsets are in characters: the same values as
                // `MentionRecord::from_event`, without counting from the start for each one.
                actor1_char_offset: chars.offset(e.source.span.start),
                actor2_char_offset: e.target.as_ref().map_or(-1, |t| chars.offset(t.span.start)),
                action_char_offset: chars.offset(e.verb.span.start),
                attribution: (!e.attribution.is_empty())
                    .then(|| serde_json::to_string(&e.attribution).unwrap_or_default()),
                confidence: dyad_export::mention_confidence(e),
                place: place_json(e.place.as_ref()),
                actor1_place: place_json(e.source.place.as_ref()),
                actor2_place: place_json(e.target.as_ref().and_then(|t| t.place.as_ref())),
            })
            .collect();
        CodedDocument {
            key: document_key(&doc).to_string(),
            hash: content_hash(&doc, dict_version),
            domain: domain_of(&doc),
            date_added: dyad_export::gdelt_timestamp_utc(doc.published.as_deref())
                .parse()
                .ok(),
            sentence_count: sentences.len(),
            sentence_spans: spans_json(sentences),
            char_length: chars.total,
            mentions,
            doc,
            events,
        }
    }

    /// Segments the text itself: for callers that do not have the coder's sentences.
    pub fn segmenting(doc: Document, events: Vec<Event>, dict_version: &str) -> CodedDocument {
        let mut sentences = Vec::new();
        dyad_text::segment(&doc.text, &mut sentences);
        CodedDocument::new(doc, events, &sentences, dict_version)
    }
}

#[derive(Default)]
struct Delta {
    mentions: i64,
    articles: i64,
    sources: i64,
    first_mention: i64,
}

impl Store {
    /// Splits off the documents already stored unchanged (same key, same content and
    /// dictionary version): they need no coding. Returns the rest, in order, and how many were
    /// dropped.
    pub fn drop_unchanged(
        &self,
        docs: Vec<Document>,
        dict_version: &str,
    ) -> Result<(Vec<Document>, u64)> {
        let mut st = self
            .conn
            .prepare_cached("SELECT content_hash FROM documents WHERE doc_key = ?1")?;
        let mut keep = Vec::with_capacity(docs.len());
        let mut dropped = 0;
        for d in docs {
            let stored: Option<String> =
                st.query_row([document_key(&d)], |r| r.get(0)).optional()?;
            // Hash only what is already stored: a new document is hashed once, when written.
            if stored.is_some_and(|h| h == content_hash(&d, dict_version)) {
                dropped += 1;
            } else {
                keep.push(d);
            }
        }
        Ok((keep, dropped))
    }

    /// Stores coded documents in one transaction.
    pub fn ingest_batch(
        &mut self,
        coded: &[CodedDocument],
        dict: &Dictionary,
    ) -> Result<IngestSummary> {
        let tx = self.write_transaction()?;
        let mut sum = IngestSummary::default();
        let mut deltas: BTreeMap<i64, Delta> = BTreeMap::new();
        let mut affected: BTreeSet<i64> = BTreeSet::new();
        for c in coded {
            store_document(&tx, c, dict, &mut sum, &mut deltas, &mut affected)?;
        }
        {
            let mut up = tx.prepare_cached(
                "UPDATE events SET num_mentions = num_mentions + ?2, \
                 num_articles = num_articles + ?3, num_sources = num_sources + ?4, \
                 first_mention_id = CASE WHEN first_mention_id = 0 THEN ?5 ELSE first_mention_id END \
                 WHERE global_event_id = ?1",
            )?;
            for (id, d) in &deltas {
                up.execute(params![
                    id,
                    d.mentions,
                    d.articles,
                    d.sources,
                    d.first_mention
                ])?;
                update_tone(&tx, *id)?;
            }
        }
        for id in affected {
            recompute_event(&tx, id, dict)?;
        }
        tx.commit()?;
        Ok(sum)
    }
}

fn store_document(
    tx: &Transaction,
    c: &CodedDocument,
    dict: &Dictionary,
    sum: &mut IngestSummary,
    deltas: &mut BTreeMap<i64, Delta>,
    affected: &mut BTreeSet<i64>,
) -> Result<()> {
    let (doc, key, hash) = (&c.doc, c.key.as_str(), c.hash.as_str());
    let old: Option<(i64, String)> = tx
        .prepare_cached("SELECT doc_id, content_hash FROM documents WHERE doc_key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((old_id, old_hash)) = old {
        if old_hash == hash {
            sum.documents_unchanged += 1;
            return Ok(());
        }
        // A new version of the article: its old mentions go, and the events they counted in
        // are recomputed once the batch is in.
        {
            let mut st = tx.prepare_cached(
                "SELECT DISTINCT global_event_id FROM mentions WHERE doc_id = ?1",
            )?;
            for id in st.query_map([old_id], |r| r.get::<_, i64>(0))? {
                affected.insert(id?);
            }
        }
        tx.execute("DELETE FROM mentions WHERE doc_id = ?1", [old_id])?;
        tx.execute("DELETE FROM documents WHERE doc_id = ?1", [old_id])?;
        sum.documents_replaced += 1;
    } else {
        sum.documents_new += 1;
    }

    tx.prepare_cached(
        "INSERT INTO documents (doc_key, id, url, title, author, published, modified, source, domain, \
         language, origin_path, origin_line, origin_offset, content_hash, dict_version, char_length, \
         sentence_count, event_count, sentence_spans, date_added, text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        key,
        doc.id,
        doc.url,
        doc.title,
        doc.author,
        doc.published,
        doc.modified,
        doc.source,
        c.domain,
        doc.language,
        doc.origin.path,
        doc.origin.line.map(|l| l as i64),
        doc.origin.offset.map(|l| l as i64),
        hash,
        dict.version,
        c.char_length,
        c.sentence_count as i64,
        c.events.len() as i64,
        c.sentence_spans,
        c.date_added,
        doc.text,
    ])?;
    let doc_id = tx.last_insert_rowid();

    let mut find = tx.prepare_cached(
        "SELECT global_event_id FROM events WHERE event_date = ?1 AND actor1_code = ?2 \
         AND actor2_code = ?3 AND event_code = ?4 AND place = ?6 AND negated = ?5",
    )?;
    let mut insert_event = tx.prepare_cached(&format!(
        "INSERT INTO events (event_date, actor1_code, actor2_code, event_code, event_label, place, negated, \
         {EVENT_FIELDS}, num_mentions, num_sources, num_articles, avg_tone, first_mention_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {}, 0, 0, 0, 0, 0)",
        (8..8 + EVENT_FIELD_COUNT)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let mut insert_mention = tx.prepare_cached(
        "INSERT INTO mentions (global_event_id, doc_id, sentence_index, sentence_start, sentence_end, \
         mention_count, in_lead, pattern_code, negated, modality, \
         actor1_code, actor1_name, actor1_text, actor1_start, actor1_end, actor1_entry, actor1_antecedent, \
         actor2_code, actor2_name, actor2_text, actor2_start, actor2_end, actor2_entry, actor2_antecedent, \
         verb_text, verb_start, verb_end, pattern_id, pattern, attribution, \
         actor1_char_offset, actor2_char_offset, action_char_offset, confidence, parse_relations, \
         place, doc_tone, actor1_place, actor2_place) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, \
         ?38, ?39)",
    )?;
    let mut add_source = tx.prepare_cached(
        "INSERT OR IGNORE INTO event_sources (global_event_id, domain) VALUES (?1, ?2)",
    )?;
    let mut seen_in_doc: BTreeSet<i64> = BTreeSet::new();
    for (e, x) in c.events.iter().zip(&c.mentions) {
        let date = e.date.as_deref().unwrap_or("");
        let target = e.target.as_ref().map_or("", |t| t.code.as_str());
        let in_lead = x.in_lead;
        let place = dyad_export::place_key(e);
        let existing: Option<i64> = find
            .query_row(
                params![date, e.source.code, target, e.code, e.negated, place],
                |r| r.get(0),
            )
            .optional()?;
        let event_id = match existing {
            Some(id) => id,
            None => {
                let rec = EventRecord::first_seen(e, doc, in_lead, dict);
                let mut p: Vec<Box<dyn rusqlite::ToSql + '_>> = vec![
                    Box::new(date),
                    Box::new(e.source.code.as_str()),
                    Box::new(target),
                    Box::new(e.code.as_str()),
                    Box::new(e.label.as_str()),
                    Box::new(place.as_str()),
                    Box::new(e.negated),
                ];
                p.extend(record_params(&rec));
                insert_event.execute(rusqlite::params_from_iter(p.iter()))?;
                sum.events_new += 1;
                tx.last_insert_rowid()
            }
        };
        let t = e.target.as_ref();
        insert_mention.execute(params![
            event_id,
            doc_id,
            e.sentence,
            e.sentence_span.start,
            e.sentence_span.end,
            e.mentions,
            in_lead,
            e.base_code,
            e.negated,
            e.modality,
            e.source.code,
            e.source.name,
            e.source.text,
            e.source.span.start,
            e.source.span.end,
            e.source.entry,
            e.source.antecedent,
            t.map(|a| a.code.as_str()),
            t.map(|a| a.name.as_str()),
            t.map(|a| a.text.as_str()),
            t.map(|a| a.span.start),
            t.map(|a| a.span.end),
            t.map(|a| a.entry.as_str()),
            t.and_then(|a| a.antecedent.as_deref()),
            e.verb.text,
            e.verb.span.start,
            e.verb.span.end,
            e.verb.pattern_id,
            e.verb.pattern,
            x.attribution,
            x.actor1_char_offset,
            x.actor2_char_offset,
            x.action_char_offset,
            x.confidence,
            e.verb.relations,
            x.place,
            e.tone,
            x.actor1_place,
            x.actor2_place,
        ])?;
        let mention_id = tx.last_insert_rowid();
        sum.mentions += 1;
        let d = deltas.entry(event_id).or_default();
        if d.first_mention == 0 {
            d.first_mention = mention_id;
        }
        d.mentions += i64::from(e.mentions);
        if seen_in_doc.insert(event_id) {
            d.articles += 1;
            if add_source.execute(params![event_id, c.domain])? == 1 {
                d.sources += 1;
            }
        }
    }
    Ok(())
}

/// GDELT's AvgTone: the mean tone of the articles that mention the event.
fn update_tone(tx: &Transaction, id: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE events SET avg_tone = (SELECT coalesce(round(avg(t), 4), 0) FROM \
         (SELECT DISTINCT doc_id, doc_tone AS t FROM mentions \
          WHERE global_event_id = ?1 AND doc_tone IS NOT NULL)) WHERE global_event_id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Recounts an event from its mentions after some were deleted; drops it when none are left, and
/// takes GDELT's first-seen fields (names, IsRootEvent, DATEADDED, SOURCEURL) from the earliest
/// remaining mention.
fn recompute_event(tx: &Transaction, id: i64, dict: &Dictionary) -> Result<()> {
    let (n, first): (i64, Option<i64>) = tx.query_row(
        "SELECT count(*), min(mention_id) FROM mentions WHERE global_event_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute("DELETE FROM event_sources WHERE global_event_id = ?1", [id])?;
    let Some(first) = first.filter(|_| n > 0) else {
        tx.execute("DELETE FROM events WHERE global_event_id = ?1", [id])?;
        return Ok(());
    };
    tx.execute(
        "INSERT INTO event_sources (global_event_id, domain) SELECT DISTINCT ?1, d.domain \
         FROM mentions m JOIN documents d ON d.doc_id = m.doc_id WHERE m.global_event_id = ?1",
        [id],
    )?;
    tx.execute(
        "UPDATE events SET \
           num_mentions = (SELECT sum(mention_count) FROM mentions WHERE global_event_id = ?1), \
           num_articles = (SELECT count(DISTINCT doc_id) FROM mentions WHERE global_event_id = ?1), \
           num_sources = (SELECT count(*) FROM event_sources WHERE global_event_id = ?1) \
         WHERE global_event_id = ?1",
        [id],
    )?;
    update_tone(tx, id)?;
    let stored_first: i64 = tx.query_row(
        "SELECT first_mention_id FROM events WHERE global_event_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if stored_first == first {
        return Ok(());
    }
    let (e, in_lead, url, published): (Event, bool, Option<String>, Option<String>) = tx
        .query_row(
            &format!(
                "SELECT {}, m.in_lead, d.url, d.published {}",
                crate::mention::EVENT_COLUMNS,
                crate::mention::EVENT_FROM
            ),
            [first],
            |r| {
                Ok((
                    crate::mention::event_from_row(r)?,
                    r.get(crate::mention::EVENT_COLUMN_COUNT)?,
                    r.get(crate::mention::EVENT_COLUMN_COUNT + 1)?,
                    r.get(crate::mention::EVENT_COLUMN_COUNT + 2)?,
                ))
            },
        )?;
    let doc = Document {
        id: e.doc_id.clone(),
        url,
        published,
        ..Default::default()
    };
    let rec = EventRecord::first_seen(&e, &doc, in_lead, dict);
    let sets: Vec<String> = EVENT_FIELDS
        .split(',')
        .enumerate()
        .map(|(i, f)| format!("{} = ?{}", f.trim(), i + 2))
        .collect();
    let mut p: Vec<Box<dyn rusqlite::ToSql + '_>> = vec![Box::new(id)];
    p.extend(record_params(&rec));
    p.push(Box::new(first));
    tx.execute(
        &format!(
            "UPDATE events SET {}, first_mention_id = ?{} WHERE global_event_id = ?1",
            sets.join(", "),
            sets.len() + 2
        ),
        rusqlite::params_from_iter(p.iter()),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CharIndex;

    #[test]
    fn char_offsets_match_counting() {
        let text = "Kyiv — “Zelenskyy” met Erdoğan. ".repeat(40) + "end";
        let idx = CharIndex::new(&text);
        assert_eq!(idx.total, text.chars().count() as i64);
        for (b, _) in text.char_indices() {
            assert_eq!(
                idx.offset(b as u32),
                text[..b].chars().count() as i64,
                "{b}"
            );
        }
        assert_eq!(idx.offset(text.len() as u32), idx.total);
        let ascii = CharIndex::new("plain text");
        assert_eq!((ascii.offset(5), ascii.total), (5, 10));
    }
}
