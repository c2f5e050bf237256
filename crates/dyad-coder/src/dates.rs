//! Event dates from the words of a sentence, relative to the document date.

use crate::Sentence;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The date the sentence puts the event on: "on Friday" is the Friday on or before the document
/// date, "yesterday" the day before, "May 9" / "9 May" that day in the document's year (or the
/// year before, if that would be after the document). Else the document date.
pub fn event_date(s: &Sentence, doc: Option<NaiveDate>) -> Option<NaiveDate> {
    let doc = doc?;
    let n = s.ids.len();
    for i in 0..n {
        let w = s.norm(i);
        if let Some((_, wd)) = WEEKDAYS.iter().find(|(name, _)| *name == w) {
            if !s.capitalized(i) {
                continue;
            }
            let back = (doc.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
            return Some(doc - Duration::days(back as i64));
        }
        if w == "yesterday" {
            return Some(doc - Duration::days(1));
        }
        if let Some(m) = dyad_text::month_number(w).filter(|_| s.capitalized(i)) {
            let day = |j: usize| -> Option<u32> {
                let d: u32 = s.norm(j).parse().ok()?;
                (1..=31).contains(&d).then_some(d)
            };
            let d = (i + 1 < n)
                .then(|| day(i + 1))
                .flatten()
                .or_else(|| (i > 0).then(|| day(i - 1)).flatten());
            if let Some(d) = d {
                let this_year = NaiveDate::from_ymd_opt(doc.year(), m, d);
                return match this_year {
                    Some(date) if date <= doc => Some(date),
                    _ => NaiveDate::from_ymd_opt(doc.year() - 1, m, d),
                };
            }
        }
    }
    Some(doc)
}
