//! `dyad`: argument parsing and wiring of the library crates. No logic of its own.

mod args;
mod bench;
mod code;
mod eval;
mod progress;
mod store;
mod syntax;

use args::{Cli, Command, DictCommand};
use clap::Parser;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// Exit codes: 0 success, 1 finished but skipped bad records, 2 usage or fatal error.
pub enum Outcome {
    Clean,
    Skipped,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    init_logging(cli.quiet, cli.verbose);
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Skipped) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dyad: error: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each said once: wrappers often repeat their cause in their own
/// message ("database: database is locked" caused by "database is locked"), and a cause may
/// only prefix what was said ("Error code 5: database is locked").
fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        let said = |s: &str| !s.trim().is_empty() && text.contains(s.trim());
        let tail = c.split_once(": ").map_or("", |(_, t)| t);
        if c.is_empty() || said(&c) || said(tail) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&c);
    }
    text
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

fn init_logging(quiet: bool, verbose: u8) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (_, 0) => tracing::Level::WARN,
        (_, 1) => tracing::Level::INFO,
        (_, 2) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(io::stderr)
        .with_target(false)
        .without_time()
        // Escapes only for a terminal: a log redirected to a file stays plain text.
        .with_ansi(io::stderr().is_terminal())
        .init();
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Extract(a) => code::extract(&a, quiet),
        Command::Sentences(a) => code::sentences(&a, quiet),
        Command::Code(a) => code::code(&a, quiet),
        Command::Explain(a) => code::explain(&a),
        Command::Eval(a) => eval::eval(&a, quiet),
        Command::Bench(a) => bench::bench(&a),
        Command::Dict(DictCommand::Check { dir }) => dict_check(dir),
        Command::Syntax(c) => syntax::run(c, quiet),
        Command::Dict(DictCommand::Import(a)) => {
            let a = *a;
            dict_import(
                [
                    (dyad_dict::petrarch::Kind::Actors, a.actors),
                    (dyad_dict::petrarch::Kind::Agents, a.agents),
                    (dyad_dict::petrarch::Kind::Verbs, a.verbs),
                    (dyad_dict::petrarch::Kind::Discards, a.discards),
                ],
                a.codes,
                a.out,
                &a.name,
                a.as_of,
                a.verbs_opt_in,
            )
        }
        Command::Ingest(a) => store::ingest(&a, quiet),
        Command::Query(a) => store::query(&a),
        Command::Export(a) => store::export(&a, quiet),
        Command::Stats(a) => store::stats(&a),
        Command::Serve(a) => store::serve(&a, quiet),
    }
}

fn dict_import(
    kinds: [(dyad_dict::petrarch::Kind, Vec<std::path::PathBuf>); 4],
    codes: Option<std::path::PathBuf>,
    out: Option<std::path::PathBuf>,
    name: &str,
    as_of: Option<String>,
    verbs_opt_in: Option<String>,
) -> anyhow::Result<Outcome> {
    use anyhow::Context;
    if let Some(d) = &as_of {
        dyad_dict::parse_date(d).with_context(|| format!("--as-of `{d}` is not YYYY-MM-DD"))?;
    }
    let dict = dyad_dict::Dictionary::load(dyad_dict::default_dir()).ok();
    let known = |c: &str| dict.as_ref().is_none_or(|d| d.codebook.get(c).is_some());
    let mut out_lines = io::stdout().lock();
    let mut files = Vec::new();
    let mut unreadable = 0;
    for (kind, paths) in kinds {
        for path in paths {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let r = dyad_dict::petrarch::read_report(kind, &bytes, &known);
            for n in &r.notes {
                eprintln!("{}:{}: {}", path.display(), n.line, n.reason);
            }
            unreadable += r.notes.len();
            write!(
                out_lines,
                "{} ({}): {} {}, {} line(s) not taken",
                path.display(),
                kind.name(),
                r.entries,
                if kind == dyad_dict::petrarch::Kind::Verbs {
                    "dyad patterns"
                } else {
                    "entries"
                },
                r.notes.len()
            )?;
            if kind == dyad_dict::petrarch::Kind::Verbs {
                let dropped: usize = r.dropped.values().sum();
                write!(
                    out_lines,
                    "; {} pattern lines, {dropped} not carried over:",
                    r.pattern_lines
                )?;
                for (why, n) in &r.dropped {
                    write!(out_lines, "\n  {n:6}  {why}")?;
                }
            }
            writeln!(out_lines)?;
            files.push((kind, path));
        }
    }
    if let Some(out) = out {
        let mut lines = dyad_dict::petrarch::install(
            &out,
            name,
            &files,
            as_of.as_deref(),
            verbs_opt_in.as_deref(),
        )
        .with_context(|| format!("installing into {}", out.display()))?;
        if let Some(c) = codes {
            let folder = out.join(name);
            std::fs::copy(&c, folder.join("codes.tsv"))
                .with_context(|| format!("copying {}", c.display()))?;
            let line = format!("codes\t{name}/codes.tsv");
            std::fs::OpenOptions::new()
                .append(true)
                .open(out.join("imports.tsv"))
                .and_then(|mut f| writeln!(f, "{line}"))?;
            lines.push(line);
        }
        for l in lines {
            writeln!(
                out_lines,
                "added to {}: {l}",
                out.join("imports.tsv").display()
            )?;
        }
        writeln!(
            out_lines,
            "next: `dyad dict check {}` lists conflicts and codes it cannot map; add the files' licence to {}",
            out.display(),
            out.join(name).display()
        )?;
    }
    Ok(if unreadable > 0 {
        Outcome::Skipped
    } else {
        Outcome::Clean
    })
}

fn dict_check(dir: Option<std::path::PathBuf>) -> anyhow::Result<Outcome> {
    let dir = dir.unwrap_or_else(dyad_dict::default_dir);
    let findings = dyad_dict::check(&dir);
    let mut out = io::stdout().lock();
    let errors = findings.iter().filter(|f| f.error).count();
    for f in &findings {
        writeln!(out, "{f}")?;
    }
    if errors > 0 {
        anyhow::bail!(
            "{errors} error(s) in the dictionaries under {}",
            dir.display()
        );
    }
    let dict = dyad_dict::Dictionary::load(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    writeln!(
        out,
        "dictionaries {} (version {}): {} actor entries, {} patterns, {} discards, {} warnings, no errors",
        dir.display(),
        dict.version,
        dict.actors.entries.len(),
        dict.verbs.patterns.len(),
        dict.verbs.discards.len(),
        findings.len()
    )?;
    for s in &dict.imports {
        if s.kind == "codes" || s.kind == "skip" {
            continue;
        }
        write!(
            out,
            "imported {} ({}): {} taken, {} names added, {} already known, {} conflicts, {} left out (skip list, titled, given names), {} places not opted in, {} lines not taken, {} codes mapped, {} dropped, {} open ranges closed, {} overlaps",
            s.file, s.kind, s.taken, s.names, s.names_known, s.conflicts, s.skipped, s.places, s.unreadable, s.codes_mapped, s.codes_dropped, s.closed, s.overlaps
        )?;
        if s.kind == "verbs" {
            write!(
                out,
                "; {} pattern lines, not carried over:",
                s.pattern_lines
            )?;
            for (why, n) in &s.dropped {
                write!(out, "\n  {n:6}  {why}")?;
            }
        }
        writeln!(out)?;
    }
    // The gazetteer and tone lexicon, when the directory has them (an imported one may not).
    if dir.join(dyad_geo::PLACES_FILE).exists() {
        let t = std::time::Instant::now();
        let geo = dyad_geo::Geo::load(&dir)
            .map_err(|e| anyhow::anyhow!("the gazetteer or tone lexicon has errors:\n{e}"))?;
        writeln!(
            out,
            "gazetteer {}: {} places; tone lexicon {}: {} words; loaded in {:.0} ms",
            dyad_geo::PLACES_FILE,
            geo.places.len(),
            dyad_geo::TONE_FILE,
            geo.tone.len(),
            t.elapsed().as_secs_f64() * 1000.0
        )?;
    }
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Locked;
    impl std::fmt::Display for Locked {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("database is locked")
        }
    }
    impl std::error::Error for Locked {}

    /// Like rusqlite's errors: says its cause, and also gives it as the source.
    #[derive(Debug)]
    struct Db(Locked);
    impl std::fmt::Display for Db {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "database: {}", self.0)
        }
    }
    impl std::error::Error for Db {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn each_cause_is_said_once() {
        let e = anyhow::Error::new(Db(Locked)).context("storing into c.db");
        assert_eq!(
            error_text(&e),
            "storing into c.db: database: database is locked"
        );
        let plain = anyhow::anyhow!("first").context("second");
        assert_eq!(error_text(&plain), "second: first");
        // rusqlite's innermost error prefixes the text with its code.
        let coded = anyhow::anyhow!("Error code 5: database is locked")
            .context("database: database is locked")
            .context("storing into c.db");
        assert_eq!(
            error_text(&coded),
            "storing into c.db: database: database is locked"
        );
    }
}
