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
    /// What the words around the name say it is: "the city of X" a populated place, "X
    /// province" a division.
    pub kind: Option<dyad_geo::Kind>,
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
    // A name that goes on is another name: "the Cato Institute", "Human Rights Watch".
    best.filter(|&(end, _)| !continues(s, end))
}

/// Whether the token at `k` goes on with a capitalized name (not a place noun, "Helmand
/// Province", nor a day or month, "in Kabul Monday").
fn continues(s: &Sentence, k: usize) -> bool {
    k < s.ids.len()
        && s.capitalized(k)
        && !PLACE_NOUNS.contains(&s.norm(k))
        && !matches!(
            s.norm(k),
            "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "january"
                | "february"
                | "march"
                | "april"
                | "may"
                | "june"
                | "july"
                | "august"
                | "september"
                | "october"
                | "november"
                | "december"
        )
}

/// What the noun before a name ("the city of") or after it ("province") says it is.
fn kind_said(s: &Sentence, before: Option<usize>, end: usize) -> Option<dyad_geo::Kind> {
    let division = |w: &str| matches!(w, "province" | "state" | "governorate" | "region");
    let town = |w: &str| matches!(w, "city" | "town" | "village" | "capital" | "port");
    match before.map(|k| s.norm(k)) {
        Some(w) if town(w) => Some(dyad_geo::Kind::Populated),
        Some(w) if division(w) => Some(dyad_geo::Kind::Adm1),
        _ if division(s.norm(end)) => Some(dyad_geo::Kind::Adm1),
        _ => None,
    }
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
pub(crate) fn find(g: &Gazetteer, s: &Sentence, t: &Tree, from: usize, out: &mut Vec<PlacePhrase>) {
    out.clear();
    let max = g.max_words().min(6);
    let n = s.ids.len();
    let place_noun_of =
        |j: usize| j + 1 < n && PLACE_NOUNS.contains(&s.norm(j)) && s.norm(j + 1) == "of";
    for k in from..n {
        if !LOCATIVE.contains(&s.norm(k)) {
            continue;
        }
        let mut j = k + 1;
        if j < n && s.norm(j) == "the" {
            j += 1;
        }
        // "in the city of Mosul", "in the Somali city of Beledweyne".
        let mut noun = None;
        if place_noun_of(j) {
            noun = Some(j);
            j += 2;
        } else if place_noun_of(j + 1) {
            noun = Some(j + 1);
            j += 3;
        }
        let Some((mut start, mut end, mut ids)) = name_at(g, s, j, max).map(|(e, ids)| (j, e, ids))
        else {
            continue;
        };
        // "in Zimbabwe's capital, Harare", "in Balochistan's Kalat district": the place named
        // inside the first one.
        if end + 1 < n && s.norm(end) == "'s" {
            let inner = (end + 1..(end + 5).min(n))
                .find_map(|i| name_at(g, s, i, max).map(|(e, ids)| (i, e, ids)));
            if let Some(inner) = inner.filter(|(_, _, inner)| {
                inner.iter().any(|&a| {
                    ids.iter()
                        .any(|&b| g.place(a).country == g.place(b).country)
                })
            }) {
                (start, end, ids) = inner;
            }
        }
        // "in the Obama administration", "near the Cameroon border": after "the", a name that
        // modifies the noun after it is no place ("in Balochistan prisons" still is).
        let modifies = start > 0
            && s.norm(start - 1) == "the"
            && end < n
            && !s.capitalized(end)
            && !PLACE_NOUNS.contains(&s.norm(end))
            && t.is_nominal(end)
            && (start..end).any(|i| t.head_of(i) == Some(end));
        if modifies {
            continue;
        }
        let within = within_after(g, s, end);
        let kind = kind_said(s, noun, end);
        out.push(PlacePhrase {
            start,
            end,
            ids,
            within,
            kind,
        });
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
            kind: None,
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

/// The event's place from a phrase: in the division or country named after it, else in the
/// dateline's country (`story`), else resolved among the document's countries (ISO alpha-2, most
/// relevant first).
pub(crate) fn resolve(
    g: &Gazetteer,
    s: &Sentence,
    p: &PlacePhrase,
    countries: &[&str],
    story: Option<u32>,
    resolution: &str,
) -> Option<EventPlace> {
    // Only places of the kind the words say, when the name has some.
    let said: Vec<u32> = match p.kind {
        Some(k) => p
            .ids
            .iter()
            .copied()
            .filter(|&id| g.place(id).kind == k)
            .collect(),
        None => Vec::new(),
    };
    let ids = if said.is_empty() { &p.ids } else { &said };
    let id = g.choose(ids, countries, p.within.or(story))?;
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
        adm2: place.adm2.clone(),
        lat: place.lat,
        lon: place.lon,
        feature_id: place.feature_id().to_string(),
        resolution: resolution.to_string(),
        entry: format!("{}:{}", g.path, place.line),
    })
}
