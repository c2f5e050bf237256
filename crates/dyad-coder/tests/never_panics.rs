//! The coder never panics, whatever the text: random sentences built from the words that steer it
//! (names, titles, verbs, pronouns, quotes, punctuation) and from arbitrary strings.

use dyad_coder::{parse_date, Coder, Scratch};
use dyad_core::Document;
use dyad_dict::Dictionary;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn model() -> &'static dyad_syntax::Model {
    static M: std::sync::OnceLock<dyad_syntax::Model> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn dict() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| {
        Dictionary::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict"))
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

const WORDS: &[&str] = &[
    "Putin",
    "Trump",
    "Russia",
    "Russian",
    "Ukraine's",
    "U.S.",
    "the",
    "a",
    "president",
    "officials",
    "police",
    "rebels",
    "he",
    "they",
    "their",
    "its",
    "we",
    "said",
    "told",
    "reporters",
    "that",
    "according",
    "to",
    "denied",
    "will",
    "not",
    "refused",
    "must",
    "may",
    "threatened",
    "met",
    "with",
    "and",
    "attacked",
    "was",
    "by",
    "accused",
    "of",
    "on",
    "Friday",
    "May",
    "9",
    "in",
    "Moscow",
    "\u{201c}",
    "\u{201d}",
    "\"",
    ",",
    ".",
    ";",
    "?",
    "(",
    ")",
    "-",
    "'s",
    "who",
    "which",
    "if",
    "unless",
    "killed",
    "sanctions",
    "imposed",
    "talks",
    "between",
    "urged",
    "agreed",
    "meeting",
    "his",
    "arrest",
    "released",
    "hostages",
    "thousands",
    "demonstrated",
    "against",
    "government",
];

fn code(text: &str) {
    let doc = Document {
        id: "t".into(),
        text: text.to_string(),
        ..Default::default()
    };
    let events =
        Coder::new(dict(), model()).code(&doc, parse_date("2020-01-01"), &mut Scratch::default());
    for e in events {
        assert!(
            dict().codebook.get(&e.code).is_some(),
            "code {} not in the codebook",
            e.code
        );
        assert!(e.sentence_span.end as usize <= text.len());
        assert!(e.verb.span.end as usize <= text.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn word_soup(words in prop::collection::vec(prop::sample::select(WORDS), 0..40)) {
        code(&words.join(" "));
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        code(&text);
    }
}
