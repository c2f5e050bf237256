//! Tests on the real treebanks in ../shared/treebanks (skipped with a note where absent) and on
//! the committed model.

use dyad_syntax::conllu;
use dyad_syntax::train::{oracle_tree, train, Config};
use dyad_syntax::Model;
use std::path::{Path, PathBuf};

fn treebank(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/treebanks")
        .join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; test skipped", p.display());
        None
    }
}

#[test]
fn the_oracle_rebuilds_every_projective_training_tree() {
    for name in ["en_ewt-ud-train.conllu", "en_gum-news-ud-train.conllu"] {
        let Some(path) = treebank(name) else { return };
        let sents = conllu::read_file(&path).unwrap();
        let mut projective = 0;
        for s in &sents {
            if !s.is_projective() {
                continue;
            }
            projective += 1;
            let gold: Vec<u32> = s.words.iter().map(|w| w.head).collect();
            assert_eq!(oracle_tree(&gold), gold, "{name}:{}", s.line);
        }
        // Nearly all of a UD English treebank is projective.
        assert!(
            projective * 100 > sents.len() * 90,
            "{projective} of {}",
            sents.len()
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_model_bytes() {
    let Some(path) = treebank("en_gum-news-ud-dev.conllu") else {
        return;
    };
    let sents = conllu::read_file(&path).unwrap();
    let (train_part, dev_part) = sents.split_at(300);
    let cfg = Config {
        seed: 7,
        tagger_epochs: 2,
        parser_epochs: 2,
        folds: 2,
        tagger_bits: 14,
        transition_bits: 15,
        label_bits: 13,
    };
    let make =
        |cfg: &Config| train(train_part, dev_part, cfg, "test".into(), &mut |_| {}).to_bytes();
    let a = make(&cfg);
    assert_eq!(a, make(&cfg));
    let other = Config {
        seed: 8,
        ..cfg.clone()
    };
    assert_ne!(a, make(&other), "the seed should matter");
    // And what was written reads back as the same model.
    let m = Model::from_bytes(&a).unwrap();
    assert_eq!(m.to_bytes(), a);
}

#[test]
fn the_committed_model_loads_and_parses() {
    let model = Model::load(&dyad_syntax::default_model_path()).expect("models/en-ud.dyadsyn");
    let p = model.parse(&[
        "Russia", "accused", "Ukraine", "of", "shelling", "the", "plant", ".",
    ]);
    assert_eq!(p.head.len(), 8);
    dyad_syntax::tree::check(&p.head).unwrap();
    // "accused" is the root, with Russia as its subject and Ukraine as its object.
    assert_eq!(p.head[1], 0);
    assert_eq!(model.label(p.deprel[0]), "nsubj");
    assert_eq!((p.head[2], model.label(p.deprel[2])), (2, "obj"));
}

#[test]
fn a_corrupt_model_is_refused_with_its_name() {
    let bytes = std::fs::read(dyad_syntax::default_model_path()).unwrap();
    let dir = std::env::temp_dir().join(format!("dyad-syntax-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, cut) in [
        ("truncated", bytes[..bytes.len() / 2].to_vec()),
        ("flipped", {
            let mut b = bytes.clone();
            let mid = b.len() / 2;
            b[mid] ^= 0x55;
            b
        }),
    ] {
        let path = dir.join(format!("{name}.dyadsyn"));
        std::fs::write(&path, &cut).unwrap();
        let err = Model::load(&path)
            .expect_err("a corrupt model must not load")
            .to_string();
        assert!(err.contains(&format!("{name}.dyadsyn")), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
