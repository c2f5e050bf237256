//! Tokenizer: words, numbers, clitics and punctuation, with normalized forms.
//!
//! - Words are runs of letters and digits (any script, with combining marks) and may hold inner
//!   hyphens ("al-Sudani", "two-hour", "F-16"), inner apostrophes ("O'Neil", "d'Ivoire"), inner
//!   periods ("U.S", "voanews.com"), `&` between capitals ("AT&T") and `@` (e-mail addresses).
//!   `http://` and `https://` URLs are one word up to the next whitespace.
//! - A word's final period is kept when the word is an abbreviation ("U.S.", "Mr.", "Inc.",
//!   an initial "S."), else it is a separate `Punct` token ("in Moscow." -> `moscow` `.`).
//! - Clitics: `'s` -> `Possessive` (`"Russia's"`, also "it's"); a bare `'` after a word ending in
//!   `s` -> `Possessive` (`"countries'"`); `n't` is split off as a word (`"can't"` -> `ca` `n't`,
//!   `"don't"` -> `do` `n't`); "cannot" -> `can` `not`; `'re` `'ve` `'ll` `'d` `'m` after a pronoun
//!   are split off as words.
//! - Numbers: digits with `,` thousands groups and a decimal point ("1,200", "2.5"); a number
//!   running into letters or a hyphenated part is a word ("30-minute", "2nd", "1990s").
//! - `...` (and `…`) is one `Punct` token with norm `...`; every other punctuation char is its own
//!   `Punct` token.
//! - Norms are lowercase with quotes and dashes folded (`’` -> `'`, `“` -> `"`, `—` -> `-`);
//!   invisible format chars (soft hyphen, zero-width space, BOM) are skipped.

use crate::chars::{
    abbrev, char_at, char_before, fold, is_apostrophe, is_contraction_stem, is_ignorable,
    is_word_char, is_word_hyphen, ALPHA, BYTE_CLASS, DIGIT, HIGH, PUNCT, WS,
};
use dyad_core::{Span, Token, TokenKind, Tokens};

/// Tokenizes `text[span]`, appending tokens (spans in `text` coordinates) to `out`.
/// A span that is out of range or not on char boundaries is clamped to the nearest boundaries
/// inside it.
pub fn tokenize(text: &str, span: Span, out: &mut Tokens) {
    let mut end = (span.end as usize).min(text.len());
    let mut i = (span.start as usize).min(end);
    while !text.is_char_boundary(i) {
        i += 1;
    }
    while end > i && !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let bytes = text.as_bytes();
    while i < end {
        let b = bytes[i];
        match BYTE_CLASS[b as usize] {
            WS => i += 1,
            ALPHA => i = word(text, i, i, true, out),
            DIGIT => i = number(text, i, out),
            PUNCT => i = punct(text, i, b as char, out),
            _ => {
                debug_assert_eq!(BYTE_CLASS[b as usize], HIGH);
                let c = char_at(text, i).unwrap_or(' ');
                if c.is_whitespace() || is_ignorable(c) {
                    i += c.len_utf8();
                } else if c.is_alphabetic() || is_combining_start(c) {
                    i = word(text, i, i, true, out);
                } else if c.is_numeric() {
                    i = word(text, i, i, false, out);
                } else {
                    i = punct(text, i, c, out);
                }
            }
        }
    }
}

#[inline]
fn is_combining_start(c: char) -> bool {
    crate::chars::is_combining(c)
}

/// Appends a token, writing its normalized form straight into the shared buffer.
#[inline]
fn push_raw(out: &mut Tokens, span: (usize, usize), norm_start: usize, kind: TokenKind, cap: bool) {
    out.tokens.push(Token {
        span: Span::new(span.0 as u32, span.1 as u32),
        norm: Span::new(norm_start as u32, out.norm.len() as u32),
        kind,
        capitalized: cap,
    });
}

/// Appends the normalized form of `s` (a word) to `norm`: lowercase, apostrophes and hyphens
/// folded, invisible chars dropped.
#[inline]
fn push_norm(norm: &mut String, s: &str) {
    if s.is_ascii() {
        let st = norm.len();
        norm.push_str(s);
        let tail = &mut norm[st..];
        tail.make_ascii_lowercase();
        // Backticks are apostrophes.
        if tail.as_bytes().contains(&b'`') {
            let fixed = tail.replace('`', "'");
            norm.truncate(st);
            norm.push_str(&fixed);
        }
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            norm.push(if c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            });
        } else if is_ignorable(c) {
        } else if let Some(f) = fold(c) {
            norm.push_str(f);
        } else {
            norm.extend(c.to_lowercase());
        }
    }
}

/// Punctuation at `i` (char `c`): one token, except `...` which is one token.
fn punct(text: &str, i: usize, c: char, out: &mut Tokens) -> usize {
    let bytes = text.as_bytes();
    let st = out.norm.len();
    if c == '.' && bytes.get(i + 1) == Some(&b'.') && bytes.get(i + 2) == Some(&b'.') {
        let mut j = i + 3;
        while bytes.get(j) == Some(&b'.') {
            j += 1;
        }
        out.norm.push_str("...");
        push_raw(out, (i, j), st, TokenKind::Punct, false);
        return j;
    }
    let len = c.len_utf8();
    if c.is_ascii() {
        out.norm.push(if c == '`' { '\'' } else { c });
    } else if let Some(f) = fold(c) {
        out.norm.push_str(f);
    } else {
        out.norm.extend(c.to_lowercase());
    }
    push_raw(out, (i, i + len), st, TokenKind::Punct, false);
    i + len
}

/// A number at `i` (ASCII digit): digits, `,ddd` groups, `.d+` decimals. Turns into a word when
/// letters or a hyphenated part follow.
fn number(text: &str, i: usize, out: &mut Tokens) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut j = i;
    while j < n && bytes[j].is_ascii_digit() {
        j += 1;
    }
    loop {
        match bytes.get(j) {
            Some(b',') => {
                // Exactly three digits, then no further digit.
                if bytes
                    .get(j + 1..j + 4)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                    && !bytes.get(j + 4).is_some_and(u8::is_ascii_digit)
                {
                    j += 4;
                } else {
                    break;
                }
            }
            Some(b'.') if bytes.get(j + 1).is_some_and(u8::is_ascii_digit) => {
                j += 2;
                while j < n && bytes[j].is_ascii_digit() {
                    j += 1;
                }
            }
            _ => break,
        }
    }
    // Letters or a hyphenated part make it a word ("2nd", "30-minute", "1990s").
    let into_word = match char_at(text, j) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(c) if !c.is_ascii() && (c.is_alphabetic() || is_combining_start(c)) => true,
        Some(c) if is_word_hyphen(c) => char_at(text, j + c.len_utf8()).is_some_and(is_word_char),
        _ => false,
    };
    if into_word || char_at(text, j).is_some_and(is_apostrophe) {
        return word(text, i, j, false, out);
    }
    let st = out.norm.len();
    out.norm.push_str(&text[i..j]);
    push_raw(out, (i, j), st, TokenKind::Number, false);
    j
}

/// Where a word's scan stopped and what follows it.
enum Tail {
    /// Nothing attached.
    None,
    /// A clitic token `[start, end)` with this norm and kind follows the word.
    Clitic(usize, usize, &'static str, TokenKind),
}

/// A word starting at `i`, whose first `j - i` bytes are already known to belong to it.
/// `alpha_start`: the word starts with a letter (URLs and abbreviations only apply then).
fn word(text: &str, i: usize, mut j: usize, alpha_start: bool, out: &mut Tokens) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut tail = Tail::None;
    // Only ASCII without backticks so far: the norm is a plain lowercase copy.
    let mut plain = true;
    loop {
        // Fast path: ASCII letters and digits.
        while j < n && matches!(BYTE_CLASS[bytes[j] as usize], ALPHA | DIGIT) {
            j += 1;
        }
        if j >= n {
            break;
        }
        let b = bytes[j];
        if b >= 0x80 {
            plain = false;
            let c = char_at(text, j).unwrap_or(' ');
            if is_word_char(c) || (is_ignorable(c) && j > i) {
                j += c.len_utf8();
                continue;
            }
            if is_word_hyphen(c) {
                if char_at(text, j + c.len_utf8()).is_some_and(is_word_char) {
                    j += c.len_utf8();
                    continue;
                }
                break;
            }
            if is_apostrophe(c) {
                match apostrophe(text, i, j, c.len_utf8()) {
                    Apos::Continue(k) => {
                        j = k;
                        continue;
                    }
                    Apos::End(new_j, t) => {
                        j = new_j;
                        tail = t;
                        break;
                    }
                }
            }
            break;
        }
        match b {
            b'-' => {
                if char_at(text, j + 1).is_some_and(is_word_char) {
                    j += 1;
                    continue;
                }
                break;
            }
            b'\'' | b'`' => match apostrophe(text, i, j, 1) {
                Apos::Continue(k) if b == b'`' => {
                    plain = false;
                    j = k;
                    continue;
                }
                Apos::Continue(k) => {
                    j = k;
                    continue;
                }
                Apos::End(new_j, t) => {
                    j = new_j;
                    tail = t;
                    break;
                }
            },
            b'.' => {
                let next = char_at(text, j + 1);
                let prev_digit = bytes[j - 1].is_ascii_digit();
                match next {
                    Some(c) if c.is_alphabetic() => {
                        j += 1;
                        continue;
                    }
                    Some(c) if c.is_ascii_digit() && prev_digit => {
                        j += 1;
                        continue;
                    }
                    _ => {}
                }
                // Keep the final period of an abbreviation ("U.S.", "Mr.", "S.").
                if alpha_start && abbrev(&text[i..j]).is_some() && !bare_no(text, i, j) {
                    j += 1;
                    match char_at(text, j) {
                        // "U.S.-led"
                        Some('-') if char_at(text, j + 1).is_some_and(is_word_char) => {
                            j += 1;
                            continue;
                        }
                        // "U.S.'s"
                        Some(c) if is_apostrophe(c) => {
                            if let Apos::End(new_j, t) = apostrophe(text, i, j, c.len_utf8()) {
                                j = new_j;
                                tail = t;
                            }
                        }
                        _ => {}
                    }
                }
                break;
            }
            b'@' => {
                if char_at(text, j + 1).is_some_and(is_word_char) {
                    j += 1;
                    continue;
                }
                break;
            }
            b'&' => {
                if bytes[j - 1].is_ascii_uppercase()
                    && bytes.get(j + 1).is_some_and(u8::is_ascii_uppercase)
                {
                    j += 1;
                    continue;
                }
                break;
            }
            b':' => {
                if alpha_start
                    && bytes[j..].starts_with(b"://")
                    && (text[i..j].eq_ignore_ascii_case("http")
                        || text[i..j].eq_ignore_ascii_case("https"))
                {
                    j = url_end(text, j + 3);
                    plain = text[i..j].bytes().all(|c| c.is_ascii() && c != b'`');
                }
                break;
            }
            _ => break,
        }
    }

    // "cannot" -> "can" + "not".
    if j - i == 6 && matches!(tail, Tail::None) && text[i..j].eq_ignore_ascii_case("cannot") {
        push_word(text, i, i + 3, true, true, out);
        let st = out.norm.len();
        push_norm(&mut out.norm, &text[i + 3..j]);
        push_raw(out, (i + 3, j), st, TokenKind::Word, false);
        return j;
    }

    push_word(text, i, j, alpha_start, plain, out);
    match tail {
        Tail::None => j,
        Tail::Clitic(s, e, norm, kind) => {
            let st = out.norm.len();
            out.norm.push_str(norm);
            push_raw(out, (s, e), st, kind, false);
            e
        }
    }
}

/// "No." is the abbreviation of "number" only before a number ("No. 10"); otherwise it is the
/// word "no" and a period.
fn bare_no(text: &str, i: usize, j: usize) -> bool {
    if j - i != 2 || !text[i..j].eq_ignore_ascii_case("no") {
        return false;
    }
    let rest = text[j + 1..].trim_start();
    !rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// Pushes `text[i..j]` as a word (or a number, when it is all digits and separators).
#[inline]
fn push_word(text: &str, i: usize, j: usize, alpha_start: bool, plain: bool, out: &mut Tokens) {
    let s = &text[i..j];
    let kind = if !alpha_start
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    let first = s.as_bytes()[0];
    let cap = if first < 0x80 {
        first.is_ascii_uppercase()
    } else {
        s.chars().next().is_some_and(char::is_uppercase)
    };
    let st = out.norm.len();
    if plain {
        out.norm.push_str(s);
        out.norm[st..].make_ascii_lowercase();
    } else {
        push_norm(&mut out.norm, s);
    }
    push_raw(out, (i, j), st, kind, cap);
}

/// What an apostrophe inside a word means.
enum Apos {
    /// Part of the word ("O'Neil"): continue scanning at this byte.
    Continue(usize),
    /// The word ends at this byte, maybe followed by a clitic.
    End(usize, Tail),
}

/// Decides an apostrophe at byte `j` (of `alen` bytes) inside the word starting at `i`.
fn apostrophe(text: &str, i: usize, j: usize, alen: usize) -> Apos {
    let bytes = text.as_bytes();
    let a = j + alen;
    // Letters right after the apostrophe.
    let mut k = a;
    while k < bytes.len() && bytes[k].is_ascii_alphabetic() {
        k += 1;
    }
    let after = char_at(text, k);
    let ends_here = !after.is_some_and(|c| is_word_char(c) || is_apostrophe(c));
    let tail = &text[a..k];
    if k == a {
        // Not followed by an ASCII letter.
        return match char_at(text, a) {
            Some(c) if is_word_char(c) => Apos::Continue(a),
            _ => {
                // "countries'" : a bare apostrophe after a plural is a possessive.
                if matches!(bytes[j - 1], b's' | b'S') {
                    Apos::End(j, Tail::Clitic(j, a, "'", TokenKind::Possessive))
                } else {
                    Apos::End(j, Tail::None)
                }
            }
        };
    }
    if ends_here {
        if tail.eq_ignore_ascii_case("s") {
            return Apos::End(j, Tail::Clitic(j, k, "'s", TokenKind::Possessive));
        }
        if tail.eq_ignore_ascii_case("t") && j - i >= 2 && matches!(bytes[j - 1], b'n' | b'N') {
            // "can't" -> "ca" + "n't"; the stem must not be empty.
            return Apos::End(j - 1, Tail::Clitic(j - 1, k, "n't", TokenKind::Word));
        }
        let stem = &text[i..j];
        if is_contraction_stem(stem) {
            let norm = match tail.to_ascii_lowercase().as_str() {
                "re" => Some("'re"),
                "ve" => Some("'ve"),
                "ll" => Some("'ll"),
                "d" => Some("'d"),
                "m" => Some("'m"),
                _ => None,
            };
            if let Some(norm) = norm {
                return Apos::End(j, Tail::Clitic(j, k, norm, TokenKind::Word));
            }
        }
    }
    Apos::Continue(a)
}

/// End of a URL whose scheme ends before `j`: up to whitespace, minus trailing punctuation.
fn url_end(text: &str, mut j: usize) -> usize {
    let bytes = text.as_bytes();
    let start = j;
    while j < bytes.len() {
        let b = bytes[j];
        if b.is_ascii_whitespace() {
            break;
        }
        if b >= 0x80 {
            let c = char_at(text, j).unwrap_or(' ');
            if c.is_whitespace() || !c.is_alphanumeric() {
                break;
            }
            j += c.len_utf8();
            continue;
        }
        if matches!(b, b'"' | b'<' | b'>') {
            break;
        }
        j += 1;
    }
    while j > start {
        match char_before(text, j) {
            Some('.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '\'' | '"') => j -= 1,
            _ => break,
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, TokenKind)> {
        let mut t = Tokens::default();
        tokenize(s, Span::new(0, s.len() as u32), &mut t);
        (0..t.len())
            .map(|i| (t.norm(i).to_string(), t.tokens[i].kind))
            .collect()
    }

    #[test]
    fn smoke() {
        let t = toks("Russia's U.S. can't 2.5");
        let n: Vec<&str> = t.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(n, vec!["russia", "'s", "u.s.", "ca", "n't", "2.5"]);
    }
}
