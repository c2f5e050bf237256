//! English inflection for dictionary patterns (`accuse*` -> accuse, accuses, accused, accusing).

use std::collections::HashMap;

/// Irregular verbs: base -> past forms and past participles (from `dict/irregular.tsv`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Irregulars {
    map: HashMap<String, (Vec<String>, Vec<String>)>,
}

impl Irregulars {
    /// Every irregular past participle ("met", "held", "struck").
    pub fn participles(&self) -> impl Iterator<Item = &str> {
        self.map
            .values()
            .flat_map(|(_, pp)| pp.iter().map(String::as_str))
    }

    /// Past and participle forms that differ from their base ("sought", "met", not "hit"):
    /// words that can only be verbs in the past.
    pub fn distinct_past_forms(&self) -> impl Iterator<Item = &str> {
        self.map.iter().flat_map(|(base, (past, pp))| {
            past.iter()
                .chain(pp)
                .map(String::as_str)
                .filter(move |f| f != base)
        })
    }

    /// Parses the tab-separated table: `base<TAB>past<TAB>past participle`, several forms
    /// separated by `|`. Blank lines and `#` comments (at line start or after a space) are
    /// ignored; a first line whose base is `base` is taken as a header. Errors give the 1-based
    /// line number.
    pub fn parse(tsv: &str) -> Result<Self, (usize, String)> {
        let mut map: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        let mut seen_data = false;
        for (n, raw) in tsv.lines().enumerate() {
            let line_no = n + 1;
            let line = strip_comment(raw).trim_end();
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            if !seen_data && fields.first() == Some(&"base") {
                seen_data = true;
                continue;
            }
            seen_data = true;
            if fields.len() != 3 {
                return Err((
                    line_no,
                    format!(
                        "expected 3 tab-separated fields (base, past, past participle), found {}",
                        fields.len()
                    ),
                ));
            }
            let base = fields[0];
            if base.is_empty() || base.contains(char::is_whitespace) || base.contains('|') {
                return Err((line_no, format!("bad base form `{base}`")));
            }
            let forms = |f: &str, what: &str| -> Result<Vec<String>, (usize, String)> {
                let mut v = Vec::new();
                for alt in f.split('|') {
                    let alt = alt.trim();
                    if alt.is_empty() || alt.contains(char::is_whitespace) {
                        return Err((line_no, format!("bad {what} form `{f}` for `{base}`")));
                    }
                    if !v.iter().any(|x: &String| x == alt) {
                        v.push(alt.to_string());
                    }
                }
                Ok(v)
            };
            let past = forms(fields[1], "past")?;
            let part = forms(fields[2], "past participle")?;
            let key = base.to_lowercase();
            if map.contains_key(&key) {
                return Err((line_no, format!("duplicate base `{base}`")));
            }
            map.insert(key, (past, part));
        }
        Ok(Irregulars { map })
    }

    /// Number of irregular verbs.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Past forms and past participles of `base`, if it is irregular.
    pub fn get(&self, base: &str) -> Option<(&[String], &[String])> {
        let (p, pp) = self.map.get(&base.to_lowercase())?;
        Some((p, pp))
    }
}

fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') {
            return &line[..i];
        }
    }
    line
}

/// Polysyllabic verbs stressed on the last syllable: their final consonant doubles
/// ("admit" -> "admitted"). Monosyllables double by rule ("stop" -> "stopped").
const DOUBLING: &[&str] = &[
    "abet", "abhor", "abut", "beget", "beset", "forbid", "forget", "offset", "outrun", "overrun",
    "rerun", "reset", "acquit", "admit", "allot", "annul", "aver", "befit", "begin", "commit",
    "compel", "concur", "confer", "control", "debar", "defer", "demur", "deter", "disbar",
    "dispel", "embed", "emit", "enrol", "equip", "excel", "expel", "extol", "handicap", "impel",
    "incur", "infer", "inter", "kidnap", "misfit", "occur", "omit", "outbid", "outstrip", "outwit",
    "overlap", "overstep", "patrol", "permit", "prefer", "program", "propel", "readmit", "rebel",
    "recommit", "recur", "refer", "refit", "regret", "remit", "repel", "resubmit", "retrofit",
    "submit", "transfer", "transmit", "unpin", "unwrap", "unzip", "upset", "worship",
];

/// Irregular noun plurals.
const NOUN_PLURALS: &[(&str, &str)] = &[
    ("man", "men"),
    ("woman", "women"),
    ("child", "children"),
    ("person", "people"),
    ("foot", "feet"),
    ("crisis", "crises"),
    ("analysis", "analyses"),
    ("thesis", "theses"),
    ("basis", "bases"),
    ("diagnosis", "diagnoses"),
    ("hypothesis", "hypotheses"),
    ("life", "lives"),
    ("wife", "wives"),
    ("knife", "knives"),
    ("leaf", "leaves"),
    ("thief", "thieves"),
    ("half", "halves"),
    ("self", "selves"),
    ("shelf", "shelves"),
    ("wolf", "wolves"),
    ("criterion", "criteria"),
    ("phenomenon", "phenomena"),
    ("medium", "media"),
    ("datum", "data"),
    ("militiaman", "militiamen"),
    ("chairman", "chairmen"),
    ("spokesman", "spokesmen"),
    ("congressman", "congressmen"),
    ("gunman", "gunmen"),
    ("policeman", "policemen"),
    ("serviceman", "servicemen"),
    ("tooth", "teeth"),
    ("mouse", "mice"),
];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Number of vowel groups, a rough syllable count (`y` counts after the first letter; the `u` of
/// `qu` does not).
fn syllables(w: &[u8]) -> usize {
    let mut n = 0;
    let mut prev_vowel = false;
    for (i, &c) in w.iter().enumerate() {
        let v = (is_vowel(c) && !(c == b'u' && i > 0 && w[i - 1] == b'q')) || (c == b'y' && i > 0);
        if v && !prev_vowel {
            n += 1;
        }
        prev_vowel = v;
    }
    n
}

/// Whether the final consonant doubles before `-ed`/`-ing`. Returns (double, also_single): words
/// ending in vowel + `l` of several syllables give both ("canceled", "cancelled").
fn doubling(w: &str) -> (bool, bool) {
    let b = w.as_bytes();
    let n = b.len();
    if n < 2 || !b.iter().all(u8::is_ascii_lowercase) {
        return (false, false);
    }
    let last = b[n - 1];
    if is_vowel(last) || matches!(last, b'w' | b'x' | b'y') {
        return (false, false);
    }
    // A single vowel before the final consonant ("stop", not "meet" or "jail").
    let v = b[n - 2];
    let single_vowel = is_vowel(v)
        && (n < 3 || !is_vowel(b[n - 3]) || (b[n - 3] == b'u' && n >= 4 && b[n - 4] == b'q'));
    if !single_vowel {
        return (false, false);
    }
    if n == 2 {
        // "up"? Two-letter verbs rarely inflect; do not double except a consonant start.
        return (false, false);
    }
    if DOUBLING.contains(&w) {
        return (true, false);
    }
    let syl = syllables(b);
    if syl <= 1 {
        return (true, false);
    }
    if last == b'l' {
        return (true, true);
    }
    // Compounds ending in a doubling monosyllable are not detected; list them in DOUBLING.
    (false, false)
}

/// Third person singular / noun plural.
fn add_s(w: &str, out: &mut Vec<String>) {
    let b = w.as_bytes();
    let n = b.len();
    let last = b[n - 1];
    let lw = w.to_ascii_lowercase();
    if lw.ends_with('s')
        || lw.ends_with('x')
        || lw.ends_with('z')
        || lw.ends_with("ch")
        || lw.ends_with("sh")
    {
        push(out, format!("{w}es"));
    } else if (last == b'y' || last == b'Y') && n >= 2 && !is_vowel(b[n - 2].to_ascii_lowercase()) {
        push(out, format!("{}ies", &w[..n - 1]));
    } else if (last == b'o' || last == b'O') && n >= 2 && !is_vowel(b[n - 2].to_ascii_lowercase()) {
        // Verbs take -es ("goes", "vetoes"); many nouns take -s ("photos"): give both.
        push(out, format!("{w}es"));
        push(out, format!("{w}s"));
    } else {
        push(out, format!("{w}s"));
    }
}

fn ends_ic(w: &str) -> bool {
    w.len() > 4 && w.ends_with("ic")
}

/// Regular past / past participle.
fn add_ed(w: &str, out: &mut Vec<String>) {
    let b = w.as_bytes();
    let n = b.len();
    let last = b[n - 1].to_ascii_lowercase();
    if last == b'e' {
        push(out, format!("{w}d"));
    } else if last == b'y' && n >= 2 && !is_vowel(b[n - 2].to_ascii_lowercase()) {
        push(out, format!("{}ied", &w[..n - 1]));
    } else if ends_ic(w) {
        push(out, format!("{w}ked"));
    } else {
        match doubling(w) {
            (true, also) => {
                push(out, format!("{w}{}ed", last as char));
                if also {
                    push(out, format!("{w}ed"));
                }
            }
            _ => push(out, format!("{w}ed")),
        }
    }
}

/// Present participle.
fn add_ing(w: &str, out: &mut Vec<String>) {
    let lw = w.to_ascii_lowercase();
    let n = w.len();
    if lw.ends_with("ie") {
        push(out, format!("{}ying", &w[..n - 2]));
    } else if lw.ends_with('e')
        && n > 2
        && !lw.ends_with("ee")
        && !lw.ends_with("oe")
        && !lw.ends_with("ye")
    {
        push(out, format!("{}ing", &w[..n - 1]));
    } else if ends_ic(w) {
        push(out, format!("{w}king"));
    } else {
        match doubling(w) {
            (true, also) => {
                push(out, format!("{w}{}ing", &w[n - 1..]));
                if also {
                    push(out, format!("{w}ing"));
                }
            }
            _ => push(out, format!("{w}ing")),
        }
    }
}

fn push(out: &mut Vec<String>, s: String) {
    out.push(s);
}

/// All forms of a base word: itself, 3rd person -s/-es/-ies, past/participle -ed (doubling
/// "stop" -> "stopped", e-drop "agree" -> "agreed", y -> "ied"), -ing (e-drop "make" -> "making",
/// doubling "stop" -> "stopping", "die" -> "dying"), noun plural; irregular past/participles from
/// the table ("meet" -> "met", "hold" -> "held") replace the regular -ed form. For a multi-word
/// base only the first word is inflected ("crack down" -> "cracked down"). Forms are appended to
/// `out` without duplicates (among themselves); the base itself comes first.
pub fn inflections(base: &str, irregulars: &Irregulars, out: &mut Vec<String>) {
    let base = base.trim();
    if base.is_empty() {
        return;
    }
    let (first, rest) = match base.find(char::is_whitespace) {
        Some(p) => (&base[..p], &base[p..]),
        None => (base, ""),
    };
    let start = out.len();
    let mut forms: Vec<String> = vec![first.to_string()];
    let lower = first.to_lowercase();
    // Words that are not simple letters (numbers, punctuation) are not inflected.
    if first
        .chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && first.len() > 1
    {
        match lower.as_str() {
            "be" => {
                for f in ["am", "is", "are", "was", "were", "been", "being"] {
                    forms.push(f.to_string());
                }
            }
            "have" => {
                for f in ["has", "had", "having"] {
                    forms.push(f.to_string());
                }
            }
            _ => {
                add_s(first, &mut forms);
                match irregulars.get(&lower) {
                    Some((past, part)) => {
                        forms.extend(past.iter().cloned());
                        forms.extend(part.iter().cloned());
                    }
                    None => add_ed(first, &mut forms),
                }
                add_ing(first, &mut forms);
                if let Some(&(_, pl)) = NOUN_PLURALS.iter().find(|(s, _)| *s == lower) {
                    forms.push(pl.to_string());
                }
            }
        }
    }
    for f in forms {
        let full = if rest.is_empty() { f } else { f + rest };
        if !out[start..].contains(&full) {
            out.push(full);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllable_counts() {
        assert_eq!(syllables(b"stop"), 1);
        assert_eq!(syllables(b"quit"), 1);
        assert_eq!(syllables(b"visit"), 2);
        assert_eq!(syllables(b"cancel"), 2);
    }

    #[test]
    fn comments_stripped() {
        assert_eq!(strip_comment("a\tb # c"), "a\tb ");
        assert_eq!(strip_comment("# x"), "");
        assert_eq!(strip_comment("a#b"), "a#b");
    }
}
