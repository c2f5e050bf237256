//! dyad-syntax: a part-of-speech tagger and a labelled dependency parser for English, trained on
//! Universal Dependencies treebanks, with no model download and no runtime beyond this crate.
//!
//! - Tagger: greedy left-to-right, averaged perceptron over hashed features (word, affixes, shape,
//!   neighbouring words, the tags seen with a word in training, the previous tags).
//! - Parser: arc-eager transitions chosen by an averaged perceptron over hashed Zhang & Nivre (2011)
//!   style features, trained with a dynamic oracle (Goldberg & Nivre 2012); each arc is labelled as
//!   it is made by a second perceptron, so later decisions see the labels.
//! - Weights are quantized to 16 bits; a model is one zstd-compressed file (see [`model`]).
//!
//! Output is always a tree: one word on the root, no cycle, every word headed.

pub mod conllu;
mod features;
pub mod model;
mod parser;
mod perceptron;
mod tagger;
pub mod train;
pub mod tree;
mod upos;
pub mod words;

pub use model::{Model, MODEL_FORMAT};
pub use parser::Parse;
pub use upos::Upos;

/// Errors of reading treebanks and models.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxError {
    #[error("cannot read or write {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {why}")]
    Format {
        file: String,
        line: usize,
        why: String,
    },
    #[error("{path}: not a usable dyad syntax model: {why}")]
    Model { path: String, why: String },
}

/// The default model file: `$DYAD_MODEL`, else `models/en-ud.dyadsyn` under the working directory,
/// else the one in the source tree this binary was built from.
pub fn default_model_path() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("DYAD_MODEL") {
        return p.into();
    }
    let local = std::path::Path::new("models/en-ud.dyadsyn");
    if local.exists() {
        return local.to_path_buf();
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en-ud.dyadsyn")
}
