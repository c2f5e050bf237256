//! The gazetteer: places by name, and how to choose among places of one name.

use crate::{read_text, GeoError};
use rustc_hash::FxHashMap;
use std::path::Path;

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Country,
    /// A first-order administrative division (a US state, an Iraqi governorate).
    Adm1,
    /// A populated place (a city, town or village).
    Populated,
}

#[derive(Debug, Clone)]
pub struct Place {
    /// GeoNames id (`IQ.15` style for divisions).
    pub id: String,
    pub kind: Kind,
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// FIPS 10-4 country code, as GDELT writes it.
    pub fips: String,
    /// FIPS country code and the division's code ("IZ15", "USTX"); empty for a country.
    pub adm1: String,
    pub adm1_name: String,
    pub adm2_name: String,
    /// GDELT's ADM2 code where known: for US places the state and the county's 3-digit FIPS
    /// code ("TX201").
    pub adm2: String,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// ISO 3166-1 alpha-3 code of a country (empty for other places).
    pub iso3: String,
    /// Line in the gazetteer file.
    pub line: u32,
}

impl Place {
    /// GDELT's geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world
    /// state (first-order division outside the US).
    pub fn geo_type(&self) -> u8 {
        let us = self.country == "US";
        match self.kind {
            Kind::Country => 1,
            Kind::Adm1 if us => 2,
            Kind::Adm1 => 5,
            Kind::Populated if us => 3,
            Kind::Populated => 4,
        }
    }

    /// GDELT's feature id: the country or division code for types 1, 2 and 5, the place's id
    /// (GeoNames here) for cities.
    pub fn feature_id(&self) -> &str {
        match self.kind {
            Kind::Country => &self.fips,
            Kind::Adm1 => &self.adm1,
            Kind::Populated => &self.id,
        }
    }
}

/// Places and the names (alternate names included) that lead to them. The file's text is kept
/// as read; a place is taken out of its line when asked for, so loading allocates little.
#[derive(Debug, Default)]
pub struct Gazetteer {
    text: String,
    /// Byte range of each place's line in `text`.
    lines: Vec<(u32, u32)>,
    /// Line number of each place.
    line_no: Vec<u32>,
    /// Hashes of lowercased names, sorted, and the place of each (parallel to `name_hash`).
    name_hash: Vec<u64>,
    name_place: Vec<u32>,
    /// Hashes of names that are regions, seas or directions in news, sorted: no place.
    not_places: Vec<u64>,
    by_iso3: FxHashMap<String, u32>,
    by_iso2: FxHashMap<String, u32>,
    /// The longest name, in words.
    max_words: usize,
    /// Where it was read from, for provenance (`places.tsv.zst:LINE`).
    pub path: String,
}

const COLUMNS: usize = 14;
/// A place of a million people or more is a world city: a place of its name in the document's
/// countries but fifty times smaller does not outrank it.
const WORLD_CITY: u64 = 1_000_000;
const DWARFED: u64 = 50;
/// A city this big is more often meant than a division of the same name.
const BIG_CITY: u64 = 500_000;

/// A name's hash, case folded: the same for "Mosul", "MOSUL" and "mosul".
pub fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |c: char| {
        h ^= c as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for c in name.chars() {
        if c.is_ascii() {
            eat(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut eat);
        }
    }
    h ^ (h >> 29)
}

/// The columns of a line; `None` when it has another number of them.
fn columns(line: &str) -> Option<[&str; COLUMNS]> {
    let mut c = [""; COLUMNS];
    let mut parts = line.split('\t');
    for slot in c.iter_mut() {
        *slot = parts.next()?;
    }
    parts.next().is_none().then_some(c)
}

impl Gazetteer {
    pub fn load(path: &Path) -> Result<Gazetteer, GeoError> {
        let text = read_text(path)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |f| f.to_string_lossy().into(),
        );
        Gazetteer::parse(text, &name)
    }

    /// Reads the tab-separated gazetteer (see `dict/geo/README.md` for its columns).
    pub fn parse(text: String, file: &str) -> Result<Gazetteer, GeoError> {
        let mut g = Gazetteer {
            path: file.to_string(),
            ..Gazetteer::default()
        };
        let mut names: Vec<(u64, u32)> = Vec::new();
        let mut at = 0usize;
        for (i, line) in text.split('\n').enumerate() {
            let start = at;
            at += line.len() + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: String| GeoError::Format {
                file: file.to_string(),
                line: i + 1,
                why,
            };
            let c = columns(line).ok_or_else(|| {
                let n = line.split('\t').count();
                bad(format!("{n} columns, expected {COLUMNS}"))
            })?;
            let kind =
                kind_of(c[1]).ok_or_else(|| bad(format!("kind `{}`: expected C, A or P", c[1])))?;
            let num = |k: usize, lo: f64, hi: f64| -> Result<f64, GeoError> {
                c[k].parse::<f64>()
                    .ok()
                    .filter(|x| (lo..=hi).contains(x))
                    .map(|_| 0.0)
                    .ok_or_else(|| bad(format!("`{}` is no number in {lo}..{hi}", c[k])))
            };
            num(9, -90.0, 90.0)?;
            num(10, -180.0, 180.0)?;
            if c[11].parse::<u64>().is_err() {
                return Err(bad(format!("population `{}` is no number", c[11])));
            }
            if c[2].is_empty() || c[4].len() != 2 {
                return Err(bad(
                    "a place needs a name and a two-letter country code".into()
                ));
            }
            let adm2 = c[13].as_bytes();
            let adm2_ok = adm2.is_empty()
                || adm2.len() == 5
                    && adm2[..2].iter().all(u8::is_ascii_uppercase)
                    && adm2[2..].iter().all(u8::is_ascii_digit);
            if !adm2_ok {
                return Err(bad(format!(
                    "ADM2 code `{}`: expected a state and a 3-digit county code (`TX201`)",
                    c[13]
                )));
            }
            if kind == Kind::Country && c[12].len() != 3 {
                return Err(bad("a country needs its three-letter ISO code".into()));
            }
            let id = g.lines.len() as u32;
            for n in std::iter::once(c[2]).chain(c[3].split('|').filter(|a| !a.is_empty())) {
                g.max_words = g.max_words.max(n.split(' ').count());
                names.push((name_hash(n), id));
            }
            if kind == Kind::Country {
                g.by_iso3.insert(c[12].to_string(), id);
                g.by_iso2.insert(c[4].to_string(), id);
            }
            g.lines.push((start as u32, line.len() as u32));
            g.line_no.push((i + 1) as u32);
        }
        names.sort_unstable();
        names.dedup();
        (g.name_hash, g.name_place) = names.into_iter().unzip();
        g.text = text;
        Ok(g)
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// The place of an id (as [`Gazetteer::named`] gives them), read out of its line.
    pub fn place(&self, id: u32) -> Place {
        let (start, len) = self.lines[id as usize];
        let line = &self.text[start as usize..(start + len) as usize];
        // Every line was checked when the file was read.
        let c = columns(line).unwrap_or([""; COLUMNS]);
        Place {
            id: c[0].to_string(),
            kind: kind_of(c[1]).unwrap_or(Kind::Populated),
            name: c[2].to_string(),
            country: c[4].to_string(),
            fips: c[5].to_string(),
            adm1: c[6].to_string(),
            adm1_name: c[7].to_string(),
            adm2_name: c[8].to_string(),
            lat: c[9].parse().unwrap_or(0.0),
            lon: c[10].parse().unwrap_or(0.0),
            population: c[11].parse().unwrap_or(0),
            iso3: c[12].to_string(),
            adm2: c[13].to_string(),
            line: self.line_no[id as usize],
        }
    }

    /// Names that place nothing alone ("Middle East", "Asia", "Red Sea"): one a line, `#`
    /// comments.
    pub fn set_not_places(&mut self, text: &str) {
        self.not_places = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(name_hash)
            .collect();
        self.not_places.sort_unstable();
    }

    /// The places a name (any case) may be; none for a region, sea or direction.
    pub fn named(&self, name: &str) -> &[u32] {
        let h = name_hash(name);
        if self.not_places.binary_search(&h).is_ok() {
            return &[];
        }
        let lo = self.name_hash.partition_point(|&x| x < h);
        let hi = self.name_hash.partition_point(|&x| x <= h);
        &self.name_place[lo..hi]
    }

    /// The country of an ISO alpha-3 code (CAMEO's country codes are mostly these).
    pub fn country_iso3(&self, iso3: &str) -> Option<u32> {
        self.by_iso3.get(iso3).copied()
    }

    pub fn country_iso2(&self, iso2: &str) -> Option<u32> {
        self.by_iso2.get(iso2).copied()
    }

    /// The place a name most likely is: one in a country the document is about (`countries`,
    /// ISO alpha-2, most relevant first), in the division `within` when the text names one
    /// ("Paris, Texas"), else a country, a city of half a million, a division, then the most
    /// populous place.
    pub fn choose(&self, ids: &[u32], countries: &[&str], within: Option<u32>) -> Option<u32> {
        let within = within.map(|w| self.place(w));
        // Each candidate is read out of its line once.
        let candidates: Vec<(u32, Place)> = ids.iter().map(|&id| (id, self.place(id))).collect();
        let biggest = candidates.iter().map(|(_, p)| p.population).max()?;
        let rank = |p: &Place| {
            let inside = within.as_ref().is_some_and(|w| {
                p.country == w.country && (w.kind == Kind::Country || p.adm1 == w.adm1)
            });
            // The document's countries do not make a small town of a world city's name ("Paris"
            // in a story with an American actor is still the French capital).
            let dwarfed = biggest >= WORLD_CITY && p.population.saturating_mul(DWARFED) < biggest;
            let doc = countries
                .iter()
                .position(|c| *c == p.country)
                .filter(|_| !dwarfed)
                .map_or(0, |k| countries.len() - k);
            // A big city outranks a division of its name ("Washington", "New York").
            let kind = match p.kind {
                Kind::Country => 3,
                Kind::Populated if p.population >= BIG_CITY => 2,
                Kind::Adm1 => 1,
                Kind::Populated => 0,
            };
            (inside, doc, kind, p.population)
        };
        candidates
            .iter()
            .max_by_key(|(_, p)| rank(p))
            .map(|&(id, _)| id)
    }

    /// "City, Division, Country", "Division, Country" or "Country", as GDELT's FullName.
    pub fn full_name(&self, id: u32) -> String {
        let p = self.place(id);
        let country = self
            .country_iso2(&p.country)
            .map_or(p.country.clone(), |c| self.place(c).name);
        match p.kind {
            Kind::Country => p.name,
            Kind::Adm1 => format!("{}, {country}", p.name),
            Kind::Populated if p.adm1_name.is_empty() => format!("{}, {country}", p.name),
            Kind::Populated => format!("{}, {}, {country}", p.name, p.adm1_name),
        }
    }
}

fn kind_of(k: &str) -> Option<Kind> {
    match k {
        "C" => Some(Kind::Country),
        "A" => Some(Kind::Adm1),
        "P" => Some(Kind::Populated),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# id\tkind\n\
1\tC\tGeorgia\t\tGE\tGG\t\t\t\t42.0\t43.5\t3700000\tGEO\t\n\
2\tC\tFrance\t\tFR\tFR\t\t\t\t46.6\t2.4\t67000000\tFRA\t\n\
3\tC\tUnited States\tUSA\tUS\tUS\t\t\t\t39.8\t-98.6\t327000000\tUSA\t\n\
US.GA\tA\tGeorgia\t\tUS\tUS\tUSGA\tGeorgia\t\t32.6\t-83.4\t10000000\t\t\n\
US.TX\tA\tTexas\t\tUS\tUS\tUSTX\tTexas\t\t31.0\t-99.0\t29000000\t\t\n\
10\tP\tParis\tParis-city\tFR\tFR\tFR11\tIle-de-France\t\t48.85\t2.35\t2138551\t\t\n\
11\tP\tParis\t\tUS\tUS\tUSTX\tTexas\tLamar County\t33.66\t-95.56\t24782\t\tTX277\n";

    #[test]
    fn names_choose_by_document_division_and_size() {
        let g = Gazetteer::parse(SAMPLE.into(), "s.tsv").unwrap();
        let georgia = g.named("georgia");
        assert_eq!(georgia.len(), 2);
        assert_eq!(
            g.place(g.choose(georgia, &[], None).unwrap()).kind,
            Kind::Country
        );
        let us = g.choose(georgia, &["US"], None).unwrap();
        assert_eq!(g.place(us).adm1, "USGA");
        assert_eq!(g.place(us).geo_type(), 2);
        let paris = g.named("paris");
        assert_eq!(g.place(g.choose(paris, &[], None).unwrap()).country, "FR");
        let texas = g.named("texas")[0];
        let small = g.choose(paris, &[], Some(texas)).unwrap();
        assert_eq!(g.full_name(small), "Paris, Texas, United States");
        assert_eq!(g.place(small).geo_type(), 3);
        assert_eq!(g.place(small).feature_id(), "11");
        assert_eq!(g.place(small).adm2, "TX277");
        assert_eq!(g.named("paris-city").len(), 1);
        assert_eq!(g.place(g.country_iso3("FRA").unwrap()).fips, "FR");
        let mut g = g;
        g.set_not_places("# regions\nTexas\n");
        assert!(g.named("TEXAS").is_empty() && !g.named("paris").is_empty());
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = Gazetteer::parse("1\tC\tX\n".into(), "g.tsv").unwrap_err();
        assert_eq!(e.to_string(), "g.tsv:1: 3 columns, expected 14");
        let line = "1\tP\tX\t\tFR\tFR\t\t\t\t91.0\t2.0\t5\t\t\n";
        let e = Gazetteer::parse(line.into(), "g.tsv").unwrap_err();
        assert!(e.to_string().starts_with("g.tsv:1: `91.0`"), "{e}");
        let line = "1\tZ\tX\t\tFR\tFR\t\t\t\t1.0\t2.0\t5\t\t\n";
        assert!(Gazetteer::parse(line.into(), "g.tsv").is_err());
        let line = "1\tC\tX\t\tFR\tFR\t\t\t\t1.0\t2.0\t5\t\t\n";
        assert!(Gazetteer::parse(line.into(), "g.tsv").is_err());
        let line = "1\tP\tX\t\tUS\tUS\tUSTX\t\t\t1.0\t2.0\t5\t\tTexas\n";
        let e = Gazetteer::parse(line.into(), "g.tsv").unwrap_err();
        assert!(e.to_string().contains("ADM2 code `Texas`"), "{e}");
    }
}
