//! Table-driven tokenizer cases. Each expected token is written `norm` (a Word), `#norm` (a
//! Number), `^norm` (a Possessive) or `.norm` (a Punct: the first char is the marker).

use dyad_core::{Span, TokenKind, Tokens};

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
    simple: "Russia attacked Ukraine." => ["russia", "attacked", "ukraine", ".."];
    us_abbrev: "the U.S. Senate" => ["the", "u.s.", "senate"];
    us_at_end: "in the U.S." => ["in", "the", "u.s."];
    final_period_split: "in Moscow." => ["in", "moscow", ".."];
    titles_keep_period: "Mr. Smith and Gen. Milley" => ["mr.", "smith", "and", "gen.", "milley"];
    initials: "Robert S. Mueller" => ["robert", "s.", "mueller"];
    dotted_lowercase: "at 3 p.m. today" => ["at", "#3", "p.m.", "today"];
    inner_hyphens: "al-Sudani held two-hour talks" => ["al-sudani", "held", "two-hour", "talks"];
    unicode_hyphen: "a two‐hour meeting" => ["a", "two-hour", "meeting"];
    apostrophe_name: "O'Neil and O’Brien" => ["o'neil", "and", "o'brien"];
    unicode_letters: "Côte d’Ivoire and São Paulo" => ["côte", "d'ivoire", "and", "são", "paulo"];
    combining_accent: "Cote\u{301} d'Ivoire" => ["cote\u{301}", "d'ivoire"];
    possessive_straight: "Russia's army" => ["russia", "^'s", "army"];
    possessive_curly: "Russia’s army" => ["russia", "^'s", "army"];
    possessive_plural: "the countries' leaders" => ["the", "countries", "^'", "leaders"];
    possessive_plural_curly: "the countries’ leaders" => ["the", "countries", "^'", "leaders"];
    possessive_upper: "RUSSIA'S ARMY" => ["russia", "^'s", "army"];
    possessive_abbrev: "the U.S.'s allies" => ["the", "u.s.", "^'s", "allies"];
    inner_apostrophe_then_possessive: "al-Rufay’i’s killing" => ["al-rufay'i", "^'s", "killing"];
    cant: "They can't stop" => ["they", "ca", "n't", "stop"];
    dont_curly: "We don’t agree" => ["we", "do", "n't", "agree"];
    wont: "Russia won't attend" => ["russia", "wo", "n't", "attend"];
    isnt: "It isn't over" => ["it", "is", "n't", "over"];
    cannot: "Iran cannot accept" => ["iran", "can", "not", "accept"];
    contractions: "They're sure we'll win and I'm glad" =>
        ["they", "'re", "sure", "we", "'ll", "win", "and", "i", "'m", "glad"];
    its_is: "it's over" => ["it", "^'s", "over"];
    name_not_contraction: "Sa'd Hariri" => ["sa'd", "hariri"];
    decimal: "grew 2.5 percent" => ["grew", "#2.5", "percent"];
    thousands: "1,200 people" => ["#1,200", "people"];
    millions: "1,200,000 people" => ["#1,200,000", "people"];
    money: "$1.2 billion" => [".$", "#1.2", "billion"];
    year: "in 2016." => ["in", "#2016", ".."];
    decimal_at_end: "rose 2.5." => ["rose", "#2.5", ".."];
    number_list_comma: "2016,2017" => ["#2016", ".,", "#2017"];
    number_word: "a 30-minute meeting" => ["a", "30-minute", "meeting"];
    ordinal: "the 2nd round in the 1990s" => ["the", "2nd", "round", "in", "the", "1990s"];
    alnum: "G20 summit and F-16 jets and COVID-19" =>
        ["g20", "summit", "and", "f-16", "jets", "and", "covid-19"];
    percent: "5% rise" => ["#5", ".%", "rise"];
    time: "12:37 am" => ["#12", ".:", "#37", "am"];
    curly_quotes: "“Enough,” he said" => [".\"", "enough", ".,", ".\"", "he", "said"];
    guillemets: "«Non»" => [".\"", "non", ".\""];
    em_dash: "Moscow—the capital" => ["moscow", ".-", "the", "capital"];
    en_dash_range: "2015–2016" => ["#2015", ".-", "#2016"];
    double_hyphen: "wait -- no" => ["wait", ".-", ".-", "no"];
    ellipsis: "wait... no" => ["wait", "....", "no"];
    ellipsis_char: "wait… no" => ["wait", "....", "no"];
    parens: "(AP)" => [".(", "ap", ".)"];
    domain: "voanews.com and example.org/a.b" =>
        ["voanews.com", "and", "example.org", "./", "a.b"];
    domain_at_end: "at voanews.com." => ["at", "voanews.com", ".."];
    url: "see https://www.voanews.com/a/iraq-8011115.html." =>
        ["see", "https://www.voanews.com/a/iraq-8011115.html", ".."];
    email: "write press@state.gov now" => ["write", "press@state.gov", "now"];
    ampersand: "AT&T and S&P but R & D" => ["at&t", "and", "s&p", "but", "r", ".&", "d"];
    us_led: "the U.S.-led coalition" => ["the", "u.s.-led", "coalition"];
    hyphen_then_abbrev: "Kenya-U.S. ties and U.S.-U.K. talks" =>
        ["kenya-u.s.", "ties", "and", "u.s.-u.k.", "talks"];
    hashtag_mention: "#Ukraine @POTUS" => [".#", "ukraine", ".@", "potus"];
    soft_hyphen_ignored: "Kaz\u{ad}akh\u{200b} troops" => ["kazakh", "troops"];
    bullet: "• NATO met" => [".•", "nato", "met"];
    question_exclaim: "Why?! Now!" => ["why", ".?", ".!", "now", ".!"];
    leading_apostrophe: "the '90s" => ["the", ".'", "90s"];
    cyrillic: "Путин сказал" => ["путин", "сказал"];
    arabic: "محمد شياع السوداني" => ["محمد", "شياع", "السوداني"];
    uppercase_title: "MOSCOW (Reuters) -" => ["moscow", ".(", "reuters", ".)", ".-"];
    number_abbrev: "No. 10 Downing Street" => ["no.", "#10", "downing", "street"];
    no_is_a_word: "He said No. Then" => ["he", "said", "no", "..", "then"];
    trailing_hyphen: "pro- and anti-war" => ["pro", ".-", "and", "anti-war"];
};

fn render(input: &str) -> Vec<String> {
    let mut t = Tokens::default();
    tokenize_all(input, &mut t);
    (0..t.len())
        .map(|i| {
            let n = t.norm(i);
            match t.tokens[i].kind {
                TokenKind::Word => n.to_string(),
                TokenKind::Number => format!("#{n}"),
                TokenKind::Possessive => format!("^{n}"),
                TokenKind::Punct => format!(".{n}"),
            }
        })
        .collect()
}

fn tokenize_all(input: &str, t: &mut Tokens) {
    dyad_text::tokenize(input, Span::new(0, input.len() as u32), t);
}

#[test]
fn tokenize_cases() {
    let mut failures = Vec::new();
    for case in CASES {
        let got = render(case.input);
        if got != case.expected {
            failures.push(format!(
                "case `{}`\n  input:    {:?}\n  expected: {:?}\n  got:      {:?}",
                case.name, case.input, case.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} tokenizer cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn spans_point_into_text() {
    let text = "Russia’s envoy can't attend, U.S. officials said.";
    let mut t = Tokens::default();
    tokenize_all(text, &mut t);
    let spans: Vec<&str> = t.tokens.iter().map(|k| k.span.slice(text)).collect();
    assert_eq!(
        spans,
        vec![
            "Russia",
            "’s",
            "envoy",
            "ca",
            "n't",
            "attend",
            ",",
            "U.S.",
            "officials",
            "said",
            "."
        ]
    );
}

#[test]
fn capitalization_flag() {
    let text = "Putin met the Émir and iPhone makers";
    let mut t = Tokens::default();
    tokenize_all(text, &mut t);
    let caps: Vec<bool> = t.tokens.iter().map(|k| k.capitalized).collect();
    assert_eq!(caps, vec![true, false, false, true, false, false, false]);
}

#[test]
fn sub_span_uses_text_coordinates() {
    let text = "First sentence. Second one here.";
    let mut t = Tokens::default();
    dyad_text::tokenize(text, Span::new(16, 32), &mut t);
    assert_eq!(t.tokens[0].span, Span::new(16, 22));
    assert_eq!(t.norm(0), "second");
    assert_eq!(t.tokens.last().unwrap().span.slice(text), ".");
}

#[test]
fn buffer_is_appended_not_cleared() {
    let mut t = Tokens::default();
    tokenize_all("One two", &mut t);
    tokenize_all("three", &mut t);
    assert_eq!(t.len(), 3);
    assert_eq!(t.norm(2), "three");
}

#[test]
fn bad_spans_are_clamped() {
    let text = "Côte";
    let mut t = Tokens::default();
    // Starts inside the two-byte 'ô' and ends past the text.
    dyad_text::tokenize(text, Span::new(2, 99), &mut t);
    assert_eq!(t.len(), 1);
    assert_eq!(t.tokens[0].span.slice(text), "te");
}
