//! Hashed features. A feature is a template number and up to a few values, mixed into a 64-bit
//! hash; the perceptron tables index their rows by the hash's low bits.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The murmur3 64-bit finalizer: every input bit moves the low bits the tables use.
#[inline]
pub fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fmix(h)
}

/// A feature of template `t` over the values `v`.
#[inline]
pub fn feat(t: u64, v: &[u64]) -> u64 {
    let mut h = t.wrapping_mul(K);
    for &x in v {
        h = (h.rotate_left(5) ^ x).wrapping_mul(K);
    }
    fmix(h)
}

/// What the features read of one word, computed once per sentence.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordInfo {
    /// The lowercased form, digits folded to 0.
    pub lower: u64,
    /// The form as written.
    pub form: u64,
    pub suffix: [u64; 4],
    pub prefix: [u64; 3],
    pub shape: u64,
    /// Tags seen with this word in training (bit per tag); 0 for unknown words.
    pub seen_tags: u32,
}

/// Fills `info` for `form`; `scratch` is reused to avoid allocation.
pub fn word_info(form: &str, scratch: &mut String, seen: impl Fn(u64) -> u32) -> WordInfo {
    scratch.clear();
    for c in form.chars() {
        if c.is_ascii_digit() {
            scratch.push('0');
        } else if c.is_ascii() {
            scratch.push(c.to_ascii_lowercase());
        } else {
            scratch.extend(c.to_lowercase());
        }
    }
    let lower = hash_bytes(scratch.as_bytes());
    let mut info = WordInfo {
        lower,
        form: hash_bytes(form.as_bytes()),
        seen_tags: seen(lower),
        ..WordInfo::default()
    };
    // Char boundaries from the end and the start, at most 4 chars each way.
    let s = scratch.as_str();
    let mut ends = s.char_indices().rev().map(|(i, _)| i);
    for k in 0..4 {
        let start = ends.next().unwrap_or(0);
        info.suffix[k] = feat(k as u64 + 301, &[hash_bytes(&s.as_bytes()[start..])]);
    }
    let mut starts = s.char_indices().map(|(i, c)| i + c.len_utf8());
    for k in 0..3 {
        let end = starts.next().unwrap_or(s.len());
        info.prefix[k] = feat(k as u64 + 311, &[hash_bytes(&s.as_bytes()[..end])]);
    }
    info.shape = shape(form);
    info
}

/// The word's shape: X for capitals, x for small letters, d for digits, other chars as they are,
/// runs cut at two ("McCain" -> "XxXxx", "1,200" -> "d,dd").
fn shape(form: &str) -> u64 {
    let mut buf = [0u8; 16];
    let mut n = 0;
    let mut last = 0u8;
    let mut run = 0;
    for c in form.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else if c.is_alphabetic() {
            b'a'
        } else {
            b'*'
        };
        if k == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = k;
        }
        if n == buf.len() {
            break;
        }
        buf[n] = k;
        n += 1;
    }
    hash_bytes(&buf[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_digits_fold_in_lower() {
        let mut s = String::new();
        let a = word_info("Putin", &mut s, |_| 0);
        let b = word_info("PUTIN", &mut s, |_| 0);
        assert_eq!(a.lower, b.lower);
        assert_ne!(a.shape, b.shape);
        let y1 = word_info("1990", &mut s, |_| 0);
        let y2 = word_info("2016", &mut s, |_| 0);
        assert_eq!(y1.lower, y2.lower);
    }

    #[test]
    fn affixes_respect_chars() {
        let mut s = String::new();
        let w = word_info("Côté", &mut s, |_| 0);
        let v = word_info("été", &mut s, |_| 0);
        // "côté" and "été" share the last two chars, not the last three.
        assert_eq!(w.suffix[1], v.suffix[1]);
        assert_ne!(w.suffix[2], v.suffix[2]);
        let short = word_info("a", &mut s, |_| 0);
        assert_eq!(short.suffix[0], feat(301, &[hash_bytes(b"a")]));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("McCain"), hash_bytes(b"XxXxx"));
        assert_eq!(shape("1,200"), hash_bytes(b"d,dd"));
    }
}
