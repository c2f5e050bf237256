//! Work stays bounded however long a sentence or a list is (issue: hardening, item 1).

use dyad_coder::{parse_date, Coder, Scratch};
use dyad_core::Document;
use dyad_dict::Dictionary;
use std::collections::BTreeSet;
use std::path::Path;

fn model() -> &'static dyad_syntax::Model {
    static M: std::sync::OnceLock<dyad_syntax::Model> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn dict() -> Dictionary {
    Dictionary::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One-word country names with distinct codes, from the dictionary itself.
fn countries(dict: &Dictionary, n: usize) -> Vec<String> {
    let names = dict.actors.one_word_countries(n);
    assert_eq!(names.len(), n, "the dictionary has {n} one-word countries");
    names.into_iter().map(String::from).collect()
}

fn code(dict: &Dictionary, text: String) -> Vec<dyad_core::Event> {
    let doc = Document {
        id: "t".into(),
        text,
        ..Default::default()
    };
    Coder::new(dict, model()).code(&doc, parse_date("2020-01-01"), &mut Scratch::default())
}

#[test]
fn a_long_list_of_names_gives_each_pair_once() {
    let dict = dict();
    let names = countries(&dict, 8);
    let short = code(&dict, format!("{} met in Geneva.", names.join(", ")));
    assert_eq!(short.len(), 8 * 7, "every ordered pair of the eight meets");
    // 2,000 names: the same 56 events, not 4 million pairs.
    let long = code(
        &dict,
        format!("{} met in Geneva.", vec![names.join(", "); 250].join(", ")),
    );
    let pairs = |ev: &[dyad_core::Event]| -> BTreeSet<(String, String)> {
        ev.iter()
            .map(|e| {
                (
                    e.source.code.clone(),
                    e.target.as_ref().map_or(String::new(), |t| t.code.clone()),
                )
            })
            .collect()
    };
    assert_eq!(pairs(&long), pairs(&short));
}

#[test]
fn one_pattern_yields_at_most_the_capped_number_of_pairs() {
    let dict = dict();
    let names = countries(&dict, 30);
    // 30 distinct actors acting together: 870 ordered pairs, of which 256 are taken.
    let events = code(&dict, format!("{} met.", names.join(", ")));
    assert!(!events.is_empty());
    assert!(events.len() <= 256, "{} events", events.len());
}

#[test]
fn an_endless_sentence_is_coded_in_pieces() {
    let dict = dict();
    let names = countries(&dict, 4);
    let clause = format!(
        "{} accused {} and {} criticized {} and ",
        names[0], names[1], names[2], names[3]
    );
    let events = code(&dict, clause.repeat(2000));
    // The pieces code the same two accusations and two criticisms, merged in the document.
    assert!(
        !events.is_empty() && events.len() <= 8,
        "{} events",
        events.len()
    );
    assert!(events
        .iter()
        .all(|e| e.sentence_text.len() <= dyad_text::MAX_SENTENCE_BYTES));
}
