//! A stored mention back into the coder's [`Event`], with its provenance.

use dyad_core::{ActorMention, Event, Span, VerbMatch};

/// The text of a mention's sentence (over `mentions m JOIN documents d`): sliced from the
/// document, not stored twice.
macro_rules! sentence_text_sql {
    () => {
        "CAST(substr(CAST(d.text AS BLOB), m.sentence_start + 1, m.sentence_end - m.sentence_start) AS TEXT)"
    };
}
pub(crate) use sentence_text_sql;

/// Columns to select (over `mentions m JOIN events e JOIN documents d`) for [`event_from_row`].
pub(crate) const EVENT_COLUMNS: &str = concat!(
    "m.sentence_index, m.sentence_start, m.sentence_end, ",
    sentence_text_sql!(),
    ", e.event_date, e.event_code, m.pattern_code, e.event_label, e.goldstein_scale, \
    e.quad_class, m.actor1_code, m.actor1_name, m.actor1_text, m.actor1_start, m.actor1_end, \
    m.actor1_entry, m.actor1_antecedent, m.actor2_code, m.actor2_name, m.actor2_text, \
    m.actor2_start, m.actor2_end, m.actor2_entry, m.actor2_antecedent, m.verb_text, m.verb_start, \
    m.verb_end, m.pattern_id, m.pattern, m.negated, m.modality, m.attribution, m.mention_count, \
    d.id, d.dict_version, m.parse_relations, m.place, m.doc_tone, m.actor1_place, m.actor2_place"
);

pub(crate) const EVENT_COLUMN_COUNT: usize = 40;

/// FROM clause for one mention by id (`?1`).
pub(crate) const EVENT_FROM: &str = "FROM mentions m \
    JOIN events e ON e.global_event_id = m.global_event_id \
    JOIN documents d ON d.doc_id = m.doc_id WHERE m.mention_id = ?1";

fn json_err(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(31, rusqlite::types::Type::Text, Box::new(e))
}

/// A place stored as JSON in column `i`.
fn place_at(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<dyad_core::EventPlace>> {
    match r.get::<_, Option<String>>(i)? {
        Some(j) => Ok(Some(serde_json::from_str(&j).map_err(json_err)?)),
        None => Ok(None),
    }
}

/// The event of a row selected with [`EVENT_COLUMNS`] (from column 0).
pub(crate) fn event_from_row(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    let date: String = r.get(4)?;
    let target = match r.get::<_, Option<String>>(17)? {
        Some(code) => Some(ActorMention {
            code,
            name: r.get(18)?,
            text: r.get(19)?,
            span: Span::new(r.get(20)?, r.get(21)?),
            entry: r.get(22)?,
            antecedent: r.get(23)?,
            place: place_at(r, 39)?,
        }),
        None => None,
    };
    let attribution = match r.get::<_, Option<String>>(31)? {
        Some(j) => serde_json::from_str(&j).map_err(json_err)?,
        None => Vec::new(),
    };
    Ok(Event {
        doc_id: r.get(33)?,
        sentence: r.get(0)?,
        sentence_span: Span::new(r.get(1)?, r.get(2)?),
        sentence_text: r.get(3)?,
        date: (!date.is_empty()).then_some(date),
        code: r.get(5)?,
        base_code: r.get(6)?,
        label: r.get(7)?,
        goldstein: r.get::<_, f64>(8)? as f32,
        quad_class: r.get(9)?,
        source: ActorMention {
            code: r.get(10)?,
            name: r.get(11)?,
            text: r.get(12)?,
            span: Span::new(r.get(13)?, r.get(14)?),
            entry: r.get(15)?,
            antecedent: r.get(16)?,
            place: place_at(r, 38)?,
        },
        target,
        verb: VerbMatch {
            text: r.get(24)?,
            span: Span::new(r.get(25)?, r.get(26)?),
            pattern_id: r.get(27)?,
            pattern: r.get(28)?,
            relations: r.get(35)?,
        },
        negated: r.get(29)?,
        modality: r.get(30)?,
        attribution,
        place: place_at(r, 36)?,
        tone: r.get(37)?,
        mentions: r.get(32)?,
        dict_version: r.get(34)?,
    })
}
