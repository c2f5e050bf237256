//! Sentence segmentation for news text.
//!
//! The text is cut at *breaks*; each piece between two breaks, trimmed of whitespace, is a
//! sentence (pieces that are only whitespace are dropped). Because every piece is kept, every
//! non-whitespace char of the input lands in exactly one sentence.
//!
//! Breaks:
//! - **Blank line** (a line holding only whitespace): always a break (paragraphs, headlines).
//! - **Single newline**: a break (a headline, byline, list item or dateline line is its own
//!   sentence), unless the line is clearly continued: the next line starts with a lowercase
//!   letter, or this line ends with `,` `;` `&` `(` or a dash, or with a title abbreviation
//!   ("Mr."). So a dateline line "MOSCOW (Reuters) -" is attached to the sentence after it, as is a
//!   dateline on the same line as the first sentence.
//! - **`?` / `!`** (runs like `?!`), plus closing quotes/brackets, then whitespace: a break unless
//!   the next word is lowercase (`"Why?" he asked`) or the quote is followed by its attribution
//!   within four words (`"Why not?" Trump asked.`).
//! - **`.`** plus closers, then whitespace: the word before the period decides.
//!   - title abbreviations ("Mr.", "Gen.", "vs.", "e.g."): never a break;
//!   - ambiguous abbreviations ("U.S.", "Inc.", "Jr.", "a.m.", months, initials "S."): a break
//!     only if the next word is a typical sentence starter ("The", "He", "But", ...), so
//!     "in the U.S. The president" splits and "the U.S. Senate" does not;
//!   - a 1-2 digit number at the start of a line ("1. First"): a list number, no break;
//!   - anything else: a break unless the next word starts with a lowercase letter.
//!
//!   A period followed by a non-space ("U.S.", "3.14", "voanews.com", "example.org/a.b") is
//!   never a break.
//! - **Ellipsis** (`...`, `…`): a break when the next word is not lowercase and either the
//!   ellipsis is attached to the word before it ("paused... Then") or the next word is a sentence
//!   starter.

use crate::chars::{
    abbrev, char_at, char_before, is_closer, is_opener, is_sentence_starter, is_speech_verb, Abbrev,
};
use dyad_core::{Sentence, Span};

/// Bytes at which the scanner stops: sentence punctuation, newline, and the lead byte of `…`.
static INTERESTING: [bool; 256] = {
    let mut t = [false; 256];
    t[b'.' as usize] = true;
    t[b'?' as usize] = true;
    t[b'!' as usize] = true;
    t[b'\n' as usize] = true;
    t[0xE2] = true;
    t
};

/// Splits `text` (a whole document; paragraphs separated by blank lines) into sentences,
/// appending to `out` with byte spans into `text` (trimmed of surrounding whitespace; never empty;
/// in order; non-overlapping). A sentence's `index` is its position in `out`.
pub fn segment(text: &str, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < n {
        // Skip uninteresting bytes quickly.
        while i < n && !INTERESTING[bytes[i] as usize] {
            i += 1;
        }
        if i >= n {
            break;
        }
        match bytes[i] {
            b'\n' => {
                if newline_breaks(text, i, start) {
                    emit(text, start, i, out);
                    start = i + 1;
                }
                i += 1;
            }
            b'.' | b'?' | b'!' => {
                let (after, brk) = terminal(text, i);
                if brk {
                    emit(text, start, after, out);
                    start = after;
                }
                i = after.max(i + 1);
            }
            _ => {
                // 0xE2: `…` is E2 80 A6.
                if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA6) {
                    let (after, brk) = terminal(text, i);
                    if brk {
                        emit(text, start, after, out);
                        start = after;
                    }
                    i = after.max(i + 3);
                } else {
                    i += 1;
                }
            }
        }
    }
    emit(text, start, n, out);
}

/// Pushes `text[start..end]` trimmed, if anything is left.
/// The longest text treated as one sentence, in bytes: twice the longest sentence of a year of
/// wire news. Longer runs (lists, text with no stops) are cut, so that no stage after this one
/// works on an unbounded unit.
pub const MAX_SENTENCE_BYTES: usize = 1000;

#[inline]
fn emit(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    if start >= end {
        return;
    }
    let s = &text[start..end];
    let t = s.trim_start();
    let mut st = start + (s.len() - t.len());
    let mut t = t.trim_end();
    while t.len() > MAX_SENTENCE_BYTES {
        let cut = overlong_cut(t);
        tracing::info!(
            "a sentence of over {MAX_SENTENCE_BYTES} bytes is cut at byte {}",
            st + cut
        );
        let (piece, rest) = t.split_at(cut);
        let piece = piece.trim_end();
        if !piece.is_empty() {
            out.push(Sentence {
                index: out.len() as u32,
                span: Span::new(st as u32, (st + piece.len()) as u32),
            });
        }
        let rest_trimmed = rest.trim_start();
        st += cut + (rest.len() - rest_trimmed.len());
        t = rest_trimmed;
    }
    if t.is_empty() {
        return;
    }
    out.push(Sentence {
        index: out.len() as u32,
        span: Span::new(st as u32, (st + t.len()) as u32),
    });
}

/// Where to cut an overlong sentence: after the last clause mark (`;`, `:`, `,`) in its second
/// half-window, else at the last space, else at the last char boundary within the limit.
fn overlong_cut(t: &str) -> usize {
    let mut limit = MAX_SENTENCE_BYTES;
    while !t.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &t.as_bytes()[MAX_SENTENCE_BYTES / 2..limit];
    let at = |pred: &dyn Fn(u8) -> bool| {
        window
            .iter()
            .rposition(|&b| pred(b))
            .map(|i| MAX_SENTENCE_BYTES / 2 + i + 1)
    };
    at(&|b| matches!(b, b';' | b':' | b','))
        .or_else(|| at(&|b| b.is_ascii_whitespace()))
        .unwrap_or(limit)
}

#[inline]
fn is_ascii_hspace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// Decides whether the newline at byte `i` ends a sentence. `start` is where the current
/// sentence began.
fn newline_breaks(text: &str, i: usize, start: usize) -> bool {
    let bytes = text.as_bytes();
    // Find the first content char of the next line; a blank line is a paragraph break.
    let mut k = i + 1;
    let next = loop {
        match bytes.get(k) {
            None | Some(b'\n') => return true,
            Some(&b) if is_ascii_hspace(b) => k += 1,
            Some(&b) if b < 0x80 => break b as char,
            Some(_) => match char_at(text, k) {
                Some(c) if c.is_whitespace() => k += c.len_utf8(),
                Some(c) => break c,
                None => return true,
            },
        }
    };
    if next.is_lowercase() {
        return false;
    }
    // Last content char of this line.
    let mut e = i;
    while e > start && is_ascii_hspace(bytes[e - 1]) {
        e -= 1;
    }
    if e <= start {
        return true;
    }
    match char_before(text, e) {
        Some(',' | ';' | '&' | '(' | '-' | '\u{2013}' | '\u{2014}' | '\u{2015}') => false,
        Some('.') => {
            let (_, word) = word_before(text, e - 1);
            abbrev(word) != Some(Abbrev::Title)
        }
        _ => true,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Period,
    Ellipsis,
    Exclaim,
}

/// Examines the sentence punctuation starting at byte `i`. Returns the position just after the
/// punctuation run and any closing quotes/brackets, and whether the sentence ends there.
fn terminal(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let first = bytes[i];
    let mut j;
    let mut kind;
    // Ellipsis: "attached" when it directly follows a non-space char ("paused... Then").
    let mut attached = i > 0 && !bytes[i - 1].is_ascii_whitespace();
    if first == 0xE2 {
        kind = Kind::Ellipsis;
        j = i + 3;
    } else if first == b'.' {
        j = i + 1;
        while j < n && bytes[j] == b'.' {
            j += 1;
        }
        if j - i >= 2 {
            kind = Kind::Ellipsis;
        } else {
            kind = Kind::Period;
            // Spaced ellipsis ". . .": inner dots never break; the last one acts as an ellipsis.
            if i >= 2 && bytes[i - 1] == b' ' && bytes[i - 2] == b'.' {
                kind = Kind::Ellipsis;
                attached = false;
            }
            if bytes.get(j) == Some(&b' ') && bytes.get(j + 1) == Some(&b'.') {
                return (j, false);
            }
        }
    } else {
        kind = Kind::Exclaim;
        j = i + 1;
    }
    // A run may mix further marks: "?!", "!!", "...?", "etc.?".
    loop {
        match bytes.get(j) {
            Some(b'?' | b'!') => {
                if kind == Kind::Period {
                    kind = Kind::Exclaim;
                }
                j += 1;
            }
            Some(b'.') => j += 1,
            Some(0xE2) if bytes.get(j + 1) == Some(&0x80) && bytes.get(j + 2) == Some(&0xA6) => {
                j += 3
            }
            _ => break,
        }
    }
    let run_end = j;
    // Closing quotes and brackets belong to the sentence they close.
    let mut had_closer = false;
    while let Some(c) = char_at(text, j) {
        if is_closer(c) {
            j += c.len_utf8();
            had_closer = true;
        } else {
            break;
        }
    }
    let after = j;
    // The mark ends a sentence only if whitespace (or the end) follows.
    match char_at(text, after) {
        None => return (after, true),
        Some(c) if c.is_whitespace() => {}
        Some(_) => return (after, false),
    }
    // The next content char.
    let mut k = after;
    let next = loop {
        match char_at(text, k) {
            None => return (after, true),
            Some(c) if c.is_whitespace() => k += c.len_utf8(),
            Some(c) => break c,
        }
    };
    // "doubt. … Without": a following ellipsis decides instead.
    if kind != Kind::Ellipsis && (next == '\u{2026}' || text[k..].starts_with("...")) {
        return (after, false);
    }
    let brk = match kind {
        Kind::Exclaim => {
            if next.is_lowercase() {
                false
            } else {
                !(had_closer && attribution_follows(text, k))
            }
        }
        Kind::Ellipsis => {
            !next.is_lowercase() && (attached || is_sentence_starter(next_word(text, k)))
        }
        Kind::Period => {
            let (raw_start, word) = word_before(text, i);
            if had_closer || run_end > i + 1 {
                // "(Ret.)" stays inside; any other closed quote or bracket may end a sentence.
                abbrev(word) != Some(Abbrev::Title) && !next.is_lowercase()
            } else {
                match abbrev(word) {
                    Some(Abbrev::Title) => false,
                    Some(Abbrev::Ambiguous) => is_sentence_starter(next_word(text, k)),
                    None => {
                        if is_list_number(text, raw_start, i, word) {
                            false
                        } else {
                            !next.is_lowercase()
                        }
                    }
                }
            }
        }
    };
    (after, brk)
}

/// The whitespace-delimited token that ends at byte `i` (exclusive), as (start of the raw token,
/// the token with leading non-alphanumeric chars removed).
fn word_before(text: &str, i: usize) -> (usize, &str) {
    let bytes = text.as_bytes();
    let lo = i.saturating_sub(64);
    let mut s = i;
    while s > lo {
        let b = bytes[s - 1];
        if b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' {
            break;
        }
        s -= 1;
    }
    while !text.is_char_boundary(s) {
        s += 1;
    }
    let mut raw = &text[s..i];
    if !raw.is_ascii() {
        raw = raw.rsplit(char::is_whitespace).next().unwrap_or("");
    }
    let raw_start = i - raw.len();
    (
        raw_start,
        raw.trim_start_matches(|c: char| !c.is_alphanumeric()),
    )
}

/// "1." (one or two digits) at the start of a line: a list number.
fn is_list_number(text: &str, raw_start: usize, period: usize, word: &str) -> bool {
    if word.is_empty()
        || word.len() > 2
        || period - raw_start != word.len()
        || !word.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let bytes = text.as_bytes();
    let mut s = raw_start;
    while s > 0 && (bytes[s - 1] == b' ' || bytes[s - 1] == b'\t') {
        s -= 1;
    }
    s == 0 || bytes[s - 1] == b'\n'
}

/// The word at byte `k`, skipping opening quotes and brackets: a run of letters.
fn next_word(text: &str, mut k: usize) -> &str {
    while let Some(c) = char_at(text, k) {
        if is_opener(c) {
            k += c.len_utf8();
        } else {
            break;
        }
    }
    let rest = &text[k..];
    let end = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(p, _)| p);
    &rest[..end]
}

/// Whether a speech verb follows within four words from byte `k` (no punctuation in between).
fn attribution_follows(text: &str, k: usize) -> bool {
    let mut e = text.len().min(k + 80);
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    let rest = &text[k..e];
    let mut words = 0;
    let mut p = 0;
    let b = rest.as_bytes();
    while words < 4 && p < b.len() {
        let s = p;
        while p < b.len() && b[p].is_ascii_alphabetic() {
            p += 1;
        }
        if p == s {
            return false;
        }
        if is_speech_verb(&rest[s..p]) {
            return true;
        }
        words += 1;
        if p < b.len() && b[p] == b' ' {
            p += 1;
        } else {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        segment(text, &mut out);
        out.iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn basic() {
        assert_eq!(seg("A b. C d."), vec!["A b.", "C d."]);
        assert_eq!(seg("  "), Vec::<&str>::new());
        assert_eq!(seg("x"), vec!["x"]);
    }

    #[test]
    fn word_before_handles_punctuation() {
        let t = "said (Ret.";
        assert_eq!(word_before(t, t.len() - 1).1, "Ret");
        let t = "x\u{a0}Dr.";
        assert_eq!(word_before(t, t.len() - 1).1, "Dr");
    }
}

#[cfg(test)]
mod overlong_tests {
    use super::*;

    #[test]
    fn overlong_sentences_are_cut_at_clause_marks() {
        let list = ["Russia", "Ukraine", "China", "Japan"]
            .repeat(500)
            .join(", ")
            + " met in Geneva.";
        let mut out = Vec::new();
        segment(&list, &mut out);
        assert!(out.len() > 10);
        let mut at = 0;
        for s in &out {
            assert!(s.span.len() <= MAX_SENTENCE_BYTES);
            // In order, nothing but spaces between the pieces, each ending after a comma.
            assert!(list[at..s.span.start as usize].trim().is_empty());
            at = s.span.end as usize;
        }
        assert_eq!(at, list.len());
        assert!(out[..out.len() - 1]
            .iter()
            .all(|s| s.span.slice(&list).ends_with(',')));
    }

    #[test]
    fn text_without_marks_or_spaces_is_cut_on_char_boundaries() {
        let text = "é".repeat(3000);
        let mut out = Vec::new();
        segment(&text, &mut out);
        let total: usize = out.iter().map(|s| s.span.len()).sum();
        assert_eq!(total, text.len());
        assert!(out.iter().all(|s| s.span.len() <= MAX_SENTENCE_BYTES));
    }
}
