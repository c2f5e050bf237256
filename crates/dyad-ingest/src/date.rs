//! Normalizes the date strings found in feeds, HTML metadata and datelines to ISO 8601.
//!
//! Output is `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` when a time and zone are known,
//! `YYYY-MM-DDTHH:MM:SS` for a time without zone, and `YYYY-MM-DD` for a date alone. A time of day
//! given only in words ("1:53 pm CDT") is dropped: zone abbreviations are ambiguous.

/// Normalizes `s`, or `None` if it holds no recognizable date.
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    iso(s).or_else(|| rfc2822_or_words(s))
}

fn valid_ymd(y: u32, m: u32, d: u32) -> bool {
    (1000..=2999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// `2025-03-14 20:30:26Z`, `2017-07-07T13:53:00-05:00`, `2017-07-07T13:53:00.123+0000`,
/// `2017-07-07`, `2017/07/07`, `20170707T135300Z`.
fn iso(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let (y, m, d, mut rest) = if b.len() >= 10 && (b[4] == b'-' || b[4] == b'/') && b[7] == b[4] {
        (num(&b[..4])?, num(&b[5..7])?, num(&b[8..10])?, &s[10..])
    } else if b.len() >= 8
        && b[..8].iter().all(u8::is_ascii_digit)
        && (b.len() == 8 || b[8] == b'T')
    {
        (num(&b[..4])?, num(&b[4..6])?, num(&b[6..8])?, &s[8..])
    } else {
        return None;
    };
    if !valid_ymd(y, m, d) {
        return None;
    }
    let date = format!("{y:04}-{m:02}-{d:02}");
    if rest.starts_with('T') || rest.starts_with(' ') {
        rest = &rest[1..];
    } else {
        return Some(date);
    }
    let Some((time, zone)) = clock(rest) else {
        return Some(date);
    };
    Some(format!("{date}T{time}{zone}"))
}

/// Parses `HH:MM[:SS[.fff]]` (or `HHMMSS`) followed by an optional zone; returns the normalized
/// time and zone.
fn clock(s: &str) -> Option<(String, String)> {
    let b = s.as_bytes();
    let digits = |from: usize| b.get(from..from + 2).and_then(num);
    let h = digits(0)?;
    let (mi, mut i) = if b.get(2) == Some(&b':') {
        (digits(3)?, 5)
    } else {
        (digits(2)?, 4)
    };
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = digits(i + 1)?;
        i += 3;
    } else if b.get(i).is_some_and(u8::is_ascii_digit) {
        sec = digits(i)?;
        i += 2;
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut time = format!("{h:02}:{mi:02}:{sec:02}");
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        let start = i + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end > start {
            time.push('.');
            time.push_str(&s[start..end]);
        }
        i = end;
    }
    let zone = zone(s[i..].trim())?;
    Some((time, zone))
}

/// `Z`, `UTC`, `GMT`, `+05:00`, `-0500`, `+05`, or nothing; `None` if unrecognized.
fn zone(z: &str) -> Option<String> {
    let z = z.trim();
    match z {
        "" => return Some(String::new()),
        "Z" | "z" | "UTC" | "GMT" | "UT" | "+00:00" | "+0000" | "-00:00" | "-0000" => {
            return Some("Z".into())
        }
        _ => {}
    }
    let b = z.as_bytes();
    let sign = match b[0] {
        b'+' => '+',
        b'-' => '-',
        _ => return None,
    };
    let rest = &b[1..];
    let (h, m) = match rest.len() {
        2 => (num(rest)?, 0),
        4 => (num(&rest[..2])?, num(&rest[2..])?),
        5 if rest[2] == b':' => (num(&rest[..2])?, num(&rest[3..])?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(format!("{sign}{h:02}:{m:02}"))
}

/// RFC 2822 (`Fri, 07 Jul 2017 13:53:00 -0500`) and dates in words (`Jul 7, 2017`,
/// `7 July 2017`, `Posted on July 7, 2017 at 1:53 pm`).
fn rfc2822_or_words(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for i in 0..words.len() {
        let Some(m) = dyad_text::month_number(words[i]) else {
            continue;
        };
        let day = |w: &str| {
            let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            num(w.as_bytes()).filter(|d| (1..=31).contains(d))
        };
        let year = |w: &str| num(w.as_bytes()).filter(|y| (1000..=2999).contains(y));
        // Month Day Year
        if let (Some(d), Some(y)) = (
            words.get(i + 1).and_then(|w| day(w)),
            words.get(i + 2).and_then(|w| year(w)),
        ) {
            return Some(finish(y, m, d, &words[i + 3..]));
        }
        // Day Month Year
        if let (Some(d), Some(y)) = (
            i.checked_sub(1).and_then(|j| day(words[j])),
            words.get(i + 1).and_then(|w| year(w)),
        ) {
            return Some(finish(y, m, d, &words[i + 2..]));
        }
    }
    None
}

/// Adds the time if the words after the date are `HH:MM[:SS] zone` with a numeric or UTC zone.
fn finish(y: u32, m: u32, d: u32, after: &[&str]) -> String {
    let date = format!("{y:04}-{m:02}-{d:02}");
    if let (Some(t), Some(z)) = (after.first(), after.get(1)) {
        if t.contains(':') && t.len() >= 5 {
            if let Some((time, zone)) = clock(&format!("{t}{z}")) {
                if !zone.is_empty() {
                    return format!("{date}T{time}{zone}");
                }
            }
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_common_forms() {
        let cases = [
            ("2025-03-14 20:30:26Z", Some("2025-03-14T20:30:26Z")),
            (
                "2017-07-07T13:53:00-05:00",
                Some("2017-07-07T13:53:00-05:00"),
            ),
            (
                "2017-07-07T13:53:00.250+0000",
                Some("2017-07-07T13:53:00.250Z"),
            ),
            ("2017-07-07T13:53-0500", Some("2017-07-07T13:53:00-05:00")),
            ("2017-07-07T13:53:00", Some("2017-07-07T13:53:00")),
            ("2017-07-07", Some("2017-07-07")),
            ("2017/07/07", Some("2017-07-07")),
            ("20170707T135300Z", Some("2017-07-07T13:53:00Z")),
            (
                "Fri, 07 Jul 2017 13:53:00 GMT",
                Some("2017-07-07T13:53:00Z"),
            ),
            (
                "Fri, 07 Jul 2017 13:53:00 -0500",
                Some("2017-07-07T13:53:00-05:00"),
            ),
            ("Posted on Jul 7, 2017", Some("2017-07-07")),
            ("July 7, 2017, 1:53 pm CDT", Some("2017-07-07")),
            ("7 July 2017", Some("2017-07-07")),
            ("Sept. 21, 2020", Some("2020-09-21")),
            ("the Mayor 7 2017", None),
            ("2017-13-07", None),
            ("yesterday", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).as_deref(), want, "input {input:?}");
        }
    }
}
