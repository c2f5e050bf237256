//! Command-line arguments, defined once; `--help` is generated from them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "Political event data from news: who did what to whom, coded in CAMEO",
    after_help = "Exit status: 0 success, 1 finished but skipped bad input records, 2 usage or fatal error.\n\n\
Examples:\n  dyad code examples/                      code the example news, events as JSON lines\n  \
dyad code --format table feed.jsonl.gz     a readable table\n  \
dyad explain \"Putin denied that Russia meddled in the election.\" --date 2017-07-07"
)]
pub struct Cli {
    /// Only errors on stderr; no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More log output on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Read news and print documents (metadata and main text) as JSON lines.
    #[command(
        after_help = "Examples:\n  dyad extract page.html\n  dyad extract crawl.warc.gz | head\n  cat feed.jsonl | dyad extract -"
    )]
    Extract(InputArgs),
    /// Print the sentences of each document as JSON lines (doc id, index, byte start/end, text).
    #[command(after_help = "Examples:\n  dyad sentences examples/\n  dyad sentences story.txt")]
    Sentences(InputArgs),
    /// Code news into CAMEO events.
    #[command(
        after_help = "Examples:\n  dyad code examples/\n  dyad code --format gdelt feed.jsonl > events.tsv\n  \
dyad code --format table --date 2017-07-07 story.txt"
    )]
    Code(CodeArgs),
    /// Show how one sentence is coded: tokens, actors, patterns tried, events and why.
    #[command(
        after_help = "Examples:\n  dyad explain \"Russia accused Ukraine of shelling the plant.\" --date 2024-03-01"
    )]
    Explain(ExplainArgs),
    /// Score the coder on hand-coded gold records (PLOVER gold-standard JSONL).
    #[command(
        after_help = "Examples:\n  dyad eval --gold ../shared/gold/plover-gsr-dev.jsonl\n  dyad eval --gold gold.jsonl --misses"
    )]
    Eval(EvalArgs),
    /// Measure throughput of segmenting and coding on a large generated input.
    #[command(
        after_help = "Examples:\n  dyad bench --input ../shared/corpus/voa/voa_stories.jsonl --mb 100"
    )]
    Bench(BenchArgs),
    /// Dictionary tools.
    #[command(subcommand)]
    Dict(DictCommand),
    /// Code news and store it in the embedded database (not built yet).
    Ingest(Rest),
    /// Query stored events (not built yet).
    Query(Rest),
    /// Export stored events as GDELT, JSONL, Parquet or PLOVER (not built yet).
    Export(Rest),
    /// Event counts per day or month (not built yet).
    Stats(Rest),
    /// Serve the HTTP API and web UI (not built yet).
    Serve(Rest),
}

#[derive(Subcommand)]
pub enum DictCommand {
    /// Lint the dictionaries: syntax, duplicates, unknown codes, date ranges, dead patterns.
    #[command(after_help = "Examples:\n  dyad dict check\n  dyad dict check path/to/dict")]
    Check {
        /// Dictionary directory (default: $DYAD_DICT, ./dict, or the one built in).
        dir: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct Rest {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<String>,
}

#[derive(Args)]
pub struct InputArgs {
    /// Files or directories (.txt, .html, .jsonl, .warc, any of them .gz); `-` reads stdin.
    #[arg(required = true)]
    pub inputs: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per event with full provenance.
    Jsonl,
    /// A readable table.
    Table,
    /// GDELT 2.0 event rows: 61 tab-separated columns, no header.
    Gdelt,
    /// PLOVER JSON records, one per line.
    Plover,
}

#[derive(Args)]
pub struct CodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Code as of this date (YYYY-MM-DD) instead of each document's publication date.
    #[arg(long)]
    pub date: Option<String>,
    /// Dictionary directory (default: $DYAD_DICT, ./dict, or the one built in).
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The sentence or text to code.
    pub text: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub dict: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold records, one JSON object per line.
    #[arg(long)]
    pub gold: PathBuf,
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// List every record whose type was missed, with what was coded instead.
    #[arg(long)]
    pub misses: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    /// JSONL news to repeat (default: ../shared/corpus/voa/voa_stories.jsonl).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Size of the generated input in MB of text.
    #[arg(long, default_value_t = 100)]
    pub mb: usize,
    /// Thread counts to measure coding with.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub threads: Vec<usize>,
    #[arg(long)]
    pub dict: Option<PathBuf>,
}
