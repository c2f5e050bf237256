//! HTML character references.
//!
//! Only the named references that actually occur in news pages are listed (Latin-1, typography,
//! Greek, common symbols); the full HTML table has 2,000+ names, mostly math, which news never uses.
//! An unknown name is kept verbatim, as browsers do.

/// Sorted by name so that lookup is a binary search.
static NAMED: &[(&str, &str)] = &[
    ("AElig", "\u{C6}"),
    ("Aacute", "\u{C1}"),
    ("Acirc", "\u{C2}"),
    ("Agrave", "\u{C0}"),
    ("Alpha", "\u{391}"),
    ("Aring", "\u{C5}"),
    ("Atilde", "\u{C3}"),
    ("Auml", "\u{C4}"),
    ("Beta", "\u{392}"),
    ("Ccedil", "\u{C7}"),
    ("Chi", "\u{3A7}"),
    ("Dagger", "\u{2021}"),
    ("Delta", "\u{394}"),
    ("ETH", "\u{D0}"),
    ("Eacute", "\u{C9}"),
    ("Ecirc", "\u{CA}"),
    ("Egrave", "\u{C8}"),
    ("Epsilon", "\u{395}"),
    ("Eta", "\u{397}"),
    ("Euml", "\u{CB}"),
    ("Gamma", "\u{393}"),
    ("Iacute", "\u{CD}"),
    ("Icirc", "\u{CE}"),
    ("Igrave", "\u{CC}"),
    ("Iota", "\u{399}"),
    ("Iuml", "\u{CF}"),
    ("Kappa", "\u{39A}"),
    ("Lambda", "\u{39B}"),
    ("Mu", "\u{39C}"),
    ("Ntilde", "\u{D1}"),
    ("Nu", "\u{39D}"),
    ("OElig", "\u{152}"),
    ("Oacute", "\u{D3}"),
    ("Ocirc", "\u{D4}"),
    ("Ograve", "\u{D2}"),
    ("Omega", "\u{3A9}"),
    ("Omicron", "\u{39F}"),
    ("Oslash", "\u{D8}"),
    ("Otilde", "\u{D5}"),
    ("Ouml", "\u{D6}"),
    ("Phi", "\u{3A6}"),
    ("Pi", "\u{3A0}"),
    ("Prime", "\u{2033}"),
    ("Psi", "\u{3A8}"),
    ("Rho", "\u{3A1}"),
    ("Scaron", "\u{160}"),
    ("Sigma", "\u{3A3}"),
    ("THORN", "\u{DE}"),
    ("Tau", "\u{3A4}"),
    ("Theta", "\u{398}"),
    ("Uacute", "\u{DA}"),
    ("Ucirc", "\u{DB}"),
    ("Ugrave", "\u{D9}"),
    ("Upsilon", "\u{3A5}"),
    ("Uuml", "\u{DC}"),
    ("Xi", "\u{39E}"),
    ("Yacute", "\u{DD}"),
    ("Yuml", "\u{178}"),
    ("Zeta", "\u{396}"),
    ("aacute", "\u{E1}"),
    ("acirc", "\u{E2}"),
    ("acute", "\u{B4}"),
    ("aelig", "\u{E6}"),
    ("agrave", "\u{E0}"),
    ("alpha", "\u{3B1}"),
    ("amp", "&"),
    ("apos", "'"),
    ("aring", "\u{E5}"),
    ("asymp", "\u{2248}"),
    ("atilde", "\u{E3}"),
    ("auml", "\u{E4}"),
    ("bdquo", "\u{201E}"),
    ("beta", "\u{3B2}"),
    ("brvbar", "\u{A6}"),
    ("bull", "\u{2022}"),
    ("ccedil", "\u{E7}"),
    ("cedil", "\u{B8}"),
    ("cent", "\u{A2}"),
    ("chi", "\u{3C7}"),
    ("circ", "\u{2C6}"),
    ("colon", ":"),
    ("comma", ","),
    ("copy", "\u{A9}"),
    ("curren", "\u{A4}"),
    ("dagger", "\u{2020}"),
    ("darr", "\u{2193}"),
    ("deg", "\u{B0}"),
    ("delta", "\u{3B4}"),
    ("divide", "\u{F7}"),
    ("dollar", "$"),
    ("eacute", "\u{E9}"),
    ("ecirc", "\u{EA}"),
    ("egrave", "\u{E8}"),
    ("emsp", "\u{2003}"),
    ("ensp", "\u{2002}"),
    ("epsilon", "\u{3B5}"),
    ("equals", "="),
    ("eta", "\u{3B7}"),
    ("eth", "\u{F0}"),
    ("euml", "\u{EB}"),
    ("euro", "\u{20AC}"),
    ("excl", "!"),
    ("frac12", "\u{BD}"),
    ("frac14", "\u{BC}"),
    ("frac34", "\u{BE}"),
    ("gamma", "\u{3B3}"),
    ("ge", "\u{2265}"),
    ("gt", ">"),
    ("hellip", "\u{2026}"),
    ("hyphen", "\u{2010}"),
    ("iacute", "\u{ED}"),
    ("icirc", "\u{EE}"),
    ("iexcl", "\u{A1}"),
    ("igrave", "\u{EC}"),
    ("infin", "\u{221E}"),
    ("iota", "\u{3B9}"),
    ("iquest", "\u{BF}"),
    ("iuml", "\u{EF}"),
    ("kappa", "\u{3BA}"),
    ("lambda", "\u{3BB}"),
    ("laquo", "\u{AB}"),
    ("larr", "\u{2190}"),
    ("ldquo", "\u{201C}"),
    ("le", "\u{2264}"),
    ("lowbar", "_"),
    ("lpar", "("),
    ("lrm", "\u{200E}"),
    ("lsaquo", "\u{2039}"),
    ("lsqb", "["),
    ("lsquo", "\u{2018}"),
    ("lt", "<"),
    ("macr", "\u{AF}"),
    ("mdash", "\u{2014}"),
    ("micro", "\u{B5}"),
    ("middot", "\u{B7}"),
    ("minus", "\u{2212}"),
    ("mu", "\u{3BC}"),
    ("nbsp", "\u{A0}"),
    ("ndash", "\u{2013}"),
    ("ne", "\u{2260}"),
    ("not", "\u{AC}"),
    ("ntilde", "\u{F1}"),
    ("nu", "\u{3BD}"),
    ("num", "#"),
    ("oacute", "\u{F3}"),
    ("ocirc", "\u{F4}"),
    ("oelig", "\u{153}"),
    ("ograve", "\u{F2}"),
    ("omega", "\u{3C9}"),
    ("omicron", "\u{3BF}"),
    ("ordf", "\u{AA}"),
    ("ordm", "\u{BA}"),
    ("oslash", "\u{F8}"),
    ("otilde", "\u{F5}"),
    ("ouml", "\u{F6}"),
    ("para", "\u{B6}"),
    ("percnt", "%"),
    ("period", "."),
    ("permil", "\u{2030}"),
    ("phi", "\u{3C6}"),
    ("pi", "\u{3C0}"),
    ("plusmn", "\u{B1}"),
    ("pound", "\u{A3}"),
    ("prime", "\u{2032}"),
    ("psi", "\u{3C8}"),
    ("quest", "?"),
    ("quot", "\""),
    ("raquo", "\u{BB}"),
    ("rarr", "\u{2192}"),
    ("rdquo", "\u{201D}"),
    ("reg", "\u{AE}"),
    ("rho", "\u{3C1}"),
    ("rlm", "\u{200F}"),
    ("rpar", ")"),
    ("rsaquo", "\u{203A}"),
    ("rsqb", "]"),
    ("rsquo", "\u{2019}"),
    ("sbquo", "\u{201A}"),
    ("scaron", "\u{161}"),
    ("sect", "\u{A7}"),
    ("semi", ";"),
    ("shy", "\u{AD}"),
    ("sigma", "\u{3C3}"),
    ("sigmaf", "\u{3C2}"),
    ("sol", "/"),
    ("sup1", "\u{B9}"),
    ("sup2", "\u{B2}"),
    ("sup3", "\u{B3}"),
    ("szlig", "\u{DF}"),
    ("tau", "\u{3C4}"),
    ("theta", "\u{3B8}"),
    ("thinsp", "\u{2009}"),
    ("thorn", "\u{FE}"),
    ("tilde", "\u{2DC}"),
    ("times", "\u{D7}"),
    ("trade", "\u{2122}"),
    ("uacute", "\u{FA}"),
    ("uarr", "\u{2191}"),
    ("ucirc", "\u{FB}"),
    ("ugrave", "\u{F9}"),
    ("uml", "\u{A8}"),
    ("upsilon", "\u{3C5}"),
    ("uuml", "\u{FC}"),
    ("xi", "\u{3BE}"),
    ("yacute", "\u{FD}"),
    ("yen", "\u{A5}"),
    ("yuml", "\u{FF}"),
    ("zeta", "\u{3B6}"),
    ("zwj", "\u{200D}"),
    ("zwnj", "\u{200C}"),
];

/// Names that browsers also accept without the trailing semicolon (the common legacy subset).
static LEGACY: &[&str] = &["amp", "copy", "gt", "lt", "nbsp", "quot", "reg"];

fn lookup(name: &str) -> Option<&'static str> {
    NAMED
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| NAMED[i].1)
}

/// Windows-1252 meanings of C1 code points, which pages emit in numeric references (`&#146;`).
fn c1_fixup(cp: u32) -> u32 {
    const TABLE: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    if (0x80..0xA0).contains(&cp) {
        TABLE[(cp - 0x80) as usize]
    } else {
        cp
    }
}

/// Decodes character references in `s`, appending to `out`.
pub fn decode_into(s: &str, out: &mut String) {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while let Some(off) = memchr::memchr(b'&', &bytes[i..]) {
        let amp = i + off;
        out.push_str(&s[last..amp]);
        let (text, used) = decode_one(&s[amp + 1..]);
        match text {
            Some(t) => {
                out.push_str(&t);
                i = amp + 1 + used;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
        last = i;
    }
    out.push_str(&s[last..]);
}

/// Decodes character references in `s`.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    decode_into(s, &mut out);
    out
}

/// Decodes one reference at the start of `rest` (just after `&`); returns the text and the number
/// of bytes consumed.
fn decode_one(rest: &str) -> (Option<String>, usize) {
    let b = rest.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x') | Some(b'X') => (true, 2),
            _ => (false, 1),
        };
        let mut end = start;
        while end < b.len()
            && end - start < 8
            && (if hex {
                b[end].is_ascii_hexdigit()
            } else {
                b[end].is_ascii_digit()
            })
        {
            end += 1;
        }
        if end == start {
            return (None, 0);
        }
        let cp = u32::from_str_radix(&rest[start..end], if hex { 16 } else { 10 }).unwrap_or(0);
        let ch = match c1_fixup(cp) {
            0 => '\u{FFFD}',
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        };
        let used = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return (Some(ch.to_string()), used);
    }
    let mut end = 0;
    while end < b.len() && end < 32 && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if end == 0 {
        return (None, 0);
    }
    if b.get(end) == Some(&b';') {
        if let Some(t) = lookup(&rest[..end]) {
            return (Some(t.to_string()), end + 1);
        }
        return (None, 0);
    }
    // No semicolon: only the legacy names, matched as a prefix ("&ampfoo" is "&foo").
    for name in LEGACY {
        if rest[..end].starts_with(name) {
            return (lookup(name).map(str::to_string), name.len());
        }
    }
    (None, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn decodes_named_numeric_and_legacy() {
        assert_eq!(
            decode("Russia&rsquo;s &amp; &#8220;x&#x201D;"),
            "Russia\u{2019}s & \u{201C}x\u{201D}"
        );
        assert_eq!(decode("a&nbsp;b &copy 2017"), "a\u{A0}b \u{A9} 2017");
        assert_eq!(decode("&#146;"), "\u{2019}");
        assert_eq!(decode("AT&T &bogus; &#; &"), "AT&T &bogus; &#; &");
        assert_eq!(decode("&#0;&#x110000;"), "\u{FFFD}\u{FFFD}");
    }
}
