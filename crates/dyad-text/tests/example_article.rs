//! The real example article segments into the sentences a careful reader would make.

use dyad_core::{Sentence, Tokens};

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/examples/trump-putin-g20-2017-07-07.txt"
);

/// Written by reading the article: each header line (title, "Screengrab via ...", headline,
/// standfirst, byline, "Posted on ...") and each footer line is its own segment; "U.S." inside
/// sentences ("U.S. and Russian officials", "the U.S. election") never splits.
const EXPECTED: &[&str] = &[
    "Vladimir Putin and Donald Trump",
    "Screengrab via BBC News/YouTube",
    "Trump confronts Putin over election hacks, allegedly accepts denial of Russia’s involvement",
    "Russia's foreign minister said Trump accepted Putin's denial.",
    "Andrew Couts",
    "Posted on Jul 7, 2017\u{a0}\u{a0}\u{a0}Updated on May 23, 2021, 12:37 am CDT",
    "President Donald Trump on Friday confronted Russian President Vladimir Putin about Russian interference in the 2016 presidential election during their two-hour meeting at the G20 summit, according to U.S. and Russian officials.",
    "Secretary of State Rex Tillerson\u{a0}told reporters that Trump told Putin that the American people are concerned about Russian cyberattacks against American political entities.",
    "Putin denied that Russia attempted to meddle in the U.S. election.",
    "Russian Foreign Minister Sergey Lavrov told reporters that Trump said he accepted Putin’s denial.",
    "The U.S. intelligence community has unequivocally concluded that Russia waged wide-ranging campaigns to influence the 2016 presidential election in an attempt to harm Democratic nominee Hillary Clinton.",
    "U.S. intelligence agencies say Putin was directly involved in the “influence campaigns.”",
    "After the Russians asked for proof of their involvement,\u{a0}according to Tillerson, Trump said he would rely on the U.S. intelligence community for that and suggested the talk “move forward.”",
    "Because the meeting was held behind closed doors, it remains unclear in what context Trump said he would accept Putin’s denial of involvement.",
    "“I think the president is rightly focused on how do we move forward from something that may be an intractable disagreement at this point,” Tillerson said, according to the Associated Press.",
    "Trump has repeatedly wavered on whether he believes Russia carried out cyberattacks on the Democratic National Committee and Clinton campaign chairman John Podesta.",
    "During a press conference on Thursday, however, Trump said “it was Russia,” but added that “nobody really knows” who waged the cyberattacks.",
    "He also suggested it could have been other countries.",
    "In addition to pressing Putin on the election-related attacks, Trump reportedly agreed to create a joint working group between Washington and Moscow to tackle cybersecurity issues.",
    "“We again returned to\u{a0}the issues of\u{a0}fighting terrorism and cybersecurity,” Putin told reporters after his meeting with Trump, according to state-run Russian media outlet Sputnik news.",
    "Four congressional committees and the Federal Bureau of Investigation are investigating Russia’s attempts to interfere in the election, as well as the Trump campaign’s potential collusion in those efforts.",
    "There is no publicly available evidence that Trump or members of his team colluded with Russia.",
    "Special Prosecutor Robert Muller, who took over the investigation after Trump fired former FBI Director James Comey in early May, is also reportedly investigating whether Trump’s actions surrounding the investigation amount to obstruction of justice.",
    "Trump and Putin were originally scheduled for a 30-minute meeting, which ultimately lasted just over two hours.",
    "According to Tillerson, Trump and Putin shared a “very clear positive chemistry.”",
    "Share this article",
    "*First Published: Jul 7, 2017, 1:53 pm CDT",
];

/// The example article, if ../shared is beside the repository (CI has it); else a note and
/// `None`, and the test is skipped.
fn example() -> Option<String> {
    match std::fs::read_to_string(EXAMPLE) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("{EXAMPLE}: {e}: the example article tests are skipped");
            None
        }
    }
}

#[test]
fn example_article_segments_like_a_reader() {
    let Some(text) = example() else { return };
    let mut out: Vec<Sentence> = Vec::new();
    dyad_text::segment(&text, &mut out);
    let got: Vec<&str> = out.iter().map(|s| s.span.slice(&text)).collect();
    for (i, (g, e)) in got.iter().zip(EXPECTED).enumerate() {
        assert_eq!(g, e, "sentence {i} differs");
    }
    assert_eq!(
        got.len(),
        EXPECTED.len(),
        "expected {} sentences, got {}: {got:#?}",
        EXPECTED.len(),
        got.len()
    );
}

#[test]
fn example_article_tokens_stay_inside_sentences() {
    let Some(text) = example() else { return };
    let mut out: Vec<Sentence> = Vec::new();
    dyad_text::segment(&text, &mut out);
    let mut toks = Tokens::default();
    let mut words = Vec::new();
    for s in &out {
        toks.clear();
        dyad_text::tokenize(&text, s.span, &mut toks);
        for t in &toks.tokens {
            assert!(t.span.start >= s.span.start && t.span.end <= s.span.end);
        }
        words.extend((0..toks.len()).map(|i| toks.norm(i).to_string()));
    }
    // A few tokens the coder relies on.
    for w in [
        "u.s.",
        "russia",
        "'s",
        "putin",
        "two-hour",
        "g20",
        "30-minute",
        "state-run",
    ] {
        assert!(words.iter().any(|x| x == w), "missing token {w}");
    }
}
