//! Output formats: GDELT 2.0 Events (61 columns) and Mentions (16 columns), tab-separated with no
//! header as GDELT publishes them, and PLOVER JSON records.

use dyad_core::{ActorMention, Event};
use dyad_dict::{Dictionary, SECTOR_PREFIXES};
use serde::Serialize;
use std::io::{self, Write};

/// Number of columns of a GDELT 2.0 event row.
pub const GDELT_EVENT_COLUMNS: usize = 61;
/// Number of columns of a GDELT 2.0 mentions row.
pub const GDELT_MENTION_COLUMNS: usize = 16;

/// The parts GDELT splits an actor code into.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ActorParts<'a> {
    pub country: &'a str,
    pub known_group: &'a str,
    pub types: Vec<&'a str>,
}

/// Splits `RUSGOV` into country `RUS` and type `GOV`, `IGOUNO` into type `IGO` and group `UNO`.
pub fn split_actor_code<'a>(code: &'a str, dict: &Dictionary) -> ActorParts<'a> {
    let mut parts = ActorParts::default();
    let units = (0..code.len() / 3).filter_map(|i| code.get(i * 3..i * 3 + 3));
    for (i, u) in units.enumerate() {
        let is_type = dict.actor_types.contains(u);
        let is_group = dict.known_groups.contains(u);
        if i == 0 && !is_type && !SECTOR_PREFIXES.contains(&u) && !is_group {
            parts.country = u;
        } else if is_group
            && (!is_type || i > 0)
            && parts.known_group.is_empty()
            && !SECTOR_PREFIXES.contains(&u)
        {
            parts.known_group = u;
        } else if parts.types.len() < 3 {
            parts.types.push(u);
        }
    }
    parts
}

/// What a GDELT event row needs beyond the event itself.
#[derive(Debug, Clone)]
pub struct GdeltContext<'a> {
    pub global_event_id: u64,
    pub num_mentions: u32,
    pub num_sources: u32,
    pub num_articles: u32,
    pub is_root: bool,
    /// `YYYYMMDDHHMMSS`.
    pub date_added: &'a str,
    pub source_url: &'a str,
}

/// `YYYY-MM-DD` -> (SQLDATE, MonthYear, Year, FractionDate) as GDELT writes them.
fn gdelt_dates(date: Option<&str>) -> (String, String, String, String) {
    let Some(d) = date.filter(|d| d.len() >= 10) else {
        return Default::default();
    };
    let (y, m, day) = (&d[0..4], &d[5..7], &d[8..10]);
    let (yn, mn, dn): (f64, f64, f64) = (
        y.parse().unwrap_or(0.0),
        m.parse().unwrap_or(0.0),
        day.parse().unwrap_or(0.0),
    );
    // GDELT's own approximation: year + (month * 30 + day) / 365.
    let fraction = yn + (mn * 30.0 + dn) / 365.0;
    (
        format!("{y}{m}{day}"),
        format!("{y}{m}"),
        y.to_string(),
        format!("{fraction:.4}"),
    )
}

fn clean(field: &str) -> String {
    field.replace(['\t', '\n', '\r'], " ")
}

fn actor_fields(a: Option<&ActorMention>, dict: &Dictionary, out: &mut Vec<String>) {
    let Some(a) = a else {
        out.extend(std::iter::repeat_n(String::new(), 10));
        return;
    };
    let p = split_actor_code(&a.code, dict);
    out.push(a.code.clone());
    out.push(clean(&a.name.to_uppercase()));
    out.push(p.country.to_string());
    out.push(p.known_group.to_string());
    out.push(String::new()); // ethnic
    out.push(String::new()); // religion 1
    out.push(String::new()); // religion 2
    for i in 0..3 {
        out.push(p.types.get(i).map(|t| t.to_string()).unwrap_or_default());
    }
}

/// The 61 fields of a GDELT 2.0 event row.
pub fn gdelt_event_fields(e: &Event, ctx: &GdeltContext, dict: &Dictionary) -> Vec<String> {
    let mut f = Vec::with_capacity(GDELT_EVENT_COLUMNS);
    let (sqldate, month_year, year, fraction) = gdelt_dates(e.date.as_deref());
    f.push(ctx.global_event_id.to_string());
    f.extend([sqldate, month_year, year, fraction]);
    actor_fields(Some(&e.source), dict, &mut f);
    actor_fields(e.target.as_ref(), dict, &mut f);
    f.push(u8::from(ctx.is_root).to_string());
    f.push(e.code.clone());
    f.push(e.code.get(..3).unwrap_or(&e.code).to_string());
    f.push(e.root().to_string());
    f.push(e.quad_class.to_string());
    f.push(format!("{:.1}", e.goldstein));
    f.push(ctx.num_mentions.to_string());
    f.push(ctx.num_sources.to_string());
    f.push(ctx.num_articles.to_string());
    f.push(records::format_tone(e.tone.unwrap_or(0.0)));
    records::GeoColumns::of(e.source.place.as_ref()).push_fields(&mut f);
    records::GeoColumns::of(e.target.as_ref().and_then(|t| t.place.as_ref())).push_fields(&mut f);
    records::GeoColumns::of(e.place.as_ref()).push_fields(&mut f);
    f.push(ctx.date_added.to_string());
    f.push(clean(ctx.source_url));
    debug_assert_eq!(f.len(), GDELT_EVENT_COLUMNS);
    f
}

/// Writes one GDELT 2.0 event line.
pub fn write_gdelt_event(
    w: &mut impl Write,
    e: &Event,
    ctx: &GdeltContext,
    dict: &Dictionary,
) -> io::Result<()> {
    writeln!(w, "{}", gdelt_event_fields(e, ctx, dict).join("\t"))
}

/// What a GDELT mentions row needs beyond the event.
#[derive(Debug, Clone)]
pub struct MentionContext<'a> {
    pub global_event_id: u64,
    pub event_time: &'a str,
    pub mention_time: &'a str,
    pub source_name: &'a str,
    pub identifier: &'a str,
    /// The document text, for character offsets and length.
    pub doc_text: &'a str,
}

fn char_offset(text: &str, byte: u32) -> usize {
    text.get(..byte as usize).map_or(0, |t| t.chars().count())
}

/// The 16 fields of a GDELT 2.0 mentions row.
pub fn gdelt_mention_fields(e: &Event, ctx: &MentionContext) -> Vec<String> {
    let confidence = if e.negated {
        20
    } else if e.modality.is_some() {
        50
    } else {
        100
    };
    vec![
        ctx.global_event_id.to_string(),
        ctx.event_time.to_string(),
        ctx.mention_time.to_string(),
        "1".into(),
        clean(ctx.source_name),
        clean(ctx.identifier),
        (e.sentence + 1).to_string(),
        char_offset(ctx.doc_text, e.source.span.start).to_string(),
        e.target.as_ref().map_or("-1".into(), |t| {
            char_offset(ctx.doc_text, t.span.start).to_string()
        }),
        char_offset(ctx.doc_text, e.verb.span.start).to_string(),
        "1".into(),
        confidence.to_string(),
        ctx.doc_text.chars().count().to_string(),
        records::format_tone(e.tone.unwrap_or(0.0)),
        String::new(),
        String::new(),
    ]
}

/// A PLOVER event record, with the actors as the PLOVER gold standard records list them.
#[derive(Debug, Serialize)]
pub struct PloverRecord<'a> {
    pub id: String,
    pub date: Option<&'a str>,
    pub event: &'a str,
    pub mode: &'a str,
    pub context: &'a str,
    pub source: Vec<PloverActor<'a>>,
    pub target: Vec<PloverActor<'a>>,
    pub event_text: &'a str,
    pub text: &'a str,
    pub cameo: &'a str,
    pub negated: bool,
    pub modality: Option<&'a str>,
    pub doc_id: &'a str,
    pub sentence: u32,
    /// Where it happened (the gazetteer's place, as in the JSONL event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<&'a dyad_core::EventPlace>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PloverActor<'a> {
    pub actor_text: &'a str,
    pub code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub sector: &'a str,
}

fn plover_actor<'a>(a: &'a ActorMention, dict: &Dictionary) -> PloverActor<'a> {
    let p = split_actor_code(&a.code, dict);
    let head = if p.country.is_empty() {
        a.code.get(..3).unwrap_or(&a.code)
    } else {
        p.country
    };
    PloverActor {
        actor_text: &a.text,
        code: head,
        sector: a.code.get(3..6).unwrap_or(""),
    }
}

/// The PLOVER record of an event, or `None` for codes PLOVER leaves out (01x statements).
pub fn plover_record<'a>(
    e: &'a Event,
    index: usize,
    dict: &'a Dictionary,
) -> Option<PloverRecord<'a>> {
    let t = dict.plover.of(&e.code)?;
    Some(PloverRecord {
        id: format!("{}-{}-{}", e.doc_id, e.sentence, index),
        date: e.date.as_deref(),
        event: &t.event,
        mode: &t.mode,
        context: &t.context,
        source: [&e.source]
            .into_iter()
            .filter(|a| !a.code.is_empty())
            .map(|a| plover_actor(a, dict))
            .collect(),
        target: e.target.iter().map(|a| plover_actor(a, dict)).collect(),
        event_text: &e.verb.text,
        text: &e.sentence_text,
        cameo: &e.code,
        negated: e.negated,
        modality: e.modality.as_deref(),
        doc_id: &e.doc_id,
        sentence: e.sentence,
        location: e.place.as_ref(),
    })
}

mod documents;
mod parquet_dataset;
mod records;
pub use documents::{content_hash, document_key, domain_of, place_key};
pub use parquet_dataset::{
    columns as parquet_columns, Getter as ParquetGetter, Kind as ParquetKind, ParquetDataset,
    ParquetSummary, Val as ParquetValue, PARQUET_COLUMNS,
};
pub use records::*;
