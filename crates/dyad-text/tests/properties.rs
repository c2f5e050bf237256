//! Properties that must hold for any input: no panics, well-formed spans, full coverage.

use dyad_core::{Sentence, Tokens};
use proptest::prelude::*;

fn check(text: &str) -> Result<(), TestCaseError> {
    let mut sents: Vec<Sentence> = Vec::new();
    dyad_text::segment(text, &mut sents);
    let mut prev_end = 0usize;
    for (i, s) in sents.iter().enumerate() {
        let (a, b) = (s.span.start as usize, s.span.end as usize);
        prop_assert_eq!(s.index as usize, i);
        prop_assert!(a < b, "empty sentence {:?}", s);
        prop_assert!(b <= text.len());
        prop_assert!(a >= prev_end, "overlap or disorder at {}", i);
        prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        let body = &text[a..b];
        prop_assert!(!body.trim().is_empty(), "whitespace-only sentence");
        prop_assert_eq!(body.trim(), body, "sentence not trimmed");
        // Nothing but whitespace between sentences.
        prop_assert!(
            text[prev_end..a].trim().is_empty(),
            "dropped text before {}",
            i
        );
        prev_end = b;
    }
    prop_assert!(
        text[prev_end..].trim().is_empty(),
        "dropped text at the end"
    );

    let mut toks = Tokens::default();
    for s in &sents {
        toks.clear();
        dyad_text::tokenize(text, s.span, &mut toks);
        let mut prev = s.span.start;
        for (i, t) in toks.tokens.iter().enumerate() {
            prop_assert!(t.span.start >= prev && t.span.start < t.span.end);
            prop_assert!(t.span.end <= s.span.end);
            prop_assert!(text.is_char_boundary(t.span.start as usize));
            prop_assert!(text.is_char_boundary(t.span.end as usize));
            prop_assert!(toks.norm.is_char_boundary(t.norm.start as usize));
            prop_assert!(toks.norm.is_char_boundary(t.norm.end as usize));
            prop_assert!(
                !toks.norm(i).is_empty()
                    || t.span.slice(text).chars().all(|c| !c.is_alphanumeric())
            );
            prev = t.span.end;
        }
    }
    // Tokenizing arbitrary spans never panics either.
    let n = text.len() as u32;
    for (a, b) in [
        (0, n),
        (1, n),
        (0, n.saturating_sub(1)),
        (n / 2, n),
        (n, 0),
        (3, n + 7),
    ] {
        toks.clear();
        dyad_text::tokenize(text, dyad_core::Span::new(a, b), &mut toks);
        for t in &toks.tokens {
            prop_assert!((t.span.end as usize) <= text.len());
            prop_assert!(text.is_char_boundary(t.span.start as usize));
            prop_assert!(text.is_char_boundary(t.span.end as usize));
        }
    }
    // Normalization maps every offset to a char boundary, monotonically.
    let norm = dyad_text::normalize(text);
    let mut last = 0;
    for i in (0..=norm.text.len()).filter(|&i| norm.text.is_char_boundary(i)) {
        let o = norm.to_original(i);
        prop_assert!(text.is_char_boundary(o) && o >= last && o <= text.len());
        last = o;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        check(&s)?;
    }

    #[test]
    fn news_like_strings(s in "[A-Za-z0-9 .?!,;:\n\t\r'\"’“”()…\u{a0}—–$%@&/*•éÜ\u{301}\u{ad}Ж-]{0,200}") {
        check(&s)?;
    }

    #[test]
    fn sentence_soup(parts in proptest::collection::vec(prop_oneof![
        Just("U.S."), Just("Mr."), Just("The"), Just("he"), Just("said."), Just("?"), Just("!"),
        Just("\""), Just("”"), Just("..."), Just("…"), Just("\n"), Just("\n\n"), Just("1."),
        Just("2.5"), Just("voanews.com"), Just("(AP)"), Just("-"), Just("can't"), Just("Russia’s"),
        Just("countries'"), Just(" "), Just(". ."), Just("S."), Just("a.m."), Just("'"),
    ], 0..60)) {
        let s: String = parts.join(" ");
        check(&s)?;
        let s: String = parts.concat();
        check(&s)?;
    }
}
