//! Main-content extraction on the real example page and on small fixtures of other layouts.

use dyad_ingest::{extract_html, extract_html_bytes};

const EXAMPLE_HTML: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/examples/trump-putin-g20-2017-07-07.html"
);
const EXAMPLE_TXT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/examples/trump-putin-g20-2017-07-07.txt"
);

/// The real example page, if ../shared is beside the repository (CI has it); else a note and
/// `None`, and the test that needs it is skipped.
fn example_html() -> Option<String> {
    match std::fs::read_to_string(EXAMPLE_HTML) {
        Ok(html) => Some(html),
        Err(e) => {
            eprintln!("{EXAMPLE_HTML}: {e}: the example page tests are skipped");
            None
        }
    }
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Headline, dek and the ten article paragraphs of the .txt version: the lines that are a
/// headline (the 3rd paragraph), the dek (4th) and the body (from "President Donald Trump" up to
/// the share line).
fn expected_example_text() -> String {
    let txt = std::fs::read_to_string(EXAMPLE_TXT).unwrap();
    let paras: Vec<&str> = txt
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let headline = paras
        .iter()
        .position(|p| p.starts_with("Trump confronts Putin"))
        .unwrap();
    let start = paras
        .iter()
        .position(|p| p.starts_with("President Donald Trump on Friday"))
        .unwrap();
    let end = paras
        .iter()
        .position(|p| p.starts_with("Share this article"))
        .unwrap();
    let mut out = vec![paras[headline], paras[headline + 1]];
    out.extend(&paras[start..end]);
    assert_eq!(out.len(), 12, "headline + dek + ten paragraphs");
    out.join("\n\n")
}

#[test]
fn example_page_gives_exactly_headline_dek_and_body() {
    let Some(html) = example_html() else { return };
    let ex = extract_html(&html, None);
    assert_eq!(ex.text, expected_example_text());
    assert_eq!(ex.published.as_deref(), Some("2017-07-07T13:53:00-05:00"));
    assert_eq!(ex.modified.as_deref(), Some("2021-05-23T00:37:00-05:00"));
    assert_eq!(
        ex.title.as_deref(),
        Some("Trump confronts Putin over election hacks, allegedly accepts denial of Russia\u{2019}s involvement")
    );
    assert_eq!(ex.author.as_deref(), Some("Andrew Couts"));
    assert_eq!(ex.source.as_deref(), Some("The Daily Dot"));
    assert_eq!(ex.language.as_deref(), Some("en-US"));
    assert_eq!(
        ex.url.as_deref(),
        Some("https://news.example.org/2017/07/07/trump-putin-g20-election-hacking/")
    );
    for junk in [
        "Subscribe",
        "Related stories",
        "Privacy Policy",
        "Screengrab",
        "Share this article",
        "gtag",
        "First Published",
        "Andrew Couts",
        "Posted on",
        "Facebook",
    ] {
        assert!(!ex.text.contains(junk), "{junk:?} leaked into the text");
    }
    assert!(ex.warnings.is_empty());
}

#[test]
fn example_page_in_windows_1252_decodes_the_same() {
    let Some(html) = example_html() else { return };
    let html = html.replace(
        "<meta charset=\"utf-8\">",
        "<meta charset=\"windows-1252\">",
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&html);
    assert!(!unmappable);
    let ex = extract_html_bytes(&bytes, None, None);
    assert_eq!(ex.text, expected_example_text());
    assert!(ex.warnings.is_empty(), "{:?}", ex.warnings);
}

#[test]
fn div_soup_with_article_body_class() {
    let ex = extract_html(
        &fixture("div-soup.html"),
        Some("https://wire.example.com/world/story-123"),
    );
    assert_eq!(
        ex.text,
        "Ministers agree on ceasefire talks in Geneva\n\n\
         Talks are set to open next week after months of fighting.\n\n\
         GENEVA (Wire) \u{2014} Foreign ministers from both countries agreed on Tuesday to hold ceasefire talks in Geneva next week, officials said.\n\n\
         The agreement follows weeks of shuttle diplomacy by mediators, who met separately with both delegations.\n\n\
         \u{201C}We are cautiously hopeful,\u{201D} a senior diplomat said & declined to give details."
    );
    assert_eq!(ex.published.as_deref(), Some("2024-02-13T09:30:00Z"));
    assert_eq!(ex.author.as_deref(), Some("Jane Roe"));
    assert_eq!(
        ex.url.as_deref(),
        Some("https://wire.example.com/world/story-123")
    );
    assert_eq!(
        ex.title.as_deref(),
        Some("Ministers agree on ceasefire talks in Geneva")
    );
    assert_eq!(ex.source.as_deref(), Some("Example Wire"));
}

#[test]
fn article_with_aside_and_inline_junk() {
    let ex = extract_html(&fixture("article-aside.html"), None);
    assert_eq!(
        ex.text,
        "Flooding forces thousands from homes\n\n\
         Heavy rain has caused rivers to burst their banks across the region.\n\n\
         More than 5,000 people were evacuated overnight, the regional governor said on Sunday.\n\n\
         Rescue teams used boats to reach villages cut off by the water.\n\n\
         Relief efforts\n\n\
         The government pledged emergency funds and sent troops to help with the relief effort.\n\n\
         \u{2022} Roads closed in three districts\n\n\
         \u{2022} Schools shut until Wednesday"
    );
    assert_eq!(ex.published.as_deref(), Some("2023-09-03"));
    assert_eq!(
        ex.title.as_deref(),
        Some("Flooding forces thousands from homes")
    );
    assert_eq!(ex.language.as_deref(), Some("en"));
}

#[test]
fn no_article_element_paragraphs_are_scored() {
    let ex = extract_html(&fixture("scored.html"), None);
    assert_eq!(
        ex.text,
        "Parliament passes budget after long debate\n\n\
         The national parliament on Thursday passed the annual budget by a narrow margin, after a debate that lasted three days.\n\n\
         Opposition lawmakers, who had called the plan reckless, walked out before the final vote.\n\n\
         The finance minister said the budget would reduce the deficit, raise pensions, and fund new hospitals.\n\n\
         The bill now goes to the upper house, which is expected to approve it next month."
    );
    // Only a dateline gives the date.
    assert_eq!(ex.published.as_deref(), Some("2022-11-24"));
    assert_eq!(
        ex.title.as_deref(),
        Some("Parliament passes budget after long debate")
    );
}

#[test]
fn pages_without_main_text_give_empty_text() {
    for page in [
        "",
        "<html><head><title>x</title></head></html>",
        "<html><body><script>var a = '<p>not text</p>';</script><style>p{}</style></body></html>",
        "<html><body><nav><a href=/>Home</a></nav><footer>\u{a9} 2020</footer></body></html>",
    ] {
        let ex = extract_html(page, None);
        assert_eq!(ex.text, "", "page {page:?}");
    }
}

#[test]
fn br_separated_paragraphs_and_entities() {
    let ex = extract_html(
        "<body><div id=story>First line of the story goes here,<br>still the same paragraph.<br><br>\
         Second paragraph&nbsp;with&#160;entities &amp; more, because it has to be long enough.</div></body>",
        None,
    );
    assert_eq!(
        ex.text,
        "First line of the story goes here, still the same paragraph.\n\n\
         Second paragraph\u{a0}with\u{a0}entities & more, because it has to be long enough."
    );
}
