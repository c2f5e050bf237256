//! `Coder::mentions` reports the actor mentions as coding resolved them, speaker pronouns of
//! parsed sentences included, and leaves coding as it was.

use dyad_coder::{parse_date, Coder, MentionKind, Scratch};
use dyad_core::Document;
use dyad_dict::Dictionary;
use std::path::Path;

#[test]
fn mentions_carry_their_kind_code_and_antecedent() {
    let dict = Dictionary::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict"))
        .unwrap_or_else(|e| panic!("{e}"));
    let model = dyad_syntax::Model::load(&dyad_syntax::default_model_path())
        .unwrap_or_else(|e| panic!("{e}"));
    let coder = Coder::new(&dict, &model);
    let doc = Document {
        id: "t".into(),
        text: "Polish Prime Minister Jan Kowalczyk visited Germany on Friday. Kowalczyk met \
               Chancellor Olaf Scholz. The minister said that we will send troops to Ukraine. \
               France said it would help."
            .into(),
        ..Default::default()
    };
    let date = parse_date("2023-01-01");
    let found = coder.mentions(&doc, date);
    let got: Vec<(u32, &str, MentionKind, &str, &str)> = found
        .iter()
        .map(|m| {
            (
                m.sentence,
                m.span.slice(&doc.text),
                m.kind,
                m.code.as_deref().unwrap_or("-"),
                m.antecedent.map_or("", |a| a.slice(&doc.text)),
            )
        })
        .collect();
    use MentionKind::*;
    assert_eq!(
        got,
        [
            (0, "Polish Prime Minister Jan Kowalczyk", Name, "POLGOV", ""),
            (0, "Germany", Name, "DEU", ""),
            (
                1,
                "Kowalczyk",
                Surname,
                "POLGOV",
                "Polish Prime Minister Jan Kowalczyk"
            ),
            (1, "Chancellor Olaf Scholz", Name, "DEUGOV", ""),
            (
                2,
                "minister",
                Description,
                "DEUGOV",
                "Chancellor Olaf Scholz"
            ),
            (2, "troops", Role, "MIL", ""),
            (2, "Ukraine", Name, "UKR", ""),
            // Added after the parse: the speaker of the statement it stands in.
            (2, "we", Speaker, "DEUGOV", "minister"),
            (3, "France", Name, "FRA", ""),
            (3, "it", Pronoun, "FRA", "France"),
        ]
    );
    // Collecting changes nothing in what is coded.
    let events = coder.code(&doc, date, &mut Scratch::default());
    assert!(!events.is_empty());
    coder.mentions(&doc, date);
    assert_eq!(coder.code(&doc, date, &mut Scratch::default()), events);
}
