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
pub use segment::{segment, MAX_SENTENCE_BYTES};
pub use tokenize::tokenize;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names (1 to 12): the full English name or a prefix of it of three letters or
/// more ("Jul", "Sept."), any case, an abbreviation's period allowed. "Mayor" and "Marching" are
/// not months.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 || !w.is_ascii() {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.len() >= w.len() && m[..w.len()].eq_ignore_ascii_case(w))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod month_tests {
    use super::month_number;

    #[test]
    fn months_in_full_and_abbreviated() {
        assert_eq!(month_number("July"), Some(7));
        assert_eq!(month_number("jul"), Some(7));
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("DECEMBER"), Some(12));
        assert_eq!(month_number("Mayor"), None);
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Marching"), None);
    }
}
