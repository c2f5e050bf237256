//! Typographic normalization with an offset map back to the original text.

/// One replaced char: `orig_len` original bytes at `orig` became `norm_len` bytes at `norm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    norm: u32,
    orig: u32,
    norm_len: u32,
    orig_len: u32,
}

/// A normalized string plus the map from its byte offsets to the original's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Replacements in order (empty when nothing changed).
    edits: Vec<Edit>,
    /// Length of the original text in bytes.
    orig_len: usize,
}

impl Normalized {
    /// Maps a byte offset in [`Normalized::text`] to the original text. An offset inside a
    /// replacement (e.g. the second `.` of a `...` that was `…`) maps to the start of the original
    /// char; offsets past the end map to the original's end.
    pub fn to_original(&self, n: usize) -> usize {
        if n >= self.text.len() {
            return self.orig_len;
        }
        let idx = self.edits.partition_point(|e| e.norm as usize <= n);
        if idx == 0 {
            return n;
        }
        let e = self.edits[idx - 1];
        let (en, eo) = (e.norm as usize, e.orig as usize);
        if n < en + e.norm_len as usize {
            eo
        } else {
            eo + e.orig_len as usize + (n - en - e.norm_len as usize)
        }
    }

    /// Like [`Normalized::to_original`], but an offset inside a replacement maps to the *end* of
    /// the original char: use it for the end of a half-open range.
    pub fn to_original_end(&self, n: usize) -> usize {
        if n >= self.text.len() {
            return self.orig_len;
        }
        let idx = self.edits.partition_point(|e| (e.norm as usize) < n);
        if idx == 0 {
            return n;
        }
        let e = self.edits[idx - 1];
        let (en, eo) = (e.norm as usize, e.orig as usize);
        if n < en + e.norm_len as usize {
            eo + e.orig_len as usize
        } else {
            eo + e.orig_len as usize + (n - en - e.norm_len as usize)
        }
    }

    /// Maps a span of the normalized text to the original text.
    pub fn span_to_original(&self, span: dyad_core::Span) -> dyad_core::Span {
        dyad_core::Span::new(
            self.to_original(span.start as usize) as u32,
            self.to_original_end(span.end as usize) as u32,
        )
    }

    /// Whether normalization changed nothing.
    pub fn is_identity(&self) -> bool {
        self.edits.is_empty()
    }
}

/// Replacement for a char, if it is normalized: the tokenizer's folding, plus spaces.
#[inline]
fn replacement(c: char) -> Option<&'static str> {
    crate::chars::fold(c).or(match c {
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Some(" "),
        _ => None,
    })
}

/// Normalizes a string (curly quotes -> straight, all dashes -> `-`, NBSP and other spaces ->
/// ` `, ellipsis char -> `...`), keeping a map from normalized byte offsets back to original byte
/// offsets.
pub fn normalize(text: &str) -> Normalized {
    let bytes = text.as_bytes();
    let mut out = Normalized {
        text: String::new(),
        edits: Vec::new(),
        orig_len: text.len(),
    };
    // Fast path: nothing but ASCII.
    let Some(first) = bytes.iter().position(|&b| b >= 0x80) else {
        out.text = text.to_string();
        return out;
    };
    out.text.reserve(text.len());
    out.text.push_str(&text[..first]);
    let mut copied = first; // original bytes up to here are accounted for
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        if let Some(r) = replacement(c) {
            out.text.push_str(&text[copied..i]);
            out.edits.push(Edit {
                norm: out.text.len() as u32,
                orig: i as u32,
                norm_len: r.len() as u32,
                orig_len: len as u32,
            });
            out.text.push_str(r);
            copied = i + len;
        }
        i += len;
    }
    out.text.push_str(&text[copied..]);
    out
}
