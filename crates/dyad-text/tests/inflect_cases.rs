//! Inflection of dictionary pattern words, and the irregular-verb table parser.

use dyad_text::{inflections, Irregulars};

/// A small irregular table in the dictionary's format (not the real `dict/irregular.tsv`).
const TABLE: &str = "\
# base\tpast\tpast participle
base\tpast\tpast participle
meet\tmet\tmet
hold\theld\theld
take\ttook\ttaken
give\tgave\tgiven
go\twent\tgone
do\tdid\tdone
say\tsaid\tsaid
tell\ttold\ttold
fight\tfought\tfought
seek\tsought\tsought
hit\thit\thit
shoot\tshot\tshot
strike\tstruck\tstruck|stricken   # both participles
lead\tled\tled
begin\tbegan\tbegun
forbid\tforbade|forbad\tforbidden
pay\tpaid\tpaid
sell\tsold\tsold
break\tbroke\tbroken
";

fn table() -> Irregulars {
    Irregulars::parse(TABLE).expect("table parses")
}

fn forms(base: &str) -> Vec<String> {
    let mut out = Vec::new();
    inflections(base, &table(), &mut out);
    out
}

/// (base, forms that must be present, forms that must be absent)
const CASES: &[(&str, &[&str], &[&str])] = &[
    // regular
    (
        "accuse",
        &["accuse", "accuses", "accused", "accusing"],
        &["accuseing"],
    ),
    (
        "attack",
        &["attack", "attacks", "attacked", "attacking"],
        &[],
    ),
    ("condemn", &["condemns", "condemned", "condemning"], &[]),
    (
        "criticize",
        &["criticizes", "criticized", "criticizing"],
        &[],
    ),
    ("sanction", &["sanctions", "sanctioned", "sanctioning"], &[]),
    (
        "visit",
        &["visits", "visited", "visiting"],
        &["visitted", "visitting"],
    ),
    ("open", &["opens", "opened", "opening"], &["openned"]),
    ("offer", &["offers", "offered", "offering"], &["offerred"]),
    (
        "target",
        &["targets", "targeted", "targeting"],
        &["targetted"],
    ),
    ("threaten", &["threatens", "threatened", "threatening"], &[]),
    // e-drop
    (
        "agree",
        &["agrees", "agreed", "agreeing"],
        &["agreeed", "agreing"],
    ),
    ("make", &["makes", "making"], &["makeing"]),
    ("urge", &["urges", "urged", "urging"], &[]),
    ("argue", &["argues", "argued", "arguing"], &[]),
    ("free", &["frees", "freed", "freeing"], &[]),
    ("release", &["releases", "released", "releasing"], &[]),
    // ie -> ying
    ("die", &["dies", "died", "dying"], &["dieing"]),
    ("tie", &["ties", "tied", "tying"], &[]),
    // y -> ied / ies
    (
        "deny",
        &["denies", "denied", "denying"],
        &["denys", "denyed"],
    ),
    ("rally", &["rallies", "rallied", "rallying"], &[]),
    (
        "stay",
        &["stays", "stayed", "staying"],
        &["staied", "staies"],
    ),
    ("destroy", &["destroys", "destroyed", "destroying"], &[]),
    // doubling
    (
        "stop",
        &["stops", "stopped", "stopping"],
        &["stoped", "stoping"],
    ),
    ("ban", &["bans", "banned", "banning"], &["baned"]),
    ("plan", &["plans", "planned", "planning"], &[]),
    ("bar", &["bars", "barred", "barring"], &[]),
    ("plot", &["plots", "plotted", "plotting"], &[]),
    ("rob", &["robs", "robbed", "robbing"], &[]),
    ("admit", &["admits", "admitted", "admitting"], &["admited"]),
    ("commit", &["commits", "committed", "committing"], &[]),
    ("control", &["controls", "controlled", "controlling"], &[]),
    ("patrol", &["patrols", "patrolled", "patrolling"], &[]),
    ("expel", &["expels", "expelled", "expelling"], &[]),
    (
        "cancel",
        &[
            "cancels",
            "canceled",
            "cancelled",
            "canceling",
            "cancelling",
        ],
        &[],
    ),
    ("quit", &["quits", "quitting"], &["quiting"]),
    // no doubling after two vowels or w/x/y
    ("meet", &["meets", "meeting", "met"], &["meetted", "meeted"]),
    ("jail", &["jails", "jailed", "jailing"], &["jailled"]),
    ("fix", &["fixes", "fixed", "fixing"], &["fixxed"]),
    ("vow", &["vows", "vowed", "vowing"], &["vowwed"]),
    // -es
    ("push", &["pushes", "pushed", "pushing"], &[]),
    ("reach", &["reaches", "reached", "reaching"], &[]),
    ("press", &["presses", "pressed", "pressing"], &[]),
    ("veto", &["vetoes", "vetoed", "vetoing"], &[]),
    // -ic
    ("panic", &["panics", "panicked", "panicking"], &[]),
    // irregular
    ("hold", &["holds", "held", "holding"], &["holded"]),
    ("take", &["takes", "took", "taken", "taking"], &["taked"]),
    ("go", &["goes", "went", "gone", "going"], &["goed"]),
    ("do", &["does", "did", "done", "doing"], &[]),
    ("say", &["says", "said", "saying"], &["sayed"]),
    ("fight", &["fights", "fought", "fighting"], &["fighted"]),
    ("hit", &["hits", "hit", "hitting"], &["hitted"]),
    ("shoot", &["shoots", "shot", "shooting"], &["shooted"]),
    (
        "strike",
        &["strikes", "struck", "stricken", "striking"],
        &["striked"],
    ),
    (
        "begin",
        &["begins", "began", "begun", "beginning"],
        &["begined"],
    ),
    (
        "forbid",
        &["forbids", "forbade", "forbad", "forbidden", "forbidding"],
        &[],
    ),
    ("pay", &["pays", "paid", "paying"], &["payed"]),
    ("break", &["breaks", "broke", "broken", "breaking"], &[]),
    // special verbs
    (
        "be",
        &["be", "is", "are", "was", "were", "been", "being"],
        &["bes", "bing"],
    ),
    ("have", &["has", "had", "having"], &["haves"]),
    // noun plurals
    ("threat", &["threats"], &[]),
    ("crisis", &["crises"], &[]),
    ("gunman", &["gunmen"], &[]),
    ("militia", &["militias"], &[]),
    ("ally", &["allies"], &[]),
    // multi-word: first word only
    (
        "crack down",
        &["crack down", "cracks down", "cracked down", "cracking down"],
        &["crack downs"],
    ),
    (
        "take part in",
        &[
            "takes part in",
            "took part in",
            "taken part in",
            "taking part in",
        ],
        &[],
    ),
    ("shut down", &["shuts down", "shutting down"], &[]),
    ("step up", &["steps up", "stepped up", "stepping up"], &[]),
];

#[test]
fn inflection_cases() {
    assert!(CASES.len() >= 30);
    let mut failures = Vec::new();
    for (base, present, absent) in CASES {
        let got = forms(base);
        if got.first().map(String::as_str) != Some(*base) {
            failures.push(format!("`{base}`: base is not first: {got:?}"));
        }
        for p in *present {
            if !got.iter().any(|g| g == p) {
                failures.push(format!("`{base}`: missing `{p}` in {got:?}"));
            }
        }
        for a in *absent {
            if got.iter().any(|g| g == a) {
                failures.push(format!("`{base}`: unexpected `{a}` in {got:?}"));
            }
        }
        let mut dedup = got.clone();
        dedup.sort();
        dedup.dedup();
        if dedup.len() != got.len() {
            failures.push(format!("`{base}`: duplicates in {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn appends_to_existing_buffer() {
    let mut out = vec!["x".to_string()];
    inflections("stop", &table(), &mut out);
    assert_eq!(out[0], "x");
    assert_eq!(out[1], "stop");
}

#[test]
fn empty_and_non_words() {
    let mut out = Vec::new();
    inflections("  ", &table(), &mut out);
    assert!(out.is_empty());
    inflections("2016", &table(), &mut out);
    assert_eq!(out, vec!["2016"]);
}

#[test]
fn table_lookup() {
    let t = table();
    assert_eq!(t.len(), 19);
    let (past, part) = t.get("strike").unwrap();
    assert_eq!(past, ["struck"]);
    assert_eq!(part, ["struck", "stricken"]);
    assert!(t.get("walk").is_none());
    assert!(Irregulars::default().is_empty());
}

#[test]
fn table_errors_name_the_line() {
    let e = Irregulars::parse("meet\tmet\tmet\n\nhold\theld\n").unwrap_err();
    assert_eq!(e.0, 3);
    assert!(e.1.contains("3 tab-separated fields"), "{}", e.1);
    let e = Irregulars::parse("meet\tmet\tmet\nmeet\tmet\tmet\n").unwrap_err();
    assert_eq!(e.0, 2);
    assert!(e.1.contains("duplicate"), "{}", e.1);
    let e = Irregulars::parse("# c\nlead\tled||\tled\n").unwrap_err();
    assert_eq!(e.0, 2);
    let e = Irregulars::parse("set up\tset\tset\n").unwrap_err();
    assert_eq!(e.0, 1);
}
