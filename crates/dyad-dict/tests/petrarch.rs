//! TABARI/PETRARCH dictionaries: read without losing a line silently, merged under dyad's own
//! with provenance and mapped codes, verb patterns only on request.

use dyad_dict::petrarch::{install, read_report, Kind, OPEN_END};
use dyad_dict::{ActorKind, Dictionary};
use std::path::{Path, PathBuf};

fn dict_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dict")
}

fn peers() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/petrarch2");
    p.is_dir().then_some(p)
}

#[test]
fn validation_dictionaries_import_with_no_unreadable_line() {
    let Some(dir) = peers() else {
        eprintln!("../shared/peers/petrarch2 not present: PETR.Validate.* not checked");
        return;
    };
    for (kind, name) in [
        (Kind::Actors, "PETR.Validate.actors.txt"),
        (Kind::Agents, "PETR.Validate.agents.txt"),
        (Kind::Verbs, "PETR.Validate.verbs.txt"),
        (Kind::Discards, "PETR.Validate.discards.txt"),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let r = read_report(kind, &bytes, &|_| true);
        assert!(r.notes.is_empty(), "{name}: {:?}", r.notes);
        assert!(r.entries > 5, "{name}: only {} entries", r.entries);
        if kind == Kind::Verbs {
            let dropped: usize = r.dropped.values().sum();
            assert!(r.pattern_lines > dropped, "{name}: {:?}", r.dropped);
        }
    }
}

#[test]
fn odd_lines_of_the_phoenix_actors_are_reported_not_dropped() {
    let bytes = std::fs::read(dict_dir().join("petrarch/Phoenix.Countries.actors.txt")).unwrap();
    let r = read_report(Kind::Actors, &bytes, &|_| true);
    let lines: Vec<u32> = r.notes.iter().map(|n| n.line).collect();
    // Two stray 0x1A bytes (taken, with a note) and a byte that is not UTF-8 (skipped).
    for line in [745, 12159, 11234] {
        assert!(lines.contains(&line), "line {line} not reported: {lines:?}");
    }
    assert!(r.entries > 15_000, "{}", r.entries);
}

#[test]
fn imports_keep_provenance_mapped_codes_and_no_open_range() {
    let d = Dictionary::load_with(dict_dir(), &[]).unwrap();
    let base = d.actors.base_len as usize;
    assert!(d.actors.entries.len() > base + 20_000);
    let imported = &d.actors.entries[base..];
    assert!(imported
        .iter()
        .all(|e| d.files[e.loc.file as usize].starts_with("petrarch/")));
    let late: Vec<String> = imported
        .iter()
        .flat_map(|e| &e.roles)
        .filter(|r| r.to == OPEN_END || r.to > 20150218)
        .map(|r| {
            format!(
                "{}:{} {} {}-{}",
                d.files[r.loc.file as usize], r.loc.line, r.code, r.from, r.to
            )
        })
        .collect();
    assert!(late.is_empty(), "{late:?}");
    // Sector then nationality in Phoenix, nationality first in dyad, the original kept.
    let mapped = imported
        .iter()
        .find(|e| e.original.as_deref() == Some("MNCUSA"))
        .expect("an MNCUSA entry");
    assert_eq!(mapped.code.as_deref(), Some("USAMNC"));
    assert!(d.imports.iter().any(|s| s.conflicts > 0));
    assert!(!d.import_notes.is_empty());
    // dyad's own people keep their names.
    let trump = d
        .actors
        .entries
        .iter()
        .position(|e| e.kind == ActorKind::Person && e.name == "Donald Trump")
        .unwrap();
    assert!(trump < base);
}

#[test]
fn verb_patterns_load_only_when_opted_in() {
    let plain = Dictionary::load_with(dict_dir(), &[]).unwrap();
    let with = Dictionary::load_with(dict_dir(), &["petrarch-verbs".to_string()]).unwrap();
    assert!(plain
        .verbs
        .patterns
        .iter()
        .all(|p| !plain.files[p.loc.file as usize].starts_with("petrarch/")));
    let imported = with.verbs.patterns.len() - plain.verbs.patterns.len();
    assert!(imported > 5_000, "{imported}");
}

#[test]
fn places_load_only_when_opted_in() {
    let count = |opt: &[String]| {
        let d = Dictionary::load_with(dict_dir(), opt).unwrap();
        let base = d.actors.base_len as usize;
        d.actors.entries[base..]
            .iter()
            .filter(|e| e.kind == ActorKind::Country)
            .count()
    };
    assert_eq!(count(&[]), 0);
    assert!(count(&["petrarch-places".to_string()]) > 100);
}

#[test]
fn install_copies_files_and_lists_them() {
    let Some(dir) = peers() else {
        eprintln!("../shared/peers/petrarch2 not present: install not checked");
        return;
    };
    let tmp = std::env::temp_dir().join(format!("dyad-import-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&dict_dir(), &tmp);
    std::fs::remove_file(tmp.join("imports.tsv")).unwrap();
    let lines = install(
        &tmp,
        "validate",
        &[
            (Kind::Actors, dir.join("PETR.Validate.actors.txt")),
            (Kind::Verbs, dir.join("PETR.Validate.verbs.txt")),
        ],
        Some("2014-09-24"),
        Some("validate-verbs"),
    )
    .unwrap();
    assert_eq!(lines.len(), 2);
    let d = Dictionary::load_with(&tmp, &["validate-verbs".to_string()]);
    let _ = std::fs::remove_dir_all(&tmp);
    let d = d.unwrap();
    assert!(d
        .files
        .iter()
        .any(|f| f == "validate/PETR.Validate.actors.txt"));
    assert!(d.imports.iter().any(|s| s.kind == "verbs" && s.taken > 0));
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
