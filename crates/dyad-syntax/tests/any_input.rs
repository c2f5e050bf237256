//! Any sequence of tokens gives a well-formed tree and never panics.

use dyad_syntax::Model;
use proptest::prelude::*;
use std::sync::OnceLock;

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::load(&dyad_syntax::default_model_path()).expect("the committed model"))
}

fn check(words: &[String]) {
    let refs: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
    let p = model().parse(&refs);
    assert_eq!(p.head.len(), words.len());
    assert_eq!(p.upos.len(), words.len());
    assert_eq!(p.deprel.len(), words.len());
    if words.is_empty() {
        return;
    }
    dyad_syntax::tree::check(&p.head).unwrap();
    for (i, &h) in p.head.iter().enumerate() {
        let root = model().label(p.deprel[i]) == "root";
        assert_eq!(
            root,
            h == 0,
            "word {} head {h} label {}",
            i + 1,
            model().label(p.deprel[i])
        );
    }
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,12}",
        "[0-9]{1,6}",
        "[[:punct:]]{1,3}",
        "\\PC{1,8}",
        Just("the".to_string()),
        Just("said".to_string()),
        Just("'s".to_string()),
        Just(".".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_words_make_a_tree(words in prop::collection::vec(word(), 0..120)) {
        check(&words);
    }
}

#[test]
fn edge_shapes_make_trees() {
    let cases: Vec<Vec<String>> = vec![
        vec![],
        vec!["Hello".into()],
        vec![".".into(); 60],
        (0..500).map(|i| i.to_string()).collect(),
        (0..500)
            .map(|i| ["Russia", ",", "and", "met"][i % 4].to_string())
            .collect(),
        vec![
            "中国".into(),
            "Россия".into(),
            "العربية".into(),
            "🙂".into(),
        ],
        vec!["".into(), " ".into(), "\u{200b}".into()],
    ];
    for c in &cases {
        check(c);
    }
}
