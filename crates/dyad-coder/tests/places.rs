//! Events take their place from the gazetteer: a place phrase on the event's words, elsewhere in
//! the sentence, or the dateline; names of several places resolve towards the actors' countries;
//! every event carries its document's tone. Sentences written for these tests.

use dyad_coder::{Coder, Scratch};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use std::path::Path;
use std::sync::OnceLock;

fn dict_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict")
}

fn engine() -> &'static (Dictionary, dyad_syntax::Model, dyad_geo::Geo) {
    static E: OnceLock<(Dictionary, dyad_syntax::Model, dyad_geo::Geo)> = OnceLock::new();
    E.get_or_init(|| {
        let dict = Dictionary::load(dict_dir()).unwrap_or_else(|e| panic!("{e}"));
        let model = dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"));
        let geo = dyad_geo::Geo::load(&dict_dir()).unwrap_or_else(|e| panic!("{e}"));
        (dict, model, geo)
    })
}

fn code(text: &str) -> Vec<Event> {
    let (dict, model, geo) = engine();
    let coder = Coder::new(dict, model).with_geo(geo);
    let doc = Document {
        id: "t".into(),
        text: text.into(),
        published: Some("2024-05-02".into()),
        ..Default::default()
    };
    coder.code(&doc, None, &mut Scratch::default())
}

fn place_of<'a>(events: &'a [Event], code: &str) -> &'a dyad_core::EventPlace {
    let e = events
        .iter()
        .find(|e| e.code.starts_with(code))
        .unwrap_or_else(|| panic!("no {code} event in {events:#?}"));
    e.place
        .as_ref()
        .unwrap_or_else(|| panic!("no place: {e:#?}"))
}

#[test]
fn a_place_phrase_on_the_event_places_it() {
    let ev = code("Iraqi troops clashed with Islamic State militants near Mosul on Monday.");
    let p = place_of(&ev, "19");
    assert_eq!(p.text, "Mosul");
    assert_eq!((p.country_code.as_str(), p.adm1.as_str()), ("IZ", "IZ15"));
    assert_eq!((p.geo_type, p.resolution.as_str()), (4, "event"));
    assert!(p.entry.starts_with("geo/places.tsv.zst:"), "{}", p.entry);
    assert!((36.0..37.0).contains(&p.lat) && (42.5..43.5).contains(&p.lon));
}

#[test]
fn divisions_cities_and_the_dateline() {
    let ev = code(
        "KABUL, Afghanistan — Taliban fighters attacked a police checkpoint in the province of \
         Helmand on Tuesday, officials said. Taliban fighters also attacked soldiers.",
    );
    let placed: Vec<&dyad_core::EventPlace> = ev.iter().filter_map(|e| e.place.as_ref()).collect();
    let helmand = placed
        .iter()
        .find(|p| p.text == "Helmand")
        .expect("Helmand");
    assert_eq!((helmand.geo_type, helmand.adm1.as_str()), (5, "AF10"));
    let kabul = placed
        .iter()
        .find(|p| p.resolution == "dateline")
        .expect("the second event takes the dateline's place");
    assert_eq!(
        (kabul.text.as_str(), kabul.country_code.as_str()),
        ("KABUL", "AF")
    );
}

#[test]
fn regions_and_longer_names_place_nothing() {
    // "Middle East" is also a small place in the gazetteer; "Cato" the start of another name.
    for text in [
        "Iran accused Israel of destabilizing the Middle East.",
        "Israel accused Iran of arming militants, an analyst said at the Cato Institute.",
        "Israel accused Iran of arming militants, officials said at the White House.",
    ] {
        let ev = code(text);
        assert!(!ev.is_empty(), "{text}");
        assert!(ev.iter().all(|e| e.place.is_none()), "{text}: {ev:#?}");
    }
    // A name that modifies a noun is no place.
    let ev = code("Iran accused officials in the Obama administration of lying.");
    assert!(ev.iter().all(|e| e.place.is_none()), "{ev:#?}");
    // The place named inside another: "the Somali city of X", "Zimbabwe's capital, Harare".
    let ev = code("Gunmen attacked soldiers in the Somali city of Beledweyne.");
    assert_eq!(place_of(&ev, "1").country_code, "SO");
    let ev = code("Zimbabwe police arrested protesters in Zimbabwe's capital, Harare.");
    assert_eq!(place_of(&ev, "17").text, "Harare");
    // A place noun after the name keeps it: "in Helmand Province".
    let ev = code("Taliban fighters attacked a police checkpoint in Helmand Province.");
    assert_eq!(place_of(&ev, "19").adm1, "AF10");
}

#[test]
fn a_name_of_several_places_follows_the_text() {
    // "Paris, Texas" is the town in Texas; Paris alone is the French capital.
    let ev = code("Mexico and the United States held talks in Paris, Texas.");
    assert_eq!(place_of(&ev, "04").name, "Paris, Texas, United States");
    let ev = code("Iran and France held talks in Paris on Monday.");
    assert_eq!(place_of(&ev, "04").country_code, "FR");
    // An American actor does not make Paris the small town in Texas.
    let ev = code("The United States and Iran held talks in Paris on Monday.");
    assert_eq!(place_of(&ev, "04").country_code, "FR");
    // Under a dateline, a name is first looked for in the dateline's country.
    let ev = code("BLANTYRE — Malawi police arrested protesters in Mwanza on Monday.");
    assert_eq!(place_of(&ev, "17").country_code, "MI");
    // A big city before a division of the same name.
    let ev = code("President Joe Biden met Chancellor Olaf Scholz in Washington.");
    assert_eq!(place_of(&ev, "04").adm1, "USDC");
}

#[test]
fn a_place_is_where_not_who_and_tone_follows_the_words() {
    let ev = code("Israel accused Iran of arming militants in Syria.");
    let e = ev
        .iter()
        .find(|e| e.code.starts_with("112"))
        .expect("accusation");
    assert_eq!(e.source.code, "ISR");
    assert!(e.target.as_ref().is_some_and(|t| t.code == "IRN"), "{e:#?}");
    let sad = code("Militants killed dozens of civilians in a brutal attack in Syria.");
    let glad = code("Egypt welcomed the peace agreement and praised the talks in Geneva.");
    let tone = |ev: &[Event]| ev.first().and_then(|e| e.tone).expect("tone");
    assert!(tone(&sad) < 0.0 && tone(&glad) > 0.0);
    assert!(
        ev.iter().all(|e| e.tone == ev[0].tone),
        "one tone per document"
    );
}

#[test]
fn without_the_gazetteer_events_have_no_place_nor_tone() {
    let (dict, model, _) = engine();
    let coder = Coder::new(dict, model);
    let doc = Document {
        id: "t".into(),
        text: "Iraqi troops clashed with Islamic State militants near Mosul.".into(),
        ..Default::default()
    };
    let ev = coder.code(&doc, None, &mut Scratch::default());
    assert!(!ev.is_empty());
    assert!(ev.iter().all(|e| e.place.is_none() && e.tone.is_none()));
}

#[test]
fn actors_are_where_their_words_or_the_sentence_place_them() {
    // "police in Karachi": the phrase hangs from the actor's words.
    let ev = code("Police in Karachi arrested dozens of opposition protesters on Monday.");
    let e = ev
        .iter()
        .find(|e| e.code.starts_with("17"))
        .unwrap_or_else(|| panic!("no arrest in {ev:#?}"));
    let p = e.source.place.as_ref().expect("the police's place");
    assert_eq!(
        (p.text.as_str(), p.resolution.as_str()),
        ("Karachi", "actor")
    );
    assert_eq!(p.country_code, "PK");
    // Otherwise the place named nearest in the sentence, as GDELT's Actor1Geo/Actor2Geo.
    let ev = code("Iraqi troops clashed with Islamic State militants near Mosul on Monday.");
    let e = ev
        .iter()
        .find(|e| e.code.starts_with("19"))
        .expect("a fight");
    let p = e.source.place.as_ref().expect("the troops' place");
    assert_eq!(
        (p.text.as_str(), p.resolution.as_str()),
        ("Mosul", "sentence")
    );
    let target = e.target.as_ref().and_then(|a| a.place.as_ref());
    assert_eq!(target.map(|p| p.text.as_str()), Some("Mosul"));
    // An actor named nowhere in the text has no place.
    let ev = code("A roadside bomb killed two Iraqi soldiers near Mosul on Monday.");
    let e = ev
        .iter()
        .find(|e| e.code.starts_with("1"))
        .expect("a killing");
    assert!(
        e.source.code.is_empty() && e.source.place.is_none(),
        "{e:#?}"
    );
}

#[test]
fn a_deed_the_sentence_does_not_place_happened_where_the_story_is() {
    let ev = code(
        "Somali troops clashed with al-Shabab militants in the town of Beledweyne on Monday. \
         Somali police arrested two al-Shabab suspects on Tuesday. \
         Somalia's president praised the troops.",
    );
    let arrested = ev
        .iter()
        .find(|e| e.verb.text.contains("arrested"))
        .unwrap_or_else(|| panic!("no arrest in {ev:#?}"));
    let p = arrested.place.as_ref().expect("the story's place");
    assert_eq!(
        (p.text.as_str(), p.resolution.as_str()),
        ("Beledweyne", "story")
    );
    // Words need not have been said where the story is.
    let praised = ev.iter().find(|e| e.verb.text.contains("praise"));
    assert!(praised.is_none_or(|e| e.place.is_none()), "{praised:#?}");
}

#[test]
fn the_words_around_a_name_say_whether_it_is_a_city_or_a_division() {
    // Kano is a state and its city of millions: alone, the city; "Kano state", the division.
    let city = code("Gunmen attacked Nigerian police in Kano on Monday.");
    let p = place_of(&city, "1");
    assert_eq!((p.text.as_str(), p.geo_type), ("Kano", 4));
    let state = code("Gunmen attacked Nigerian police in Kano state on Monday.");
    let p = place_of(&state, "1");
    assert_eq!(
        (p.text.as_str(), p.geo_type, p.adm1.as_str()),
        ("Kano", 5, "NI29")
    );
}

#[test]
fn the_documents_earlier_places_steer_a_name_of_several() {
    // Alone, Hyderabad is the Indian city (the bigger); after a place in Pakistan, Pakistan's.
    let alone = code("Gunmen also attacked a police station in Hyderabad on Tuesday.");
    assert_eq!(place_of(&alone, "18").country_code, "IN");
    let after = code(
        "Gunmen attacked a bus in Sindh province on Monday. \
         Gunmen also attacked a police station in Hyderabad on Tuesday.",
    );
    let hyderabad = after
        .iter()
        .filter_map(|e| e.place.as_ref())
        .find(|p| p.text == "Hyderabad")
        .expect("Hyderabad placed");
    assert_eq!(hyderabad.country_code, "PK");
}
