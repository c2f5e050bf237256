//! Filters over the event table, queries and the classic aggregations.

use crate::{Error, Result, Store};
use dyad_export::{ActorColumns, EventRecord, GeoColumns};
use rusqlite::types::Value;
use serde::Serialize;

/// Which events a query, export or statistic covers. Empty fields do not filter.
///
/// Codes (`source`, `target`, `code`) match exactly, or as a prefix when they end in `*`
/// (`RUS*` is every Russian actor, `19*` every fight).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// First event date, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last event date, inclusive.
    pub to: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Either actor's country (CAMEO, three letters: `RUS`), or the country where the event
    /// happened (FIPS 10-4, two letters: `RS`).
    pub country: Option<String>,
    /// The first-order division where the event happened, as GDELT writes it (`IZ15`, `USTX`).
    pub adm1: Option<String>,
    /// Events placed within `km` kilometres of (`lat`, `lon`).
    pub near: Option<Near>,
    pub code: Option<String>,
    /// CAMEO root (`19`).
    pub root: Option<String>,
    pub quad_class: Option<u8>,
    pub goldstein_min: Option<f64>,
    pub goldstein_max: Option<f64>,
    /// Words that must all occur (case-insensitive) in one sentence that mentions the event.
    pub words: Vec<String>,
    /// URL (or id) of a document that mentions the event.
    pub url: Option<String>,
    /// Keep events reported as not happening ("did not meet"); GDELT and PLOVER exports never
    /// contain them.
    pub include_negated: bool,
    pub limit: Option<u64>,
}

/// A circle on the map: events placed within `km` of a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

impl Near {
    /// The most `--near` may cover: half the Earth's circumference.
    pub const MAX_KM: f64 = 20_000.0;

    /// Reads `LAT,LON,KM`.
    pub fn parse(s: &str) -> Result<Near> {
        let bad = || {
            Error::Invalid(format!(
                "`near` must be LAT,LON,KM (latitude -90..90, longitude -180..180, 0 < KM <= {}), not `{s}`",
                Near::MAX_KM
            ))
        };
        let v: Vec<f64> = s
            .split(',')
            .map(|x| x.trim().parse::<f64>().map_err(|_| bad()))
            .collect::<Result<_>>()?;
        let [lat, lon, km] = v[..] else {
            return Err(bad());
        };
        let inside = (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon)
            && km > 0.0
            && km <= Near::MAX_KM;
        if !inside {
            return Err(bad());
        }
        Ok(Near { lat, lon, km })
    }
}

fn valid_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The first string after every string that starts with `prefix`.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut b = prefix.as_bytes().to_vec();
    while let Some(last) = b.pop() {
        if last < 0x7f {
            b.push(last + 1);
            return String::from_utf8(b).ok();
        }
    }
    None
}

/// A code (`RUS`, `112`), a prefix of one ending in a single `*`, or `*` (any); letters and
/// digits only, so that `**` or `R*S` is refused instead of quietly matching nothing.
fn valid_code(v: &str) -> bool {
    let body = v.strip_suffix('*').unwrap_or(v);
    v == "*" || (!body.is_empty() && body.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl Filter {
    fn code_clause(
        name: &str,
        col: &str,
        v: &str,
        sql: &mut Vec<String>,
        p: &mut Vec<Value>,
    ) -> Result<()> {
        let v = v.trim();
        if !valid_code(v) {
            return Err(Error::Invalid(format!(
                "`{name}` must be a code or a prefix ending in `*` (letters and digits, e.g. RUS or RUS*), not `{v}`"
            )));
        }
        if let Some(prefix) = v.strip_suffix('*') {
            if prefix.is_empty() {
                return Ok(());
            }
            // A range, not LIKE, so that the index on the column is used.
            sql.push(format!("{col} >= ?"));
            p.push(Value::Text(prefix.to_string()));
            if let Some(end) = prefix_end(prefix) {
                sql.push(format!("{col} < ?"));
                p.push(Value::Text(end));
            }
        } else {
            sql.push(format!("{col} = ?"));
            p.push(Value::Text(v.to_string()));
        }
        Ok(())
    }

    /// Text values are bound whole, but SQLite's string functions stop at a NUL: `a\0b` would
    /// search for `a`. Refused, naming the filter.
    fn check_no_nul(&self) -> Result<()> {
        let texts = [
            ("from", &self.from),
            ("to", &self.to),
            ("source", &self.source),
            ("target", &self.target),
            ("country", &self.country),
            ("adm1", &self.adm1),
            ("code", &self.code),
            ("root", &self.root),
            ("url", &self.url),
        ];
        let named = texts
            .iter()
            .filter_map(|(n, v)| Some((*n, v.as_deref()?)))
            .chain(self.words.iter().map(|w| ("words", w.as_str())));
        for (name, v) in named {
            if v.contains('\0') {
                return Err(Error::Invalid(format!("`{name}` contains a NUL character")));
            }
        }
        Ok(())
    }

    /// The WHERE clause (over `events e`) and its parameters.
    pub(crate) fn to_sql(&self) -> Result<(String, Vec<Value>)> {
        self.check_no_nul()?;
        let mut sql = Vec::new();
        let mut p = Vec::new();
        if !self.include_negated {
            sql.push("e.negated = 0".to_string());
        }
        for (d, op) in [(&self.from, ">="), (&self.to, "<=")] {
            if let Some(d) = d {
                if !valid_date(d) {
                    return Err(Error::Invalid(format!("date `{d}` is not YYYY-MM-DD")));
                }
                sql.push(format!("e.event_date {op} ?"));
                p.push(Value::Text(d.clone()));
            }
        }
        if self.from.is_some() || self.to.is_some() {
            sql.push("e.event_date != ''".into());
        }
        if let Some(s) = &self.source {
            Self::code_clause("source", "e.actor1_code", s, &mut sql, &mut p)?;
        }
        if let Some(s) = &self.target {
            Self::code_clause("target", "e.actor2_code", s, &mut sql, &mut p)?;
        }
        if let Some(c) = &self.country {
            if c.is_empty() || !c.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::Invalid(format!(
                    "`country` must be a country code of letters (e.g. RUS), not `{c}`"
                )));
            }
            if c.len() == 2 {
                // FIPS: where the event happened.
                sql.push("e.action_geo_country_code = ?".into());
                p.push(Value::Text(c.to_ascii_uppercase()));
            } else {
                sql.push("(e.actor1_country_code = ? OR e.actor2_country_code = ?)".into());
                p.push(Value::Text(c.clone()));
                p.push(Value::Text(c.clone()));
            }
        }
        if let Some(a) = &self.adm1 {
            if !(3..=8).contains(&a.len()) || !a.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::Invalid(format!(
                    "`adm1` must be a FIPS country and division code (e.g. IZ15, USTX), not `{a}`"
                )));
            }
            sql.push("e.action_geo_adm1_code = ?".into());
            p.push(Value::Text(a.to_ascii_uppercase()));
        }
        if let Some(n) = self.near {
            // Equirectangular distance: close enough for a radius query, and SQLite has no
            // trigonometry. A box first, for the index-free scan to stay cheap. Longitudes
            // differ by at most 180 degrees: a circle may cross the antimeridian.
            let (ky, kx) = (110.57, 111.32 * n.lat.to_radians().cos().max(0.01));
            let dx = "((e.action_geo_long - ?) - 360.0 * round((e.action_geo_long - ?) / 360.0))";
            sql.push(format!(
                "e.action_geo_lat BETWEEN ? AND ? AND \
                 ((e.action_geo_lat - ?) * ?) * ((e.action_geo_lat - ?) * ?) + \
                 ({dx} * ?) * ({dx} * ?) <= ?"
            ));
            for v in [
                n.lat - n.km / ky,
                n.lat + n.km / ky,
                n.lat,
                ky,
                n.lat,
                ky,
                n.lon,
                n.lon,
                kx,
                n.lon,
                n.lon,
                kx,
                n.km * n.km,
            ] {
                p.push(Value::Real(v));
            }
        }
        if let Some(c) = &self.code {
            Self::code_clause("code", "e.event_code", c, &mut sql, &mut p)?;
        }
        if let Some(r) = &self.root {
            sql.push("e.event_root_code = ?".into());
            p.push(Value::Text(format!("{:0>2}", r.trim())));
        }
        if let Some(q) = self.quad_class {
            sql.push("e.quad_class = ?".into());
            p.push(Value::Integer(i64::from(q)));
        }
        if let Some(g) = self.goldstein_min {
            sql.push("e.goldstein_scale >= ?".into());
            p.push(Value::Real(g));
        }
        if let Some(g) = self.goldstein_max {
            sql.push("e.goldstein_scale <= ?".into());
            p.push(Value::Real(g));
        }
        let words: Vec<&String> = self.words.iter().filter(|w| !w.trim().is_empty()).collect();
        if !words.is_empty() {
            let mut sub = vec!["m.global_event_id = e.global_event_id".to_string()];
            for w in words {
                sub.push(
                    concat!(crate::mention::sentence_text_sql!(), " LIKE ? ESCAPE '\\'").into(),
                );
                let esc = w
                    .trim()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                p.push(Value::Text(format!("%{esc}%")));
            }
            sql.push(format!(
                "EXISTS (SELECT 1 FROM mentions m JOIN documents d ON d.doc_id = m.doc_id WHERE {})",
                sub.join(" AND ")
            ));
        }
        if let Some(u) = &self.url {
            sql.push(
                "e.global_event_id IN (SELECT m.global_event_id FROM mentions m WHERE m.doc_id IN \
                 (SELECT doc_id FROM documents WHERE doc_key = ? OR id = ?))"
                    .into(),
            );
            // doc_key is the URL whenever a document has one.
            for _ in 0..2 {
                p.push(Value::Text(u.clone()));
            }
        }
        let clause = if sql.is_empty() {
            "1".to_string()
        } else {
            sql.join(" AND ")
        };
        Ok((clause, p))
    }

    pub(crate) fn limit_sql(&self) -> String {
        self.limit
            .map(|l| format!(" LIMIT {l}"))
            .unwrap_or_default()
    }
}

/// One event as a query returns it: the GDELT record, whether it was negated, and the first
/// sentence that mentions it.
#[derive(Debug, Clone, Serialize)]
pub struct QueryRow {
    #[serde(flatten)]
    pub record: EventRecord,
    pub negated: bool,
    pub sentence: String,
    pub doc_id: String,
}

pub(crate) const RECORD_COLUMNS: &str = "e.global_event_id, e.event_date, e.actor1_code, e.actor1_name, e.actor1_country_code, \
    e.actor1_known_group_code, e.actor1_ethnic_code, e.actor1_religion1_code, e.actor1_religion2_code, \
    e.actor1_type1_code, e.actor1_type2_code, e.actor1_type3_code, e.actor2_code, e.actor2_name, \
    e.actor2_country_code, e.actor2_known_group_code, e.actor2_ethnic_code, e.actor2_religion1_code, \
    e.actor2_religion2_code, e.actor2_type1_code, e.actor2_type2_code, e.actor2_type3_code, e.is_root_event, \
    e.event_code, e.event_base_code, e.event_root_code, e.quad_class, e.goldstein_scale, e.num_mentions, \
    e.num_sources, e.num_articles, e.avg_tone, e.date_added, e.source_url, e.negated, e.first_mention_id, \
    e.action_geo_type, e.action_geo_fullname, e.action_geo_country_code, e.action_geo_adm1_code, \
    e.action_geo_adm2_code, e.action_geo_lat, e.action_geo_long, e.action_geo_feature_id, \
    e.actor1_geo_type, e.actor1_geo_fullname, e.actor1_geo_country_code, e.actor1_geo_adm1_code, \
    e.actor1_geo_adm2_code, e.actor1_geo_lat, e.actor1_geo_long, e.actor1_geo_feature_id, \
    e.actor2_geo_type, e.actor2_geo_fullname, e.actor2_geo_country_code, e.actor2_geo_adm1_code, \
    e.actor2_geo_adm2_code, e.actor2_geo_lat, e.actor2_geo_long, e.actor2_geo_feature_id";

/// Number of columns in [`RECORD_COLUMNS`].
pub(crate) const RECORD_COLUMN_COUNT: usize = 60;

pub(crate) fn record_from_row(r: &rusqlite::Row) -> rusqlite::Result<(EventRecord, bool, i64)> {
    let s = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let actor = |o: usize| -> rusqlite::Result<ActorColumns> {
        Ok(ActorColumns {
            code: s(o)?,
            name: s(o + 1)?,
            country_code: s(o + 2)?,
            known_group_code: s(o + 3)?,
            ethnic_code: s(o + 4)?,
            religion1_code: s(o + 5)?,
            religion2_code: s(o + 6)?,
            type1_code: s(o + 7)?,
            type2_code: s(o + 8)?,
            type3_code: s(o + 9)?,
        })
    };
    let geo = |o: usize| -> rusqlite::Result<GeoColumns> {
        Ok(GeoColumns {
            geo_type: r.get(o)?,
            full_name: s(o + 1)?,
            country_code: s(o + 2)?,
            adm1_code: s(o + 3)?,
            adm2_code: s(o + 4)?,
            lat: r.get(o + 5)?,
            long: r.get(o + 6)?,
            feature_id: s(o + 7)?,
        })
    };
    let date: String = r.get(1)?;
    let rec = EventRecord {
        global_event_id: r.get::<_, i64>(0)? as u64,
        date: (!date.is_empty()).then_some(date),
        actor1: actor(2)?,
        actor2: actor(12)?,
        is_root_event: r.get(22)?,
        event_code: s(23)?,
        event_base_code: s(24)?,
        event_root_code: s(25)?,
        quad_class: r.get(26)?,
        goldstein_scale: r.get(27)?,
        num_mentions: r.get(28)?,
        num_sources: r.get(29)?,
        num_articles: r.get(30)?,
        avg_tone: r.get(31)?,
        date_added: r
            .get::<_, Option<i64>>(32)?
            .map(|d| d.to_string())
            .unwrap_or_default(),
        source_url: s(33)?,
        actor1_geo: geo(44)?,
        actor2_geo: geo(52)?,
        action_geo: geo(36)?,
    };
    Ok((rec, r.get(34)?, r.get(35)?))
}

/// Time bucket of a statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Month,
}

/// What a statistic is broken down by within each period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    QuadClass,
    Root,
    Dyad,
}

/// One line of `stats`: events of one period (and group), their mentions and Goldstein sum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatRow {
    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub period: String,
    /// The group's value (`1`, `04`, `RUSGOV>USAGOV`); empty without a group.
    pub group: String,
    pub events: u64,
    pub mentions: u64,
    pub goldstein_sum: f64,
}

impl Store {
    /// Events matching `f`, ordered by id, with their first mention's sentence.
    pub fn query(&self, f: &Filter, mut each: impl FnMut(QueryRow) -> Result<()>) -> Result<u64> {
        let (clause, params) = f.to_sql()?;
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, {}, d.id FROM events e \
             JOIN mentions m ON m.mention_id = e.first_mention_id \
             JOIN documents d ON d.doc_id = m.doc_id \
             WHERE {clause} ORDER BY e.global_event_id{}",
            crate::mention::sentence_text_sql!(),
            f.limit_sql()
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let (record, negated, _) = record_from_row(r)?;
            each(QueryRow {
                record,
                negated,
                sentence: r.get(RECORD_COLUMN_COUNT)?,
                doc_id: r.get(RECORD_COLUMN_COUNT + 1)?,
            })?;
            n += 1;
        }
        Ok(n)
    }

    /// Event counts, mentions and Goldstein sums per period (and group), over dated events.
    pub fn stats(&self, f: &Filter, by: Period, group: Option<Group>) -> Result<Vec<StatRow>> {
        let (clause, params) = f.to_sql()?;
        let period = match by {
            Period::Day => "e.event_date",
            Period::Month => "substr(e.event_date, 1, 7)",
        };
        let group_sql = match group {
            None => "''",
            Some(Group::QuadClass) => "CAST(e.quad_class AS TEXT)",
            Some(Group::Root) => "e.event_root_code",
            Some(Group::Dyad) => "e.actor1_code || '>' || e.actor2_code",
        };
        let sql = format!(
            "SELECT {period} AS period, {group_sql} AS grp, count(*), sum(e.num_mentions), \
             sum(e.goldstein_scale) FROM events e WHERE e.event_date != '' AND {clause} \
             GROUP BY period, grp ORDER BY period, grp{}",
            f.limit_sql()
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(params), |r| {
            Ok(StatRow {
                period: r.get(0)?,
                group: r.get(1)?,
                events: r.get::<_, i64>(2)? as u64,
                mentions: r.get::<_, i64>(3)? as u64,
                goldstein_sum: (r.get::<_, f64>(4)? * 10.0).round() / 10.0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(f: Filter, needle: &str) {
        match f.to_sql() {
            Err(Error::Invalid(m)) => assert!(m.contains(needle), "{m}"),
            other => panic!("{needle}: not refused: {:?}", other.map(|r| r.0)),
        }
    }

    #[test]
    fn near_reads_lat_lon_km_within_bounds() {
        let n = Near::parse(" 36.34, 43.13 ,50").unwrap();
        assert_eq!((n.lat, n.lon, n.km), (36.34, 43.13, 50.0));
        for bad in [
            "36,43",
            "91,0,5",
            "0,181,5",
            "0,0,0",
            "0,0,20001",
            "a,b,c",
            "nan,0,1",
            "0,0,inf",
            "",
        ] {
            let e = Near::parse(bad).unwrap_err().to_string();
            assert!(e.contains("LAT,LON,KM"), "{bad}: {e}");
        }
    }

    #[test]
    fn malformed_codes_and_nul_are_refused_naming_the_filter() {
        let f = |set: fn(&mut Filter)| {
            let mut f = Filter::default();
            set(&mut f);
            f
        };
        refused(f(|f| f.source = Some("**".into())), "`source`");
        refused(f(|f| f.target = Some("R*S".into())), "`target`");
        refused(f(|f| f.code = Some("1 9".into())), "`code`");
        refused(f(|f| f.country = Some("R%".into())), "`country`");
        refused(
            f(|f| f.words = vec!["a\0b".into()]),
            "`words` contains a NUL",
        );
        refused(f(|f| f.url = Some("x\0".into())), "`url` contains a NUL");
        refused(f(|f| f.adm1 = Some("I".into())), "`adm1`");
        refused(f(|f| f.adm1 = Some("IZ 15".into())), "`adm1`");
        // What is meant still works: a code, a prefix, any.
        for v in ["RUS", "RUS*", "*"] {
            let g = Filter {
                source: Some(v.into()),
                ..Default::default()
            };
            assert!(g.to_sql().is_ok(), "{v}");
        }
    }
}
