//! `Coder::code_until` stops at its deadline instead of coding on for a caller that gave up.

use dyad_coder::{parse_date, Coder, DeadlinePassed, Scratch};
use dyad_core::Document;
use dyad_dict::Dictionary;
use std::path::Path;
use std::time::{Duration, Instant};

fn model() -> &'static dyad_syntax::Model {
    static M: std::sync::OnceLock<dyad_syntax::Model> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

#[test]
fn a_passed_deadline_stops_coding_and_a_distant_one_changes_nothing() {
    let dict = Dictionary::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict"))
        .unwrap_or_else(|e| panic!("{e}"));
    let coder = Coder::new(&dict, model());
    let doc = Document {
        id: "t".into(),
        text: "Russia accused Ukraine of shelling the town. China criticized Japan.".into(),
        ..Default::default()
    };
    let date = parse_date("2020-01-01");
    let mut sc = Scratch::default();
    let all = coder.code(&doc, date, &mut sc);
    assert!(!all.is_empty());
    // Already passed: not even the first sentence is coded.
    assert_eq!(
        coder.code_until(&doc, date, &mut sc, Instant::now()),
        Err(DeadlinePassed)
    );
    let later = Instant::now() + Duration::from_secs(3600);
    assert_eq!(coder.code_until(&doc, date, &mut sc, later), Ok(all));
}
