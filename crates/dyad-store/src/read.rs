//! Reads for browsing: a page of events with its total, one event with all its mentions, one
//! document with the spans of everything coded in it.

use crate::mention::{event_from_row, EVENT_COLUMNS, EVENT_COLUMN_COUNT};
use crate::query::{record_from_row, RECORD_COLUMNS, RECORD_COLUMN_COUNT};
use crate::{Filter, Result, Store};
use dyad_core::Event;
use dyad_export::EventRecord;
use rusqlite::OptionalExtension;

/// The column a page of events is ordered by (then by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Id,
    Date,
    Code,
    Goldstein,
    Mentions,
    Articles,
}

impl SortKey {
    pub const NAMES: [&'static str; 6] =
        ["id", "date", "code", "goldstein", "mentions", "articles"];

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "id" => SortKey::Id,
            "date" => SortKey::Date,
            "code" => SortKey::Code,
            "goldstein" => SortKey::Goldstein,
            "mentions" => SortKey::Mentions,
            "articles" => SortKey::Articles,
            _ => return None,
        })
    }

    fn column(self) -> &'static str {
        match self {
            SortKey::Id => "e.global_event_id",
            SortKey::Date => "e.event_date",
            SortKey::Code => "e.event_code",
            SortKey::Goldstein => "e.goldstein_scale",
            SortKey::Mentions => "e.num_mentions",
            SortKey::Articles => "e.num_articles",
        }
    }
}

/// Which slice of the matching events to read.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: u64,
    pub limit: u64,
    pub sort: SortKey,
    pub descending: bool,
}

/// A stored event with what a list shows of it.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub record: EventRecord,
    pub label: String,
    pub negated: bool,
    /// The first sentence mentioning it, and its document's row id.
    pub sentence: String,
    pub doc: i64,
}

/// One mention of an event in a stored document, with the coder's full provenance.
#[derive(Debug, Clone)]
pub struct StoredMention {
    pub mention_id: i64,
    pub event_id: i64,
    pub doc: i64,
    pub doc_title: Option<String>,
    pub doc_url: Option<String>,
    pub in_lead: bool,
    pub event: Event,
}

/// A stored document with its sentences and mentions.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub doc: i64,
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub text: String,
    /// Byte spans `[start, end]` of the sentences in `text`.
    pub sentences: Vec<[u32; 2]>,
    pub mentions: Vec<StoredMention>,
}

/// Selects what [`event_row`] reads: an event with its first mention's sentence and document.
fn event_row_sql() -> String {
    format!(
        "SELECT {RECORD_COLUMNS}, e.event_label, {}, m.doc_id FROM events e \
         JOIN mentions m ON m.mention_id = e.first_mention_id \
         JOIN documents d ON d.doc_id = m.doc_id",
        crate::mention::sentence_text_sql!()
    )
}

fn event_row(r: &rusqlite::Row) -> rusqlite::Result<EventRow> {
    let (record, negated, _) = record_from_row(r)?;
    Ok(EventRow {
        record,
        negated,
        label: r.get(RECORD_COLUMN_COUNT)?,
        sentence: r.get(RECORD_COLUMN_COUNT + 1)?,
        doc: r.get(RECORD_COLUMN_COUNT + 2)?,
    })
}

/// Selects what [`stored_mention`] reads.
fn mention_sql() -> String {
    format!(
        "SELECT {EVENT_COLUMNS}, m.mention_id, m.global_event_id, m.doc_id, \
         d.title, d.url, m.in_lead FROM mentions m \
         JOIN events e ON e.global_event_id = m.global_event_id \
         JOIN documents d ON d.doc_id = m.doc_id"
    )
}

fn stored_mention(r: &rusqlite::Row) -> rusqlite::Result<StoredMention> {
    let n = EVENT_COLUMN_COUNT;
    Ok(StoredMention {
        event: event_from_row(r)?,
        mention_id: r.get(n)?,
        event_id: r.get(n + 1)?,
        doc: r.get(n + 2)?,
        doc_title: r.get(n + 3)?,
        doc_url: r.get(n + 4)?,
        in_lead: r.get(n + 5)?,
    })
}

impl Store {
    /// Rows in documents, events and mentions, counted on indexes (no table scan): cheap enough
    /// for a health check.
    pub fn row_counts(&self) -> Result<(u64, u64, u64)> {
        let one = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok((
            one("SELECT count(*) FROM documents INDEXED BY documents_id")?,
            one("SELECT count(*) FROM events INDEXED BY events_root")?,
            one("SELECT count(*) FROM mentions INDEXED BY mentions_doc")?,
        ))
    }

    /// How many events match `f` (its limit aside).
    pub fn count(&self, f: &Filter) -> Result<u64> {
        let (clause, params) = f.to_sql()?;
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM events e WHERE {clause}"),
            rusqlite::params_from_iter(params),
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// One page of the events matching `f`, and how many match in all.
    pub fn events_page(&self, f: &Filter, page: Page) -> Result<(u64, Vec<EventRow>)> {
        let total = self.count(f)?;
        let (clause, params) = f.to_sql()?;
        let dir = if page.descending { "DESC" } else { "ASC" };
        let sql = format!(
            "{} WHERE {clause} ORDER BY {} {dir}, e.global_event_id {dir} LIMIT {} OFFSET {}",
            event_row_sql(),
            page.sort.column(),
            page.limit,
            page.offset
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(params), event_row)?;
        Ok((total, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// An event by its GLOBALEVENTID, with its first `mention_limit` mentions in id order (an
    /// event in the news for weeks has thousands).
    pub fn event(
        &self,
        id: i64,
        mention_limit: u64,
    ) -> Result<Option<(EventRow, Vec<StoredMention>)>> {
        let sql = format!("{} WHERE e.global_event_id = ?1", event_row_sql());
        let Some(row) = self.conn.query_row(&sql, [id], event_row).optional()? else {
            return Ok(None);
        };
        let mut st = self.conn.prepare_cached(&format!(
            "{} WHERE m.global_event_id = ?1 ORDER BY m.mention_id LIMIT ?2",
            mention_sql()
        ))?;
        let mentions = st.query_map(rusqlite::params![id, mention_limit as i64], stored_mention)?;
        Ok(Some((row, mentions.collect::<rusqlite::Result<_>>()?)))
    }

    /// A document by its row id, with its sentences and mentions in text order.
    pub fn document(&self, doc: i64) -> Result<Option<StoredDocument>> {
        type Head = (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
        );
        let head: Option<Head> = self
            .conn
            .query_row(
                "SELECT id, title, url, published, source, text, sentence_spans FROM documents WHERE doc_id = ?1",
                [doc],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .optional()?;
        let Some((id, title, url, published, source, text, spans)) = head else {
            return Ok(None);
        };
        let sentences: Vec<[u32; 2]> = serde_json::from_str(&spans)?;
        let mut st = self.conn.prepare_cached(&format!(
            "{} WHERE m.doc_id = ?1 ORDER BY m.sentence_index, m.mention_id",
            mention_sql()
        ))?;
        let mentions = st
            .query_map([doc], stored_mention)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(StoredDocument {
            doc,
            id,
            title,
            url,
            published,
            source,
            text,
            sentences,
            mentions,
        }))
    }
}

/// Events between two actors, for a network view.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadRow {
    pub source: String,
    pub target: String,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_sum: f64,
}

/// A place on the map: the events matching a filter that happened there, per QuadClass.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub name: String,
    pub geo_type: u8,
    pub country_code: String,
    pub adm1: String,
    pub feature_id: String,
    pub lat: f64,
    pub lon: f64,
    pub events: u64,
    /// Events of QuadClass 1 to 4.
    pub by_quad: [u64; 4],
}

impl Store {
    /// The `limit` places with most events matching `f`, most first.
    pub fn places(&self, f: &Filter, limit: u64) -> Result<Vec<PlaceRow>> {
        let (clause, params) = f.to_sql()?;
        let sql = format!(
            "SELECT e.action_geo_fullname, e.action_geo_type, e.action_geo_country_code, \
             e.action_geo_adm1_code, e.action_geo_feature_id, e.action_geo_lat, e.action_geo_long, \
             count(*), sum(e.quad_class = 1), sum(e.quad_class = 2), sum(e.quad_class = 3), \
             sum(e.quad_class = 4) \
             FROM events e WHERE e.action_geo_type > 0 AND {clause} \
             GROUP BY e.action_geo_type, e.action_geo_feature_id ORDER BY 8 DESC, 1 LIMIT {limit}"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(params), |r| {
            let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)? as u64) };
            Ok(PlaceRow {
                name: r.get(0)?,
                geo_type: r.get(1)?,
                country_code: r.get(2)?,
                adm1: r.get(3)?,
                feature_id: r.get(4)?,
                lat: r.get(5)?,
                lon: r.get(6)?,
                events: n(7)?,
                by_quad: [n(8)?, n(9)?, n(10)?, n(11)?],
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The `limit` dyads with most events matching `f` (events with a target only), most first.
    pub fn dyads(&self, f: &Filter, limit: u64) -> Result<Vec<DyadRow>> {
        let (clause, params) = f.to_sql()?;
        let sql = format!(
            "SELECT e.actor1_code, e.actor2_code, count(*), sum(e.num_mentions), sum(e.goldstein_scale) \
             FROM events e WHERE e.actor2_code != '' AND e.actor1_code != '' AND {clause} \
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT {limit}"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(DyadRow {
                source: r.get(0)?,
                target: r.get(1)?,
                events: r.get::<_, i64>(2)? as u64,
                mentions: r.get::<_, i64>(3)? as u64,
                goldstein_sum: (r.get::<_, f64>(4)? * 10.0).round() / 10.0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
