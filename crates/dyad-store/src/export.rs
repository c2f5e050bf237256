//! Exports of stored events: GDELT 2.0 events and mentions, JSONL with full provenance, a Parquet
//! dataset partitioned by date, PLOVER records. Every export is ordered by GLOBALEVENTID (then
//! mention), so the same store gives the same bytes. Events reported as not happening (negated)
//! never reach GDELT, Parquet or PLOVER output; JSONL has them only with
//! [`Filter::include_negated`].

use crate::query::{record_from_row, RECORD_COLUMNS};
use crate::{mention, Filter, Result, Store};
use dyad_core::Event;
use dyad_dict::Dictionary;
use dyad_export::{EventRecord, MentionRecord, ParquetDataset};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// GDELT 2.0 events: 61 tab-separated columns, no header.
    GdeltEvents,
    /// GDELT 2.0 mentions: 16 tab-separated columns, no header.
    GdeltMentions,
    /// One JSON object per event: the GDELT fields plus every mention with its provenance.
    Jsonl,
    /// A Parquet dataset (a directory) partitioned by `year=YYYY/month=MM`.
    Parquet,
    /// PLOVER JSON records, one per event.
    Plover,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Lines (or Parquet rows) written.
    pub rows: u64,
    /// Parquet files written.
    pub files: u64,
    /// Events left out: no date (Parquet) or no PLOVER equivalent.
    pub skipped: u64,
}

#[derive(Serialize)]
struct JsonDoc {
    id: String,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
    domain: String,
    published: Option<String>,
}

#[derive(Serialize)]
struct JsonMention {
    mention_id: i64,
    document: JsonDoc,
    sentence: u32,
    sentence_text: String,
    /// Sentences of the document that carry the event.
    mention_count: u32,
    in_lead: bool,
    confidence: u8,
    actor1_char_offset: i64,
    actor2_char_offset: i64,
    action_char_offset: i64,
    /// The coded event with its provenance (actors' dictionary entries, verb pattern, spans,
    /// attribution), as `dyad code` writes it.
    event: Event,
}

#[derive(Serialize)]
struct JsonEvent {
    #[serde(flatten)]
    record: EventRecord,
    negated: bool,
    mentions: Vec<JsonMention>,
}

impl Store {
    /// Calls `each` with every event record matching `f` (never negated ones unless
    /// `allow_negated` and the filter asks), in id order.
    fn for_each_record(
        &self,
        f: &Filter,
        allow_negated: bool,
        mut each: impl FnMut(EventRecord, bool, i64) -> Result<()>,
    ) -> Result<()> {
        let mut f = f.clone();
        f.include_negated &= allow_negated;
        let (clause, params) = f.to_sql()?;
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM events e WHERE {clause} ORDER BY e.global_event_id{}",
            f.limit_sql()
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let (rec, negated, first) = record_from_row(r)?;
            each(rec, negated, first)?;
        }
        Ok(())
    }

    /// GDELT 2.0 event lines.
    pub fn export_gdelt_events(&self, f: &Filter, w: &mut impl Write) -> Result<ExportSummary> {
        let mut s = ExportSummary::default();
        self.for_each_record(f, false, |rec, _, _| {
            dyad_export::write_gdelt_record(w, &rec)?;
            s.rows += 1;
            Ok(())
        })?;
        Ok(s)
    }

    /// GDELT 2.0 mentions lines: one per article and sentence mentioning each event.
    pub fn export_gdelt_mentions(&self, f: &Filter, w: &mut impl Write) -> Result<ExportSummary> {
        let mut f = f.clone();
        f.include_negated = false;
        let (clause, params) = f.to_sql()?;
        let sql = format!(
            "SELECT e.global_event_id, e.date_added, d.date_added, d.domain, d.url, d.id, \
             m.sentence_index, m.actor1_char_offset, m.actor2_char_offset, m.action_char_offset, \
             m.confidence, d.char_length \
             FROM (SELECT * FROM events e WHERE {clause} ORDER BY e.global_event_id{}) e \
             JOIN mentions m ON m.global_event_id = e.global_event_id \
             JOIN documents d ON d.doc_id = m.doc_id \
             ORDER BY e.global_event_id, m.mention_id",
            f.limit_sql()
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut s = ExportSummary::default();
        let stamp = |v: Option<i64>| v.map(|d| d.to_string()).unwrap_or_default();
        while let Some(r) = rows.next()? {
            let url: Option<String> = r.get(4)?;
            let id: String = r.get(5)?;
            let m = MentionRecord {
                global_event_id: r.get::<_, i64>(0)? as u64,
                event_time_date: stamp(r.get(1)?),
                mention_time_date: stamp(r.get(2)?),
                // 1 WEB when the article has a URL, else 2 CITATIONONLY.
                mention_type: if url.is_some() { 1 } else { 2 },
                mention_source_name: r.get(3)?,
                mention_identifier: url.unwrap_or(id),
                sentence_id: r.get::<_, u32>(6)? + 1,
                actor1_char_offset: r.get(7)?,
                actor2_char_offset: r.get(8)?,
                action_char_offset: r.get(9)?,
                in_raw_text: true,
                confidence: r.get(10)?,
                mention_doc_len: r.get::<_, i64>(11)? as u64,
                mention_doc_tone: 0.0,
            };
            dyad_export::write_gdelt_mention(w, &m)?;
            s.rows += 1;
        }
        Ok(s)
    }

    /// One JSON object per event with every mention and its provenance.
    pub fn export_jsonl(&self, f: &Filter, w: &mut impl Write) -> Result<ExportSummary> {
        let mut s = ExportSummary::default();
        let mut st = self.conn.prepare(&format!(
            "SELECT {}, m.mention_id, d.url, d.title, d.source, d.domain, d.published, m.in_lead, \
             m.confidence, m.actor1_char_offset, m.actor2_char_offset, m.action_char_offset \
             FROM mentions m JOIN events e ON e.global_event_id = m.global_event_id \
             JOIN documents d ON d.doc_id = m.doc_id \
             WHERE m.global_event_id = ?1 ORDER BY m.mention_id",
            mention::EVENT_COLUMNS
        ))?;
        self.for_each_record(f, true, |record, negated, _| {
            let mut mentions = Vec::new();
            let mut rows = st.query([record.global_event_id as i64])?;
            while let Some(r) = rows.next()? {
                let e = mention::event_from_row(r)?;
                let c = mention::EVENT_COLUMN_COUNT;
                mentions.push(JsonMention {
                    mention_id: r.get(c)?,
                    document: JsonDoc {
                        id: e.doc_id.clone(),
                        url: r.get(c + 1)?,
                        title: r.get(c + 2)?,
                        source: r.get(c + 3)?,
                        domain: r.get(c + 4)?,
                        published: r.get(c + 5)?,
                    },
                    sentence: e.sentence,
                    sentence_text: e.sentence_text.clone(),
                    mention_count: e.mentions,
                    in_lead: r.get(c + 6)?,
                    confidence: r.get(c + 7)?,
                    actor1_char_offset: r.get(c + 8)?,
                    actor2_char_offset: r.get(c + 9)?,
                    action_char_offset: r.get(c + 10)?,
                    event: e,
                });
            }
            let line = JsonEvent {
                record,
                negated,
                mentions,
            };
            dyad_export::write_jsonl(w, &line)?;
            s.rows += 1;
            Ok(())
        })?;
        Ok(s)
    }

    /// PLOVER records, one per event, from its first-seen mention; events PLOVER has no type
    /// for (CAMEO 01x statements) are skipped.
    pub fn export_plover(
        &self,
        f: &Filter,
        dict: &Dictionary,
        w: &mut impl Write,
    ) -> Result<ExportSummary> {
        let mut s = ExportSummary::default();
        let mut st = self.conn.prepare(&format!(
            "SELECT {} {}",
            mention::EVENT_COLUMNS,
            mention::EVENT_FROM
        ))?;
        self.for_each_record(f, false, |rec, _, first| {
            let e = st.query_row([first], mention::event_from_row)?;
            match dyad_export::plover_record(&e, 0, dict) {
                Some(mut p) => {
                    p.id = rec.global_event_id.to_string();
                    dyad_export::write_jsonl(w, &p)?;
                    s.rows += 1;
                }
                None => s.skipped += 1,
            }
            Ok(())
        })?;
        Ok(s)
    }

    /// A Parquet dataset in the new directory `dir`.
    /// With `overwrite`, a dataset already in `dir` is replaced (nothing else is removed).
    pub fn export_parquet(&self, f: &Filter, dir: &Path, overwrite: bool) -> Result<ExportSummary> {
        let mut ds = ParquetDataset::create_in(dir, overwrite)?;
        self.for_each_record(f, false, |rec, _, _| {
            ds.write(rec)?;
            Ok(())
        })?;
        let p = ds.finish()?;
        Ok(ExportSummary {
            rows: p.rows,
            files: p.files,
            skipped: p.undated,
        })
    }
}
