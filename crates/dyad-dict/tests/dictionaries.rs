//! The shipped dictionaries: complete against the reference tables, lint-clean, and resolving
//! dated roles as documented.

use dyad_dict::{check, parse_date, ActorKind, Dictionary};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn dict_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict")
}

fn reference(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference")
        .join(name);
    std::fs::read_to_string(p).ok()
}

fn dict() -> &'static Dictionary {
    static D: OnceLock<Dictionary> = OnceLock::new();
    D.get_or_init(|| {
        Dictionary::load(dict_dir()).unwrap_or_else(|e| panic!("dictionaries fail to load:\n{e}"))
    })
}

fn first_column(tsv: &str) -> BTreeSet<String> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn lint_finds_no_errors() {
    let errors: Vec<String> = check(&dict_dir())
        .into_iter()
        .filter(|f| f.error)
        .map(|f| f.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "dictionary errors:\n{}",
        errors.join("\n")
    );
}

#[test]
fn codebook_matches_the_reference_table() {
    let d = dict();
    assert_eq!(d.codebook.len(), 311);
    let Some(reference) = reference("cameo-eventcodes.tsv") else {
        eprintln!("../shared/reference not present; only the count was checked");
        return;
    };
    for line in reference.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let info = d
            .codebook
            .get(cols[0])
            .unwrap_or_else(|| panic!("code {} missing", cols[0]));
        assert_eq!(info.label, cols[1], "label of {}", cols[0]);
        assert_eq!(
            info.goldstein,
            cols[2].parse::<f32>().unwrap(),
            "Goldstein of {}",
            cols[0]
        );
        assert_eq!(
            info.quad_class.to_string(),
            cols[3],
            "QuadClass of {}",
            cols[0]
        );
    }
}

#[test]
fn every_pattern_codes_a_codebook_code_and_every_three_digit_code_has_patterns() {
    let d = dict();
    let coded: BTreeSet<&str> = d.verbs.patterns.iter().map(|p| p.code.as_str()).collect();
    for c in &coded {
        assert!(
            d.codebook.get(c).is_some(),
            "pattern code {c} is not in the codebook"
        );
    }
    let missing: Vec<&str> = d
        .codebook
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| c.len() == 3 && !c.starts_with("01") && !coded.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "3-digit codes without patterns: {missing:?}"
    );
    assert!(
        d.verbs.patterns.len() >= 3000,
        "only {} patterns",
        d.verbs.patterns.len()
    );
}

#[test]
fn every_reference_country_has_an_entry() {
    let d = dict();
    let have: BTreeSet<&str> = d
        .actors
        .entries
        .iter()
        .filter(|e| e.kind == ActorKind::Country)
        .filter_map(|e| e.code.as_deref())
        .collect();
    let Some(reference) = reference("cameo-countries.tsv") else {
        return;
    };
    let missing: Vec<String> = first_column(&reference)
        .into_iter()
        .filter(|c| !have.contains(c.as_str()))
        .collect();
    assert!(missing.is_empty(), "countries without entries: {missing:?}");
}

#[test]
fn actor_tables_match_the_reference() {
    let d = dict();
    if let Some(r) = reference("cameo-actortypes.tsv") {
        assert_eq!(d.actor_types, first_column(&r));
    }
    if let Some(r) = reference("cameo-knowngroups.tsv") {
        assert_eq!(d.known_groups, first_column(&r));
    }
}

#[test]
fn sizes_meet_the_coverage_targets() {
    let d = dict();
    let count = |k: ActorKind| d.actors.entries.iter().filter(|e| e.kind == k).count();
    assert!(
        count(ActorKind::Org) >= 200,
        "organisations: {}",
        count(ActorKind::Org)
    );
    let roles: usize = d.actors.entries.iter().map(|e| e.roles.len()).sum();
    assert!(roles >= 2000, "dated roles: {roles}");
    let agent_names = std::fs::read_to_string(dict_dir().join("agents.txt"))
        .unwrap()
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(""))
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let body = if l.starts_with(' ') {
                l.trim()
            } else {
                l.split_once(' ').map_or("", |x| x.1)
            };
            body.split('|').filter(|n| !n.trim().is_empty()).count()
        })
        .sum::<usize>();
    assert!(agent_names >= 500, "agent names: {agent_names}");
}

fn person(name: &str) -> &'static dyad_dict::ActorEntry {
    dict()
        .actors
        .entries
        .iter()
        .find(|e| e.kind == ActorKind::Person && e.name == name)
        .unwrap_or_else(|| panic!("{name} not in people/"))
}

#[test]
fn codes_resolve_on_the_document_date() {
    let trump = person("Donald Trump");
    let on = |d: &str| trump.code_on(parse_date(d));
    assert_eq!(on("2016-11-09"), Some("USAELI"));
    assert_eq!(on("2017-01-20"), Some("USAGOV"));
    assert_eq!(on("2021-01-19"), Some("USAGOV"));
    assert_eq!(on("2021-01-20"), Some("USAELI"));
    assert_eq!(on("2025-01-20"), Some("USAGOV"));
    assert_eq!(
        person("Vladimir Putin").code_on(parse_date("2017-07-07")),
        Some("RUSGOV")
    );
}

#[test]
fn organisations_take_dated_roles_too() {
    let taliban = dict()
        .actors
        .entries
        .iter()
        .find(|e| e.kind == ActorKind::Org && e.name == "Taliban")
        .expect("the Taliban in orgs.txt");
    let on = |d: &str| taliban.code_on(parse_date(d));
    assert_eq!(on("1999-01-01"), Some("AFGGOV"));
    assert_eq!(on("2010-01-01"), Some("AFGINSTAL"));
    assert_eq!(on("2021-08-14"), Some("AFGINSTAL"));
    assert_eq!(on("2021-08-15"), Some("AFGGOV"));
    assert_eq!(taliban.code_on(None), Some("AFGINSTAL"));
}

#[test]
fn errors_name_file_and_line() {
    let tmp = std::env::temp_dir().join(format!("dyad-dict-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&dict_dir(), &tmp);
    std::fs::write(
        tmp.join("verbs/99-broken.txt"),
        "# broken\n== 999\nfoo* +\n== 040\n+ +\n",
    )
    .unwrap();
    std::fs::write(
        tmp.join("people/zz-broken.txt"),
        "Some Body\n    XXXGOV 2020-02-30 ..\n",
    )
    .unwrap();
    let orgs = std::fs::read_to_string(tmp.join("orgs.txt")).unwrap();
    let bad_org_line = orgs.lines().count() + 2;
    std::fs::write(
        tmp.join("orgs.txt"),
        format!("{orgs}ZZZINS Some Group\n    ZZZGOV 2021-01-01 2020-01-01\n"),
    )
    .unwrap();
    std::fs::write(
        tmp.join("event-references.tsv"),
        "nouns\tcodes\nattack | attacks\t19\nraid\t999\n",
    )
    .unwrap();
    let err = Dictionary::load(&tmp)
        .expect_err("broken files must not load")
        .to_string();
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        err.contains("verbs/99-broken.txt:2: unknown CAMEO event code `999`"),
        "{err}"
    );
    assert!(err.contains("verbs/99-broken.txt:5:"), "{err}");
    assert!(err.contains("people/zz-broken.txt:2:"), "{err}");
    assert!(
        err.contains("event-references.tsv:3: unknown CAMEO code prefix `999`"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "orgs.txt:{bad_org_line}: role ends before it starts"
        )),
        "{err}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}
