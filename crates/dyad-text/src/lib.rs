//! dyad-text: sentence segmentation, tokenization, typographic normalization and English
//! inflection for dictionary patterns.
//!
//! All hot-path functions ([`segment`], [`tokenize`]) only push into caller-owned buffers: no
//! allocation per sentence or per token beyond buffer growth.
//!
//! Decisions worth knowing (see the module docs for the full rules):
//! - A dateline ("MOSCOW (Reuters) - ...") is attached to the first sentence, whether it shares
//!   its line or stands on a line ending with a dash.
//! - Every other line that ends without continuing punctuation (headline, byline, list item) is
//!   its own sentence; a blank line always ends one.
//! - `'s` is always a [`dyad_core::TokenKind::Possessive`] token, even where it means "is"
//!   ("it's"): the coder sees the word before it.

mod chars;
mod inflect;
mod normalize;
mod segment;
mod tokenize;

pub use chars::fold as fold_char;
pub use inflect::{inflections, Irregulars};
pub use normalize::{normalize, Normalized};
pub use segment::segment;
pub use tokenize::tokenize;
