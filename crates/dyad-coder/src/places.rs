//! Where an event happened: a place name of the gazetteer after a locative word ("in Mosul",
//! "near the town of Rafah", "in Paris, Texas"), or in the dateline ("KABUL —"), tied to the
//! event through the tree. A place is never an actor: this only says where.

use crate::patterns::LOCATIVE;
use crate::tree::Tree;
use crate::Sentence;
use dyad_core::EventPlace;
use dyad_geo::Gazetteer;

/// A place phrase: tokens `[start, end)`, the places its name may be, and a division or country
/// named right after it ("Paris, Texas").
#[derive(Debug, Clone)]
pub(crate) struct PlacePhrase {
    pub start: usize,
    pub end: usize,
    pub ids: Vec<u32>,
    pub within: Option<u32>,
}

/// Nouns between a locative word and a name: "in the city of Mosul".
const PLACE_NOUNS: [&str; 14] = [
    "city",
    "town",
    "village",
    "province",
    "region",
    "district",
    "state",
    "capital",
    "port",
    "county",
    "governorate",
    "suburb",
    "outskirts",
    "area",
];

/// Words a place name may have inside it ("Democratic Republic of the Congo").
fn joins(w: &str) -> bool {
    matches!(w, "of" | "the" | "de" | "al" | "el" | "and")
}

/// The longest gazetteer name starting at `k`, written with capitals (all capitals in a
/// dateline); at most `max` tokens.
fn name_at(g: &Gazetteer, s: &Sentence, k: usize, max: usize) -> Option<(usize, Vec<u32>)> {
    if k >= s.ids.len() || !s.capitalized(k) {
        return None;
    }
    let mut best = None;
    for end in k + 1..=(k + max).min(s.ids.len()) {
        let last = end - 1;
        if last > k && !s.capitalized(last) {
            if joins(s.norm(last)) {
                continue;
            }
            break;
        }
        let ids = g.named(s.span_of(k, end).slice(s.text));
        if !ids.is_empty() {
            best = Some((end, ids.to_vec()));
        }
    }
    best
}

/// ", Texas" after a name: the division or country it lies in.
fn within_after(g: &Gazetteer, s: &Sentence, end: usize) -> Option<u32> {
    if end < s.ids.len() && s.norm(end) == "," {
        let (_, ids) = name_at(g, s, end + 1, 3)?;
        return ids
            .iter()
            .copied()
            .find(|&id| g.place(id).kind != dyad_geo::Kind::Populated);
    }
    None
}

/// The place phrases of a sentence from token `from` on.
pub(crate) fn find(g: &Gazetteer, s: &Sentence, from: usize, out: &mut Vec<PlacePhrase>) {
    out.clear();
    let max = g.max_words().min(6);
    for k in from..s.ids.len() {
        if !LOCATIVE.contains(&s.norm(k)) {
            continue;
        }
        let mut j = k + 1;
        if j < s.ids.len() && s.norm(j) == "the" {
            j += 1;
        }
        if j + 1 < s.ids.len() && PLACE_NOUNS.contains(&s.norm(j)) && s.norm(j + 1) == "of" {
            j += 2;
        }
        if let Some((end, ids)) = name_at(g, s, j, max) {
            let within = within_after(g, s, end);
            out.push(PlacePhrase {
                start: j,
                end,
                ids,
                within,
            });
        }
    }
}

/// The place a dateline names (tokens before `end`): "KABUL, Afghanistan —".
pub(crate) fn dateline(g: &Gazetteer, s: &Sentence, end: usize) -> Option<PlacePhrase> {
    (0..end).find_map(|k| {
        let (e, ids) = name_at(g, s, k, 4).filter(|(e, _)| *e <= end)?;
        Some(PlacePhrase {
            start: k,
            end: e,
            ids,
            within: within_after(g, s, e).filter(|_| e < end),
        })
    })
}

/// Whether the phrase hangs from the event's words (`node` or `predicate`) without crossing
/// into another clause.
pub(crate) fn on_event(t: &Tree, p: &PlacePhrase, node: usize, predicate: usize) -> bool {
    let Some(mut x) =
        (p.start..p.end).find(|&k| t.head_of(k).is_none_or(|h| h < p.start || h >= p.end))
    else {
        return false;
    };
    for _ in 0..8 {
        let Some(h) = t.head_of(x) else {
            return false;
        };
        if h == node || h == predicate {
            return true;
        }
        if t.rel[x].clausal() {
            return false;
        }
        x = h;
    }
    false
}

/// The event's place from a phrase: resolved among the documents' countries (ISO alpha-2, most
/// relevant first).
pub(crate) fn resolve(
    g: &Gazetteer,
    s: &Sentence,
    p: &PlacePhrase,
    countries: &[&str],
    resolution: &str,
) -> Option<EventPlace> {
    let id = g.choose(&p.ids, countries, p.within)?;
    let place = g.place(id);
    let span = s.span_of(p.start, p.end);
    Some(EventPlace {
        text: span.slice(s.text).to_string(),
        span,
        name: g.full_name(id),
        geo_type: place.geo_type(),
        country_code: place.fips.clone(),
        iso: place.country.clone(),
        adm1: place.adm1.clone(),
        lat: place.lat,
        lon: place.lon,
        feature_id: place.feature_id().to_string(),
        resolution: resolution.to_string(),
        entry: format!("{}:{}", g.path, place.line),
    })
}
