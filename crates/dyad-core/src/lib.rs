//! Core types shared by every dyad crate. No I/O here.
//!
//! Invariant: every [`Span`] is a byte range into [`Document::text`] (the extracted, cleaned text
//! of one document). Later stages never rewrite that text; they only point into it.

mod event;
pub use event::*;

use serde::{Deserialize, Serialize};

/// Half-open byte range `[start, end)` into a document's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// The text this span covers; empty if the span does not fit `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.range()).unwrap_or("")
    }
}

/// Where a document came from, so that errors and provenance can point back to the input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Origin {
    /// Input path as given (or `-` for stdin), plus the member path inside it where relevant.
    pub path: String,
    /// 1-based line number for line-oriented inputs (JSONL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Byte offset of the record in the (decompressed) input, for WARC records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

/// One news document: cleaned main text plus metadata.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the record's own id if it has one, else derived from the origin.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication time, ISO 8601 (`2017-07-07T13:53:00-05:00` or `2017-07-07`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Publisher or site name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Main text. Paragraphs are separated by a blank line (`\n\n`).
    pub text: String,
    pub origin: Origin,
    /// Non-fatal problems met while reading (e.g. "invalid UTF-8 replaced").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Document {
    /// The publication date part (`YYYY-MM-DD`) if `published` starts with one.
    pub fn published_date(&self) -> Option<&str> {
        let p = self.published.as_deref()?;
        let d = p.get(..10)?;
        let b = d.as_bytes();
        let ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        ok.then_some(d)
    }
}

/// One sentence of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// 0-based index within the document.
    pub index: u32,
    pub span: Span,
}

/// Coarse class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens, apostrophes or periods ("al-Sudani", "U.S.", "O'Neil").
    Word,
    /// Digits, possibly with separators ("2.5", "1,200", "2016", "30-minute" is a Word).
    Number,
    /// The possessive clitic split off a word ("'s", "'").
    Possessive,
    /// Any punctuation mark; quotes and dashes are normalized in `norm`.
    Punct,
}

/// One token. `span` points into the document text; `norm` into [`Tokens::norm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub span: Span,
    /// Range of the normalized form (lowercased, quotes/dashes folded) in [`Tokens::norm`].
    pub norm: Span,
    pub kind: TokenKind,
    /// The original starts with an uppercase letter.
    pub capitalized: bool,
}

/// A reusable token buffer: all normalized forms live in one string, so tokenizing does not
/// allocate per token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    pub norm: String,
    pub tokens: Vec<Token>,
}

impl Tokens {
    pub fn clear(&mut self) {
        self.norm.clear();
        self.tokens.clear();
    }
    pub fn len(&self) -> usize {
        self.tokens.len()
    }
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
    /// Normalized form of token `i`.
    pub fn norm(&self, i: usize) -> &str {
        self.tokens[i].norm.slice(&self.norm)
    }
    /// Appends a token whose normalized form is `norm`.
    pub fn push(&mut self, span: Span, norm: &str, kind: TokenKind, capitalized: bool) {
        let start = self.norm.len() as u32;
        self.norm.push_str(norm);
        let end = self.norm.len() as u32;
        self.tokens.push(Token {
            span,
            norm: Span::new(start, end),
            kind,
            capitalized,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_date_takes_iso_prefix_only() {
        let mut d = Document {
            published: Some("2017-07-07T13:53:00-05:00".into()),
            ..Default::default()
        };
        assert_eq!(d.published_date(), Some("2017-07-07"));
        d.published = Some("Jul 7, 2017".into());
        assert_eq!(d.published_date(), None);
    }

    #[test]
    fn tokens_share_one_buffer() {
        let mut t = Tokens::default();
        t.push(Span::new(0, 6), "russia", TokenKind::Word, true);
        t.push(Span::new(6, 8), "'s", TokenKind::Possessive, false);
        assert_eq!(t.norm(0), "russia");
        assert_eq!(t.norm(1), "'s");
        assert_eq!(t.norm, "russia's");
    }

    #[test]
    fn span_slice_is_safe_out_of_range() {
        assert_eq!(Span::new(2, 50).slice("abc"), "");
        assert_eq!(Span::new(1, 3).slice("abc"), "bc");
    }
}
