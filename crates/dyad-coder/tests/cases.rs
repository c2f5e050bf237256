//! Coder tests as data: `cases.txt` holds sentences with the events they must give. Adding a case
//! is adding lines; a failure prints the `explain` trace of the sentence.
//!
//! Format: a line `DATE | TEXT` starts a case; each `=> CODE SOURCE TARGET [flag...]` line is an
//! expected event (`112*` matches codes starting with 112, `*` any target, `-` no source or
//! no coded target; flags: `negated`, `modal`, `per:CODE` for the outermost attribution,
//! `date:YYYY-MM-DD`); `=> nothing` expects no event at all. Unless the case ends with a line `only`, other events may come too.
//! A line `known WHY` marks a case the coder fails today: it is reported, and the test fails
//! once the case passes, so that the mark is removed.

use dyad_coder::{parse_date, Coder, Scratch};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use std::path::Path;
use std::sync::OnceLock;

fn model() -> &'static dyad_syntax::Model {
    static M: std::sync::OnceLock<dyad_syntax::Model> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        dyad_syntax::Model::load(&dyad_syntax::default_model_path())
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn dict() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| {
        let dir = std::env::var_os("DYAD_DICT")
            .map(Into::into)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict"));
        Dictionary::load(dir).unwrap_or_else(|e| panic!("{e}"))
    })
}

struct Case {
    line: usize,
    date: String,
    text: String,
    expected: Vec<Vec<String>>,
    only: bool,
    nothing: bool,
    /// A known failure, and why: reported, and a failure of the test once it passes.
    known: Option<String>,
}

fn parse_cases(src: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("=>") {
            let c = cases.last_mut().expect("expectation before any case");
            if rest.trim() == "nothing" {
                c.nothing = true;
            } else {
                c.expected
                    .push(rest.split_whitespace().map(str::to_string).collect());
            }
        } else if let Some(why) = line.strip_prefix("known ") {
            cases.last_mut().expect("`known` before any case").known = Some(why.to_string());
        } else if line == "only" {
            cases.last_mut().expect("`only` before any case").only = true;
        } else {
            let (date, text) = line
                .split_once(" | ")
                .unwrap_or_else(|| panic!("cases.txt:{}: expected `DATE | TEXT`", i + 1));
            cases.push(Case {
                line: i + 1,
                date: date.to_string(),
                text: text.to_string(),
                expected: Vec::new(),
                only: false,
                nothing: false,
                known: None,
            });
        }
    }
    cases
}

/// The target's code; `-` for none or for an object that names no actor.
fn target_code(e: &Event) -> &str {
    match e.target.as_ref() {
        Some(t) if !t.code.is_empty() => &t.code,
        _ => "-",
    }
}

fn matches(e: &Event, want: &[String]) -> bool {
    let target = target_code(e);
    // `112*` matches any code starting with 112; `*` alone any target.
    let code_ok = match want[0].strip_suffix('*') {
        Some(prefix) => e.code.starts_with(prefix),
        None => e.code == want[0],
    };
    let source = if e.source.code.is_empty() {
        "-"
    } else {
        e.source.code.as_str()
    };
    let mut ok = code_ok && source == want[1] && (want[2] == "*" || target == want[2]);
    for flag in &want[3..] {
        ok &= match flag.as_str() {
            "negated" => e.negated,
            "modal" => e.modality.is_some(),
            f => {
                if let Some(code) = f.strip_prefix("per:") {
                    e.attribution.first().is_some_and(|a| a.code == code)
                } else if let Some(date) = f.strip_prefix("date:") {
                    e.date.as_deref() == Some(date)
                } else {
                    panic!("unknown flag `{f}`")
                }
            }
        };
    }
    ok
}

fn show(e: &Event) -> String {
    format!(
        "{} {} {}{}{}{}",
        e.code,
        e.source.code,
        target_code(e),
        if e.negated { " negated" } else { "" },
        e.modality
            .as_ref()
            .map(|m| format!(" modal({m})"))
            .unwrap_or_default(),
        e.attribution
            .first()
            .map(|a| format!(" per:{}", a.code))
            .unwrap_or_default()
    )
}

#[test]
fn sentence_cases() {
    let src = include_str!("cases.txt");
    let coder = Coder::new(dict(), model());
    let mut failures = Vec::new();
    let cases = parse_cases(src);
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    for c in &cases {
        let doc = Document {
            id: format!("case-{}", c.line),
            text: c.text.clone(),
            ..Default::default()
        };
        let date = parse_date(&c.date);
        let events = coder.code(&doc, date, &mut Scratch::default());
        let mut problems = Vec::new();
        for want in &c.expected {
            if !events.iter().any(|e| matches(e, want)) {
                problems.push(format!("missing {}", want.join(" ")));
            }
        }
        if c.nothing && !events.is_empty() {
            problems.push("expected no event".into());
        }
        if c.only {
            for e in &events {
                if !c.expected.iter().any(|w| matches(e, w)) {
                    problems.push(format!("unexpected {}", show(e)));
                }
            }
        }
        match (&c.known, problems.is_empty()) {
            (Some(why), false) => {
                println!("cases.txt:{}: known failure ({why})", c.line);
                continue;
            }
            (Some(_), true) => {
                failures.push(format!(
                    "cases.txt:{}: {}\n  passes now: remove its `known` line",
                    c.line, c.text
                ));
                continue;
            }
            _ => {}
        }
        if !problems.is_empty() {
            let got: Vec<String> = events.iter().map(show).collect();
            let (_, trace) = coder.explain(&c.text, date);
            failures.push(format!(
                "cases.txt:{}: {}\n  {}\n  got: [{}]\n{}",
                c.line,
                c.text,
                problems.join("; "),
                got.join(", "),
                trace
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
