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
use std::io::{self, Write};
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
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
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
        .init();
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let quiet = cli.quiet;
    match cli.command {
        Command::Extract(a) => code::extract(&a, quiet),
        Command::Sentences(a) => code::sentences(&a, quiet),
        Command::Code(a) => code::code(&a, quiet),
        Command::Explain(a) => code::explain(&a),
        Command::Eval(a) => eval::eval(&a),
        Command::Bench(a) => bench::bench(&a),
        Command::Dict(DictCommand::Check { dir }) => dict_check(dir),
        Command::Syntax(c) => syntax::run(c, quiet),
        Command::Ingest(a) => store::ingest(&a, quiet),
        Command::Query(a) => store::query(&a),
        Command::Export(a) => store::export(&a, quiet),
        Command::Stats(a) => store::stats(&a),
        Command::Serve(a) => store::serve(&a, quiet),
    }
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
    Ok(Outcome::Clean)
}
