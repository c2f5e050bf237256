//! The gazetteer and the tone lexicon shipped in dict/ load and answer as expected.

use dyad_geo::{Gazetteer, Kind, Tone};
use std::path::PathBuf;

fn dict(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../dict")
        .join(rel)
}

#[test]
fn shipped_gazetteer_loads_with_fips_codes() {
    let start = std::time::Instant::now();
    let g = Gazetteer::load(&dict("geo/places.tsv.zst")).unwrap();
    eprintln!("gazetteer: {} places in {:?}", g.len(), start.elapsed());
    assert!(g.len() > 150_000, "{}", g.len());
    let iraq = g.place(g.country_iso3("IRQ").unwrap());
    assert_eq!((iraq.fips.as_str(), iraq.kind), ("IZ", Kind::Country));
    let mosul = g.place(g.choose(g.named("mosul"), &["IQ"], None).unwrap());
    assert_eq!((mosul.adm1.as_str(), mosul.geo_type()), ("IZ15", 4));
    let texas = g.choose(g.named("texas"), &[], None).unwrap();
    assert_eq!(g.place(texas).adm1, "USTX");
    let kabul = g.place(g.choose(g.named("kabul"), &[], None).unwrap());
    assert_eq!(kabul.fips, "AF");
    // Every country has a FIPS code but the few GeoNames leaves without one.
    let without: Vec<&str> = ["USA", "GBR", "DEU", "RUS", "CHN", "UKR", "ISR", "PSE"]
        .into_iter()
        .filter(|c| {
            g.country_iso3(c)
                .is_none_or(|id| g.place(id).fips.is_empty())
        })
        .collect();
    assert!(without.is_empty(), "{without:?}");
}

#[test]
fn shipped_tone_lexicon_loads() {
    let t = Tone::load(&dict("tone/vader.tsv")).unwrap();
    assert!(t.len() > 7000);
    assert!(t.score("Troops killed dozens in a brutal attack.") < 0.0);
    assert!(t.score("Leaders welcomed the peace agreement and praised the talks.") > 0.0);
}
