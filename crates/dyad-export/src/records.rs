//! Typed GDELT 2.0 event and mention records, for stores and columnar exports.
//!
//! A record is built from an [`Event`] with [`gdelt_event_fields`] / [`gdelt_mention_fields`], so a
//! record written back as a TSV line is byte for byte what those functions write; a store keeps the
//! typed fields and can update the counts (NumMentions, NumSources, NumArticles) as articles come.

use crate::{gdelt_dates, gdelt_event_fields, gdelt_mention_fields, GdeltContext, MentionContext};
use crate::{GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The ten GDELT columns of one actor; empty strings where unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorColumns {
    pub code: String,
    pub name: String,
    pub country_code: String,
    pub known_group_code: String,
    pub ethnic_code: String,
    pub religion1_code: String,
    pub religion2_code: String,
    pub type1_code: String,
    pub type2_code: String,
    pub type3_code: String,
}

impl ActorColumns {
    fn from_fields(f: &[String]) -> Self {
        ActorColumns {
            code: f[0].clone(),
            name: f[1].clone(),
            country_code: f[2].clone(),
            known_group_code: f[3].clone(),
            ethnic_code: f[4].clone(),
            religion1_code: f[5].clone(),
            religion2_code: f[6].clone(),
            type1_code: f[7].clone(),
            type2_code: f[8].clone(),
            type3_code: f[9].clone(),
        }
    }

    fn push_fields(&self, out: &mut Vec<String>) {
        out.extend([
            self.code.clone(),
            self.name.clone(),
            self.country_code.clone(),
            self.known_group_code.clone(),
            self.ethnic_code.clone(),
            self.religion1_code.clone(),
            self.religion2_code.clone(),
            self.type1_code.clone(),
            self.type2_code.clone(),
            self.type3_code.clone(),
        ]);
    }
}

/// The eight GDELT columns of one place (Actor1Geo, Actor2Geo or ActionGeo); `geo_type` 0 and
/// empty strings where no place is known (written as empty columns).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GeoColumns {
    /// 1 country, 2 US state, 3 US city, 4 world city, 5 world state; 0 none.
    pub geo_type: u8,
    pub full_name: String,
    /// FIPS 10-4 country code.
    pub country_code: String,
    pub adm1_code: String,
    pub adm2_code: String,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub feature_id: String,
}

impl GeoColumns {
    /// The columns of a coded place.
    pub fn of(p: Option<&dyad_core::EventPlace>) -> Self {
        let Some(p) = p else {
            return GeoColumns::default();
        };
        GeoColumns {
            geo_type: p.geo_type,
            full_name: p.name.clone(),
            country_code: p.country_code.clone(),
            adm1_code: p.adm1.clone(),
            adm2_code: p.adm2.clone(),
            lat: Some(p.lat),
            long: Some(p.lon),
            feature_id: p.feature_id.clone(),
        }
    }

    pub fn push_fields(&self, out: &mut Vec<String>) {
        if self.geo_type == 0 {
            out.extend(std::iter::repeat_n(String::new(), 8));
            return;
        }
        let coord = |x: Option<f64>| x.map_or_else(String::new, |x| format!("{x:.4}"));
        out.extend([
            self.geo_type.to_string(),
            crate::clean(&self.full_name),
            self.country_code.clone(),
            self.adm1_code.clone(),
            self.adm2_code.clone(),
            coord(self.lat),
            coord(self.long),
            self.feature_id.clone(),
        ]);
    }
}

/// One GDELT 2.0 event record with typed fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub global_event_id: u64,
    /// Event date `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    pub actor1: ActorColumns,
    pub actor2: ActorColumns,
    pub is_root_event: bool,
    pub event_code: String,
    pub event_base_code: String,
    pub event_root_code: String,
    pub quad_class: u8,
    pub goldstein_scale: f64,
    pub num_mentions: u32,
    pub num_sources: u32,
    pub num_articles: u32,
    pub avg_tone: f64,
    #[serde(default)]
    pub actor1_geo: GeoColumns,
    #[serde(default)]
    pub actor2_geo: GeoColumns,
    #[serde(default)]
    pub action_geo: GeoColumns,
    /// `YYYYMMDDHHMMSS` (UTC), empty when unknown.
    pub date_added: String,
    pub source_url: String,
}

impl EventRecord {
    /// The record of `e` in context: the same values [`gdelt_event_fields`] writes.
    pub fn from_event(e: &Event, ctx: &GdeltContext, dict: &Dictionary) -> Self {
        let f = gdelt_event_fields(e, ctx, dict);
        EventRecord {
            global_event_id: ctx.global_event_id,
            date: e.date.clone().filter(|d| d.len() >= 10),
            actor1: ActorColumns::from_fields(&f[5..15]),
            actor2: ActorColumns::from_fields(&f[15..25]),
            is_root_event: ctx.is_root,
            event_code: f[26].clone(),
            event_base_code: f[27].clone(),
            event_root_code: f[28].clone(),
            quad_class: e.quad_class,
            goldstein_scale: f[30].parse().unwrap_or(0.0),
            num_mentions: ctx.num_mentions,
            num_sources: ctx.num_sources,
            num_articles: ctx.num_articles,
            avg_tone: e.tone.unwrap_or(0.0),
            actor1_geo: GeoColumns::of(e.source.place.as_ref()),
            actor2_geo: GeoColumns::of(e.target.as_ref().and_then(|t| t.place.as_ref())),
            action_geo: GeoColumns::of(e.place.as_ref()),
            date_added: ctx.date_added.to_string(),
            source_url: f[60].clone(),
        }
    }

    /// `SQLDATE` as a number (`20170707`), when the date is known.
    pub fn sql_date(&self) -> Option<i32> {
        let (d, _, _, _) = gdelt_dates(self.date.as_deref());
        d.parse().ok()
    }

    /// The 61 fields of the GDELT 2.0 event row.
    pub fn gdelt_fields(&self) -> Vec<String> {
        let mut f = Vec::with_capacity(GDELT_EVENT_COLUMNS);
        let (sqldate, month_year, year, fraction) = gdelt_dates(self.date.as_deref());
        f.push(self.global_event_id.to_string());
        f.extend([sqldate, month_year, year, fraction]);
        self.actor1.push_fields(&mut f);
        self.actor2.push_fields(&mut f);
        f.push(u8::from(self.is_root_event).to_string());
        f.push(self.event_code.clone());
        f.push(self.event_base_code.clone());
        f.push(self.event_root_code.clone());
        f.push(self.quad_class.to_string());
        f.push(format!("{:.1}", self.goldstein_scale));
        f.push(self.num_mentions.to_string());
        f.push(self.num_sources.to_string());
        f.push(self.num_articles.to_string());
        f.push(format_tone(self.avg_tone));
        self.actor1_geo.push_fields(&mut f);
        self.actor2_geo.push_fields(&mut f);
        self.action_geo.push_fields(&mut f);
        f.push(self.date_added.clone());
        f.push(crate::clean(&self.source_url));
        debug_assert_eq!(f.len(), GDELT_EVENT_COLUMNS);
        f
    }
}

pub(crate) fn format_tone(t: f64) -> String {
    if t == 0.0 {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Writes one GDELT 2.0 event line from a record.
pub fn write_gdelt_record(w: &mut impl Write, r: &EventRecord) -> io::Result<()> {
    writeln!(w, "{}", r.gdelt_fields().join("\t"))
}

/// One GDELT 2.0 mentions row with typed fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub global_event_id: u64,
    pub event_time_date: String,
    pub mention_time_date: String,
    pub mention_type: u8,
    pub mention_source_name: String,
    pub mention_identifier: String,
    /// 1-based.
    pub sentence_id: u32,
    /// Character (not byte) offsets into the document text; -1 where there is no actor 2.
    pub actor1_char_offset: i64,
    pub actor2_char_offset: i64,
    pub action_char_offset: i64,
    pub in_raw_text: bool,
    pub confidence: u8,
    pub mention_doc_len: u64,
    pub mention_doc_tone: f64,
}

impl MentionRecord {
    /// The record of `e` in context: the same values [`gdelt_mention_fields`] writes.
    pub fn from_event(e: &Event, ctx: &MentionContext) -> Self {
        let f = gdelt_mention_fields(e, ctx);
        MentionRecord {
            global_event_id: ctx.global_event_id,
            event_time_date: ctx.event_time.to_string(),
            mention_time_date: ctx.mention_time.to_string(),
            mention_type: f[3].parse().unwrap_or(1),
            mention_source_name: f[4].clone(),
            mention_identifier: f[5].clone(),
            sentence_id: f[6].parse().unwrap_or(0),
            actor1_char_offset: f[7].parse().unwrap_or(-1),
            actor2_char_offset: f[8].parse().unwrap_or(-1),
            action_char_offset: f[9].parse().unwrap_or(-1),
            in_raw_text: f[10] == "1",
            confidence: f[11].parse().unwrap_or(0),
            mention_doc_len: f[12].parse().unwrap_or(0),
            mention_doc_tone: e.tone.unwrap_or(0.0),
        }
    }

    /// The 16 fields of the GDELT 2.0 mentions row.
    pub fn gdelt_fields(&self) -> Vec<String> {
        let f = vec![
            self.global_event_id.to_string(),
            self.event_time_date.clone(),
            self.mention_time_date.clone(),
            self.mention_type.to_string(),
            crate::clean(&self.mention_source_name),
            crate::clean(&self.mention_identifier),
            self.sentence_id.to_string(),
            self.actor1_char_offset.to_string(),
            self.actor2_char_offset.to_string(),
            self.action_char_offset.to_string(),
            u8::from(self.in_raw_text).to_string(),
            self.confidence.to_string(),
            self.mention_doc_len.to_string(),
            format_tone(self.mention_doc_tone),
            String::new(),
            String::new(),
        ];
        debug_assert_eq!(f.len(), GDELT_MENTION_COLUMNS);
        f
    }
}

/// GDELT's Confidence of a mention: 100, 50 for a modal or intended event ("may", "plans to"),
/// 20 for a negated one (the values [`gdelt_mention_fields`] writes).
pub fn mention_confidence(e: &Event) -> u8 {
    if e.negated {
        20
    } else if e.modality.is_some() {
        50
    } else {
        100
    }
}

/// Writes one GDELT 2.0 mentions line.
pub fn write_gdelt_mention(w: &mut impl Write, r: &MentionRecord) -> io::Result<()> {
    writeln!(w, "{}", r.gdelt_fields().join("\t"))
}

/// Writes `value` as one JSON line.
pub fn write_jsonl<T: Serialize + ?Sized>(w: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    w.write_all(b"\n")
}

/// `YYYYMMDDHHMMSS` in UTC from an ISO 8601 timestamp or date (`2017-07-07T13:53:00-05:00` gives
/// `20170707185300`); a timestamp without offset is taken as UTC; empty when there is no date.
pub fn gdelt_timestamp_utc(published: Option<&str>) -> String {
    let p = published.unwrap_or("").trim();
    let digits: Vec<u32> = p
        .chars()
        .take_while(|c| !matches!(c, '+' | 'Z' | 'z'))
        .filter_map(|c| c.to_digit(10))
        .collect();
    if digits.len() < 8 {
        return String::new();
    }
    let num = |r: std::ops::Range<usize>| -> i64 {
        r.filter_map(|i| digits.get(i))
            .fold(0i64, |a, d| a * 10 + i64::from(*d))
    };
    let (y, mo, d) = (num(0..4), num(4..6), num(6..8));
    let (h, mi, s) = if digits.len() >= 14 {
        (num(8..10), num(10..12), num(12..14))
    } else if digits.len() >= 12 {
        (num(8..10), num(10..12), 0)
    } else {
        (0, 0, 0)
    };
    // Offset: `+HH:MM` / `-HH:MM` / `+HHMM` after the time part.
    let offset_min = time_offset_minutes(p);
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}{mo:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn time_offset_minutes(p: &str) -> i64 {
    // Only look after the time (past `T` or the space that separates date and time).
    let Some(t) = p.get(10..) else { return 0 };
    let Some(pos) = t.rfind(['+', '-']) else {
        return 0;
    };
    if pos == 0 {
        return 0;
    }
    let sign = if t.as_bytes()[pos] == b'-' { -1 } else { 1 };
    let ds: Vec<i64> = t[pos + 1..]
        .chars()
        .filter_map(|c| c.to_digit(10).map(i64::from))
        .collect();
    if ds.len() < 2 || !t[..pos].contains(':') {
        return 0;
    }
    let h = ds[0] * 10 + ds[1];
    let m = if ds.len() >= 4 { ds[2] * 10 + ds[3] } else { 0 };
    sign * (h * 60 + m)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// GDELT's IsRootEvent test: the event comes from the lead paragraph of the story (the first
/// paragraph that reads as prose, after headline and byline lines). Same rule as `dyad code`.
pub fn in_lead_paragraph(doc: &Document, e: &Event) -> bool {
    match lead_paragraph_end(&doc.text) {
        Some(end) => (e.sentence_span.start as usize) < end,
        None => e.sentence == 0,
    }
}

/// Byte offset where the lead paragraph of `text` ends (see [`in_lead_paragraph`]), or `None`
/// when no paragraph reads as prose. Compute it once per document for many events.
pub fn lead_paragraph_end(text: &str) -> Option<usize> {
    let mut offset = 0;
    for para in text.split("\n\n") {
        let end = offset + para.len();
        let t = para.trim_end();
        let prose = t.ends_with(['.', '"', '\u{201d}', '!', '?'])
            && t.split_whitespace().take(12).count() >= 12;
        if prose {
            return Some(end);
        }
        offset = end + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_timestamps() {
        assert_eq!(
            gdelt_timestamp_utc(Some("2017-07-07T13:53:00-05:00")),
            "20170707185300"
        );
        assert_eq!(
            gdelt_timestamp_utc(Some("2025-03-14 20:30:26Z")),
            "20250314203026"
        );
        assert_eq!(
            gdelt_timestamp_utc(Some("2023-09-08T01:30:00+02:00")),
            "20230907233000"
        );
        assert_eq!(gdelt_timestamp_utc(Some("2017-07-07")), "20170707000000");
        assert_eq!(gdelt_timestamp_utc(Some("July 2017")), "");
        assert_eq!(gdelt_timestamp_utc(None), "");
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2017, 7, 7), 17354);
        for z in [-1000, 0, 17354, 20000, 60000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
