//! Table-driven sentence segmentation cases: news phrasing that trips naive splitters.

use dyad_core::Sentence;

struct Case {
    name: &'static str,
    input: &'static str,
    expected: &'static [&'static str],
}

macro_rules! cases {
    ($($name:ident: $input:expr => [$($s:expr),* $(,)?];)*) => {
        &[$(Case { name: stringify!($name), input: $input, expected: &[$($s),*] }),*]
    };
}

static CASES: &[Case] = cases! {
    // --- plain sentences ---
    simple_two: "Russia attacked Ukraine. NATO condemned the strike." =>
        ["Russia attacked Ukraine.", "NATO condemned the strike."];
    question_and_exclamation: "Will they talk? Nobody knows! The summit starts Monday." =>
        ["Will they talk?", "Nobody knows!", "The summit starts Monday."];
    no_final_punctuation: "Talks resumed in Geneva" => ["Talks resumed in Geneva"];
    surrounding_whitespace: "   \n  Talks resumed.  \n\n  " => ["Talks resumed."];
    empty: "" => [];
    whitespace_only: " \n\t\n  " => [];
    interrobang: "They did what?! Officials were stunned." =>
        ["They did what?!", "Officials were stunned."];
    multiple_exclamations: "Stop the war!!! The crowd chanted for hours." =>
        ["Stop the war!!!", "The crowd chanted for hours."];

    // --- abbreviations and titles ---
    us_mid_sentence: "The U.S. Senate voted on Tuesday." => ["The U.S. Senate voted on Tuesday."];
    us_sentence_end_before_the: "Troops will stay in the U.S. The president said so." =>
        ["Troops will stay in the U.S.", "The president said so."];
    us_before_lowercase: "U.S. officials met U.N. envoys in Geneva." =>
        ["U.S. officials met U.N. envoys in Geneva."];
    us_before_title: "He met U.S. President Joe Biden. They discussed trade." =>
        ["He met U.S. President Joe Biden.", "They discussed trade."];
    us_end_before_he: "The deal was signed in the U.S. He welcomed it." =>
        ["The deal was signed in the U.S.", "He welcomed it."];
    uk_and_eu: "The U.K. and the E.U. reached a deal. Talks ended." =>
        ["The U.K. and the E.U. reached a deal.", "Talks ended."];
    mr_mrs_ms: "Mr. Smith met Mrs. Jones and Ms. Lee. They talked." =>
        ["Mr. Smith met Mrs. Jones and Ms. Lee.", "They talked."];
    dr_title: "Dr. Tedros Adhanom Ghebreyesus warned of a new wave." =>
        ["Dr. Tedros Adhanom Ghebreyesus warned of a new wave."];
    senator_rep_gov: "Sen. Lindsey Graham, Rep. Nancy Pelosi and Gov. Gavin Newsom spoke." =>
        ["Sen. Lindsey Graham, Rep. Nancy Pelosi and Gov. Gavin Newsom spoke."];
    military_ranks: "Gen. Mark Milley, Lt. Col. Alexander Vindman and Maj. Gen. Patrick Ryder attended." =>
        ["Gen. Mark Milley, Lt. Col. Alexander Vindman and Maj. Gen. Patrick Ryder attended."];
    more_ranks: "Capt. Jane Doe, Sgt. John Roe and Adm. John Aquilino were there." =>
        ["Capt. Jane Doe, Sgt. John Roe and Adm. John Aquilino were there."];
    prof_title: "Prof. Timothy Snyder said the war would be long." =>
        ["Prof. Timothy Snyder said the war would be long."];
    st_petersburg: "Putin flew to St. Petersburg on Friday. He met Lukashenko." =>
        ["Putin flew to St. Petersburg on Friday.", "He met Lukashenko."];
    jr_mid: "Martin Luther King Jr. Day is a holiday." => ["Martin Luther King Jr. Day is a holiday."];
    jr_end: "The speech was by Martin Luther King Jr. It was widely quoted." =>
        ["The speech was by Martin Luther King Jr.", "It was widely quoted."];
    inc_mid: "Apple Inc. said sales fell. Shares dropped." =>
        ["Apple Inc. said sales fell.", "Shares dropped."];
    inc_end: "The contract went to Acme Inc. The deal is worth $2 billion." =>
        ["The contract went to Acme Inc.", "The deal is worth $2 billion."];
    corp_co_ltd: "Lockheed Martin Corp. and Samsung Co. Ltd. signed the pact." =>
        ["Lockheed Martin Corp. and Samsung Co. Ltd. signed the pact."];
    number_abbrev: "He lives at No. 10 Downing Street. It is old." =>
        ["He lives at No. 10 Downing Street.", "It is old."];
    versus: "The case Roe v. Wade and Brown vs. Board are famous. Both were cited." =>
        ["The case Roe v. Wade and Brown vs. Board are famous.", "Both were cited."];
    etc_mid: "Tanks, guns, etc. were shipped. More will follow." =>
        ["Tanks, guns, etc. were shipped.", "More will follow."];
    etc_end: "They sent tanks, guns, etc. The shipment arrived." =>
        ["They sent tanks, guns, etc.", "The shipment arrived."];
    months: "The attack happened on Sept. 11, 2001. The war began on Oct. 7 and ended Aug. 30." =>
        ["The attack happened on Sept. 11, 2001.", "The war began on Oct. 7 and ended Aug. 30."];
    more_months: "Votes are due Jan. 5, Feb. 10, Nov. 3 and Dec. 24. Counting follows." =>
        ["Votes are due Jan. 5, Feb. 10, Nov. 3 and Dec. 24.", "Counting follows."];
    am_pm_mid: "The blast occurred at 10 a.m. local time and again at 3 p.m. on Monday." =>
        ["The blast occurred at 10 a.m. local time and again at 3 p.m. on Monday."];
    am_pm_end: "The meeting started at 9 a.m. The leaders arrived late." =>
        ["The meeting started at 9 a.m.", "The leaders arrived late."];
    approx: "There were approx. 200 protesters. Police dispersed them." =>
        ["There were approx. 200 protesters.", "Police dispersed them."];
    eg_ie: "Some states, e.g. Poland, and others, i.e. the Baltics, objected." =>
        ["Some states, e.g. Poland, and others, i.e. the Baltics, objected."];
    dc_end: "The rally was held in Washington, D.C. The crowd was large." =>
        ["The rally was held in Washington, D.C.", "The crowd was large."];
    state_abbrev: "The plant is in Austin, Tex. It employs 500 people." =>
        ["The plant is in Austin, Tex.", "It employs 500 people."];
    ret_in_parens: "Gen. (Ret.) David Petraeus spoke. He was calm." =>
        ["Gen. (Ret.) David Petraeus spoke.", "He was calm."];
    us_led: "The U.S.-led coalition struck. Iraq protested." =>
        ["The U.S.-led coalition struck.", "Iraq protested."];
    hyphen_then_abbrev: "Kenya-U.S. Trade talks resumed. Both sides met." =>
        ["Kenya-U.S. Trade talks resumed.", "Both sides met."];
    us_possessive: "The U.S.'s allies objected. China agreed." =>
        ["The U.S.'s allies objected.", "China agreed."];

    // --- initials ---
    initial_mueller: "Robert S. Mueller testified. He declined to comment." =>
        ["Robert S. Mueller testified.", "He declined to comment."];
    initial_bush: "George W. Bush met Vladimir V. Putin in 2001." =>
        ["George W. Bush met Vladimir V. Putin in 2001."];
    dotted_initials: "J.K. Rowling and H.R. McMaster were named. Both declined." =>
        ["J.K. Rowling and H.R. McMaster were named.", "Both declined."];
    initial_end_starter: "The plan is called Plan B. The cabinet rejected it." =>
        ["The plan is called Plan B.", "The cabinet rejected it."];

    // --- numbers ---
    decimal: "The economy grew 2.5 percent. Inflation was 3.14 percent." =>
        ["The economy grew 2.5 percent.", "Inflation was 3.14 percent."];
    money: "Congress approved $1.2 billion in aid. Kyiv welcomed it." =>
        ["Congress approved $1.2 billion in aid.", "Kyiv welcomed it."];
    year_end: "The treaty was signed in 1987. It banned missiles." =>
        ["The treaty was signed in 1987.", "It banned missiles."];
    number_starts_next: "Turnout was low in 2019. 2020 was different." =>
        ["Turnout was low in 2019.", "2020 was different."];
    thousands: "About 1,200 people fled. Aid agencies responded." =>
        ["About 1,200 people fled.", "Aid agencies responded."];

    // --- quotes and parentheses ---
    quote_closes_sentence: "\"We will respond,\" he said. \"The attack was unprovoked.\" Then he left." =>
        ["\"We will respond,\" he said.", "\"The attack was unprovoked.\"", "Then he left."];
    curly_quote_closes: "Putin called it “a provocation.” The Kremlin agreed." =>
        ["Putin called it “a provocation.”", "The Kremlin agreed."];
    question_in_quote_attribution: "\"Why not?\" Trump asked. He smiled." =>
        ["\"Why not?\" Trump asked.", "He smiled."];
    question_in_quote_lowercase: "\"Who is responsible?\" he asked. Nobody answered." =>
        ["\"Who is responsible?\" he asked.", "Nobody answered."];
    exclamation_in_quote_new_sentence: "\"Enough!\" The crowd fell silent." =>
        ["\"Enough!\"", "The crowd fell silent."];
    single_quotes: "He said 'no deal.' Then talks collapsed." =>
        ["He said 'no deal.'", "Then talks collapsed."];
    parenthetical_sentence: "The vote passed. (The opposition walked out.) Debate resumed." =>
        ["The vote passed.", "(The opposition walked out.)", "Debate resumed."];
    period_after_paren: "The deal (signed in 2015) collapsed (again). Iran blamed Washington." =>
        ["The deal (signed in 2015) collapsed (again).", "Iran blamed Washington."];
    question_in_parens: "The group (who knows why?) withdrew. Talks stalled." =>
        ["The group (who knows why?) withdrew.", "Talks stalled."];
    ap_credit: "WASHINGTON (AP) — The Senate passed the bill. It goes to the House." =>
        ["WASHINGTON (AP) — The Senate passed the bill.", "It goes to the House."];
    quote_opens_next: "He spoke briefly. \"We are ready,\" he said." =>
        ["He spoke briefly.", "\"We are ready,\" he said."];
    us_then_quote_starter: "He returned to the U.S. \"We won,\" he said." =>
        ["He returned to the U.S.", "\"We won,\" he said."];

    // --- ellipses ---
    ellipsis_mid: "We are ... committed to peace, he said." =>
        ["We are ... committed to peace, he said."];
    ellipsis_attached_mid: "I think... we should wait, she said." =>
        ["I think... we should wait, she said."];
    ellipsis_end: "He paused... Then he walked out." => ["He paused...", "Then he walked out."];
    ellipsis_char_end: "The talks dragged on… The delegates left." =>
        ["The talks dragged on…", "The delegates left."];
    standalone_ellipsis_attaches: "The base was in doubt. … Without it, nothing works." =>
        ["The base was in doubt. …", "Without it, nothing works."];
    ellipsis_spaced_before_name: "We talked with . . . Russia about it." =>
        ["We talked with . . . Russia about it."];

    // --- datelines, headlines, paragraphs ---
    dateline_same_line: "MOSCOW (Reuters) - Russia expelled two diplomats on Monday. The move was expected." =>
        ["MOSCOW (Reuters) - Russia expelled two diplomats on Monday.", "The move was expected."];
    dateline_own_line: "MOSCOW (Reuters) -\nRussia expelled two diplomats on Monday." =>
        ["MOSCOW (Reuters) -\nRussia expelled two diplomats on Monday."];
    headline_paragraph: "Russia Expels Diplomats\n\nRussia expelled two diplomats on Monday." =>
        ["Russia Expels Diplomats", "Russia expelled two diplomats on Monday."];
    headline_single_newline: "Russia Expels Diplomats\nRussia expelled two diplomats on Monday." =>
        ["Russia Expels Diplomats", "Russia expelled two diplomats on Monday."];
    byline_lines: "By Jane Smith\nVOA News\nPosted March 3, 2024\n\nThe talks ended." =>
        ["By Jane Smith", "VOA News", "Posted March 3, 2024", "The talks ended."];
    paragraphs_without_punct: "First paragraph\n\nSecond paragraph\n\n\nThird" =>
        ["First paragraph", "Second paragraph", "Third"];
    crlf_paragraphs: "The talks ended.\r\n\r\nNo deal was reached\r\n\r\nBoth sides left." =>
        ["The talks ended.", "No deal was reached", "Both sides left."];
    wrapped_lowercase_continuation: "The president said the talks\nwould resume next week. Aides agreed." =>
        ["The president said the talks\nwould resume next week.", "Aides agreed."];
    wrapped_after_comma: "Russia, China,\nIran and Syria objected." =>
        ["Russia, China,\nIran and Syria objected."];
    wrapped_after_title: "He met Mr.\nSmith in Paris." => ["He met Mr.\nSmith in Paris."];
    us_at_line_end: "He flew to the U.S.\nOfficials greeted him." =>
        ["He flew to the U.S.", "Officials greeted him."];
    blank_line_with_spaces: "One line\n   \t \nAnother line" => ["One line", "Another line"];

    // --- lists ---
    bullets: "Key points:\n- Russia attacked.\n- Ukraine responded\n• NATO met" =>
        ["Key points:", "- Russia attacked.", "- Ukraine responded", "• NATO met"];
    star_bullets: "* Sanctions were imposed\n* Talks were suspended" =>
        ["* Sanctions were imposed", "* Talks were suspended"];
    numbered_list: "1. Russia attacked Kyiv.\n2. Ukraine shot down drones.\n10. NATO met." =>
        ["1. Russia attacked Kyiv.", "2. Ukraine shot down drones.", "10. NATO met."];
    numbered_list_no_punct: "1. Ceasefire\n2. Prisoner exchange" => ["1. Ceasefire", "2. Prisoner exchange"];

    // --- URLs and e-mails ---
    domain: "Read more at voanews.com for details. The site is free." =>
        ["Read more at voanews.com for details.", "The site is free."];
    domain_at_end: "Read more at voanews.com. The site is free." =>
        ["Read more at voanews.com.", "The site is free."];
    url_path: "See example.org/a.b and https://www.voanews.com/a/iraq.html today." =>
        ["See example.org/a.b and https://www.voanews.com/a/iraq.html today."];
    email: "Write to press@state.gov for comment. Officials replied." =>
        ["Write to press@state.gov for comment.", "Officials replied."];

    // --- miscellaneous ---
    lowercase_after_period_no_split: "The vote was 5 to 4. and the bill passed." =>
        ["The vote was 5 to 4. and the bill passed."];
    yahoo_exclaim_lowercase: "Yahoo! said it would comply. Google did not." =>
        ["Yahoo! said it would comply.", "Google did not."];
    semicolon_colon_no_split: "Russia denied it; China said nothing: the West objected." =>
        ["Russia denied it; China said nothing: the West objected."];
    unicode_text: "Côte d’Ivoire’s president met Zelenskyy. “Slava Ukraini!” he said." =>
        ["Côte d’Ivoire’s president met Zelenskyy.", "“Slava Ukraini!” he said."];
    nbsp_between: "Talks ended.\u{a0}The envoys left." => ["Talks ended.", "The envoys left."];
    possessive_abbrev_then_sentence: "Iraq’s Anbar desert was hit. U.S. forces confirmed it." =>
        ["Iraq’s Anbar desert was hit.", "U.S. forces confirmed it."];
    sentence_starting_with_us: "Iraq confirmed the strike. U.S. Central Command, which oversees U.S. military operations, agreed." =>
        ["Iraq confirmed the strike.", "U.S. Central Command, which oversees U.S. military operations, agreed."];
    abbreviation_then_capitalized_name: "The U.S. Defense Department and the U.N. Security Council met." =>
        ["The U.S. Defense Department and the U.N. Security Council met."];
};

fn segment_strs(input: &str) -> Vec<&str> {
    let mut out: Vec<Sentence> = Vec::new();
    dyad_text::segment(input, &mut out);
    for (i, s) in out.iter().enumerate() {
        assert_eq!(s.index as usize, i, "index must equal position");
    }
    out.iter().map(|s| s.span.slice(input)).collect()
}

#[test]
fn segment_cases() {
    assert!(CASES.len() >= 70, "only {} cases", CASES.len());
    let mut failures = Vec::new();
    for case in CASES {
        let got = segment_strs(case.input);
        if got != case.expected {
            failures.push(format!(
                "case `{}`\n  input:    {:?}\n  expected: {:#?}\n  got:      {:#?}",
                case.name, case.input, case.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} segmentation cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn appending_continues_indices() {
    let mut out = Vec::new();
    dyad_text::segment("One. Two.", &mut out);
    dyad_text::segment("Three.", &mut out);
    let idx: Vec<u32> = out.iter().map(|s| s.index).collect();
    assert_eq!(idx, vec![0, 1, 2]);
}
