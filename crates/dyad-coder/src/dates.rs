//! When an event happened: the date phrase the tree attaches to the event (or to the clause that
//! reports it), resolved against the document date.

use crate::tree::{Rel, Tree};
use crate::Sentence;
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The time a date phrase names: a day, or a period (a month, a year, "three years ago").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The phrase names one day.
    pub exact: bool,
    /// Token range of the phrase.
    pub start: usize,
    pub end: usize,
}

impl When {
    fn day(d: NaiveDate, (start, end): (usize, usize)) -> When {
        When {
            first: d,
            last: d,
            exact: true,
            start,
            end,
        }
    }

    fn period(first: NaiveDate, last: NaiveDate, (start, end): (usize, usize)) -> When {
        When {
            first,
            last,
            exact: first == last,
            start,
            end,
        }
    }

    fn inexact(mut self) -> When {
        self.exact = false;
        self
    }

    /// The phrase places the event before the week the document was written in: told as
    /// background, not news.
    pub fn before_week_of(&self, doc: NaiveDate) -> bool {
        self.last < doc - Duration::days(7)
    }
}

/// The date phrase of the event whose pattern word is `node` and whose predicate is
/// `predicate`: a temporal dependent of either ("Tuesday's attack", "attacked on Friday",
/// "three years ago"), else of the clause that reports or governs it ("said on Monday that
/// ..."). `None` when no phrase names a time.
pub fn when(
    s: &Sentence,
    t: &Tree,
    node: usize,
    predicate: usize,
    doc: NaiveDate,
    future: bool,
    is_speech: impl Fn(usize) -> bool,
) -> Option<When> {
    let on = |x: usize| t.children(x).find_map(|c| phrase(s, t, c, doc));
    // What is still to come ("will meet on Friday") is dated by its report, not its own phrase.
    if !future {
        if let Some(w) = on(node).or_else(|| on(predicate)) {
            return Some(w);
        }
        // "The court on Tuesday ordered ...": a phrase just before the verb is its time, wherever
        // the parser hung it.
        let just_before = (predicate.saturating_sub(6)..predicate)
            .filter(|&k| t.head_of(k) != Some(predicate))
            .find_map(|k| phrase(s, t, k, doc).filter(|w| w.end == predicate));
        if just_before.is_some() {
            return just_before;
        }
    }
    // Up through the clauses that report or control it.
    let mut x = predicate;
    for _ in 0..t.len() {
        let Some(h) = t.head_of(x) else { break };
        // A noun event takes the time of the clause it is a part of ("praised his first summit
        // in 2019").
        let part = !t.is_verb(x)
            && matches!(
                t.rel[x],
                Rel::Obj | Rel::Nsubj | Rel::NsubjPass | Rel::Obl | Rel::Nmod
            );
        if !(part || matches!(t.rel[x], Rel::Ccomp | Rel::Xcomp)) {
            break;
        }
        if let Some(w) = on(h) {
            return Some(w);
        }
        x = h;
    }
    // "..., officials said Monday": the report's time, for an event told in the main clause
    // (the parser hangs the report from it in more than one way).
    t.children(x)
        .filter(|&c| {
            c > x && matches!(t.rel[c], Rel::Parataxis | Rel::Advcl | Rel::AclRelcl) && is_speech(c)
        })
        .find_map(on)
}

/// The time that the dependent `c` names, if it is a date phrase: its head word is temporal, and
/// no preposition makes it a bound or a span ("since 2015", "for three years").
fn phrase(s: &Sentence, t: &Tree, c: usize, doc: NaiveDate) -> Option<When> {
    if !matches!(
        t.rel[c],
        Rel::Obl | Rel::OblTmod | Rel::Nmod | Rel::NmodPoss | Rel::Advmod
    ) {
        return None;
    }
    if !temporal_head(s, c) {
        return None;
    }
    let pointed = t
        .children(c)
        .filter(|&k| t.rel[k] == Rel::Case)
        .all(|k| matches!(s.norm(k), "in" | "on" | "at" | "during" | "of" | "'s" | "'"));
    if !pointed {
        return None;
    }
    let (lo, hi) = t.subtree(c);
    resolve(s, lo, hi, doc)
}

fn temporal_head(s: &Sentence, c: usize) -> bool {
    let w = s.norm(c);
    // "Nov. 30" may be headed by its day.
    let day_of_month = w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        && (c.checked_sub(1).is_some_and(|p| month(s, p).is_some())
            || (c + 1 < s.ids.len() && month(s, c + 1).is_some()));
    day_of_month
        || weekday(s, c).is_some()
        || month(s, c).is_some()
        || year(w).is_some()
        || decade(w).is_some()
        || unit(w).is_some()
        || matches!(
            w,
            "yesterday"
                | "today"
                | "tonight"
                | "ago"
                | "morning"
                | "afternoon"
                | "evening"
                | "night"
        )
}

fn weekday(s: &Sentence, i: usize) -> Option<Weekday> {
    let w = s.norm(i);
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == w)
        .filter(|_| s.capitalized(i))
        .map(|(_, d)| *d)
}

fn month(s: &Sentence, i: usize) -> Option<u32> {
    // "may" the modal is lowercase; "Mar." is March, "mar" is not.
    dyad_text::month_number(s.norm(i)).filter(|_| s.capitalized(i))
}

fn year(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok().filter(|_| w.len() == 4)?;
    (1900..=2100).contains(&y).then_some(y)
}

/// "1990s" -> 1990.
fn decade(w: &str) -> Option<i32> {
    let y = year(w.strip_suffix('s')?)?;
    (y % 10 == 0).then_some(y)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
    Decade,
}

fn unit(w: &str) -> Option<Unit> {
    Some(match w {
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "month" | "months" => Unit::Month,
        "year" | "years" => Unit::Year,
        "decade" | "decades" => Unit::Decade,
        _ => return None,
    })
}

/// A count written as digits or a word; `exact` is false for "several", "a few".
fn count(w: &str) -> Option<(u32, bool)> {
    if let Ok(n) = w.parse::<u32>() {
        return (n <= 1000).then_some((n, true));
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    if let Some(i) = words.iter().position(|x| *x == w) {
        return Some((i as u32 + 1, true));
    }
    match w {
        "a" | "an" => Some((1, true)),
        "few" | "several" | "some" => Some((3, false)),
        "dozen" => Some((12, false)),
        _ => None,
    }
}

fn back(doc: NaiveDate, n: u32, u: Unit) -> Option<NaiveDate> {
    match u {
        Unit::Day => doc.checked_sub_signed(Duration::days(n as i64)),
        Unit::Week => doc.checked_sub_signed(Duration::weeks(n as i64)),
        Unit::Month => doc.checked_sub_months(Months::new(n)),
        Unit::Year => doc.checked_sub_months(Months::new(n.checked_mul(12)?)),
        Unit::Decade => doc.checked_sub_months(Months::new(n.checked_mul(120)?)),
    }
}

fn month_range(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some((first, next.pred_opt()?))
}

fn year_range(y: i32, years: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(y, 1, 1)?,
        NaiveDate::from_ymd_opt(y + years - 1, 12, 31)?,
    ))
}

/// Resolves the words `[lo, hi)` of a date phrase against the document date. Weekdays and dates
/// without a year are the latest such day on or before the document date; future phrases
/// ("next week", "tomorrow") name no time of a reported event.
fn resolve(s: &Sentence, lo: usize, hi: usize, doc: NaiveDate) -> Option<When> {
    let span = (lo, hi);
    let (mut day_of_week, mut mon, mut day, mut yr, mut dec) = (None, None, None, None, None);
    let (mut n, mut unit_word, mut ago, mut last, mut this) = (None, None, false, false, false);
    for i in lo..hi {
        let w = s.norm(i);
        match w {
            "yesterday" => return Some(When::day(doc.pred_opt()?, span)),
            "today" | "tonight" => return Some(When::day(doc, span)),
            "tomorrow" | "next" | "coming" | "upcoming" => return None,
            "ago" => ago = true,
            "last" | "past" | "previous" => last = true,
            "this" | "current" => this = true,
            _ => {}
        }
        if let Some(d) = weekday(s, i) {
            day_of_week = Some(d);
        } else if let Some(m) = month(s, i) {
            mon = Some(m);
            let day_at = |j: usize| -> Option<u32> {
                let d: u32 = s.norm(j).parse().ok()?;
                (1..=31).contains(&d).then_some(d)
            };
            day = day
                .or_else(|| (i + 1 < hi).then(|| day_at(i + 1)).flatten())
                .or_else(|| (i > lo).then(|| day_at(i - 1)).flatten());
        } else if let Some(y) = year(w) {
            yr = Some(y);
        } else if let Some(d) = decade(w) {
            dec = Some(d);
        } else if let Some(u) = unit(w) {
            unit_word = Some(u);
        } else if let Some(c) = count(w) {
            n = Some(c);
        }
    }
    if last && n.is_some() {
        // "in the past three years": a span up to now, no point in time.
        return None;
    }
    if let Some(u) = unit_word.filter(|_| ago) {
        let (k, exact) = n.unwrap_or((if s.norm(hi - 1) == "ago" { 2 } else { 1 }, false));
        let d = back(doc, k, u)?;
        return Some(if exact && u == Unit::Day {
            When::day(d, span)
        } else {
            When::period(d, d, span).inexact()
        });
    }
    if let Some(wd) = day_of_week {
        let behind = (doc.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
        let behind = if last && behind == 0 { 7 } else { behind };
        return Some(When::day(doc - Duration::days(behind as i64), span));
    }
    if let Some(m) = mon {
        let latest_year = |d: u32| {
            let this_year = NaiveDate::from_ymd_opt(doc.year(), m, d);
            match this_year {
                Some(date) if date <= doc => Some(doc.year()),
                _ => Some(doc.year() - 1),
            }
        };
        return match day {
            Some(d) => {
                let y = yr.or_else(|| latest_year(d))?;
                Some(When::day(NaiveDate::from_ymd_opt(y, m, d)?, span))
            }
            None => {
                let y = yr.or_else(|| latest_year(1))?;
                let (first, last_day) = month_range(y, m)?;
                Some(When::period(first, last_day, span))
            }
        };
    }
    if let Some(y) = yr {
        let (first, last_day) = year_range(y, 1)?;
        return Some(When::period(first, last_day, span));
    }
    if let Some(d) = dec {
        let (first, last_day) = year_range(d, 10)?;
        return Some(When::period(first, last_day, span));
    }
    match unit_word {
        Some(_) if this => Some(When::period(doc, doc, span).inexact()),
        Some(Unit::Week) if last => Some(When::period(
            doc - Duration::days(13),
            doc - Duration::days(7),
            span,
        )),
        Some(Unit::Month) if last => {
            let prev = doc.checked_sub_months(Months::new(1))?;
            let (first, last_day) = month_range(prev.year(), prev.month())?;
            Some(When::period(first, last_day, span))
        }
        Some(Unit::Year) if last => {
            let (first, last_day) = year_range(doc.year() - 1, 1)?;
            Some(When::period(first, last_day, span))
        }
        _ => None,
    }
}
