//! Command-line arguments, defined once; `--help` is generated from them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

// Upper bounds of user-given numbers: beyond them a typo (`--threads 100000`) would exhaust the
// machine. clap's error names the range.
/// Worker threads.
pub const MAX_THREADS: i64 = 256;
/// Documents per ingest transaction (each batch is also capped at 8 MB of text).
pub const MAX_BATCH: i64 = 1_000_000;
/// Events or lines a query, export or statistic returns.
pub const MAX_LIMIT: i64 = 1_000_000_000;
/// MB of generated benchmark input (held in memory).
pub const MAX_BENCH_MB: i64 = 4096;

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
    /// Score the coder on hand-coded gold records (PLOVER gold-standard JSONL), or its pronouns
    /// and descriptions on gold coreference (CoNLL-U with `Entity=`, as in GUM).
    #[command(
        after_help = "Examples:\n  dyad eval --gold ../shared/gold/plover-gsr-dev.jsonl\n  dyad eval --gold gold.jsonl --misses\n  \
dyad eval --coref ../shared/treebanks/en_gum-news-ud-dev.conllu"
    )]
    Eval(EvalArgs),
    /// Measure throughput of segmenting and coding on a large generated input.
    #[command(
        after_help = "Examples:\n  dyad bench --input ../shared/corpus/voa/voa_stories.jsonl --mb 100\n  dyad bench --store --mb 100\n  dyad bench --serve --requests 10000 --connections 16"
    )]
    Bench(BenchArgs),
    /// Dictionary tools.
    #[command(subcommand)]
    Dict(DictCommand),
    /// The tagger and dependency parser: train, evaluate, parse.
    #[command(subcommand)]
    Syntax(SyntaxCommand),
    /// Code news and store documents, sentences, events and mentions in the embedded database.
    #[command(
        after_help = "Re-ingesting the same input adds nothing; a changed article at the same URL replaces its old \
version. Each batch is one transaction: an interrupted ingest leaves whole documents only.\n\n\
Examples:\n  dyad ingest examples/ --db news.db\n  dyad ingest feed.jsonl.gz crawl.warc.gz --db news.db --threads 2"
    )]
    Ingest(IngestArgs),
    /// Query stored events (deduplicated across articles) with filters.
    #[command(
        after_help = "Codes match exactly, or as a prefix when they end in `*`.\n\n\
Examples:\n  dyad query --db news.db --source RUSGOV --target USAGOV\n  \
dyad query --db news.db --source 'RUS*' --root 19 --from 2024-01-01 --format csv\n  \
dyad query --db news.db --words sanctions --words oil --format jsonl"
    )]
    Query(QueryArgs),
    /// Export stored events as GDELT 2.0 events or mentions, JSONL, Parquet or PLOVER.
    #[command(
        after_help = "Examples:\n  dyad export --db news.db --format gdelt-events --out events.tsv\n  \
dyad export --db news.db --format gdelt-mentions --out mentions.tsv\n  \
dyad export --db news.db --format parquet --out events-parquet/\n  \
dyad export --db news.db --format jsonl --out - --source 'USA*' | head"
    )]
    Export(ExportArgs),
    /// Event counts, mentions and Goldstein sums per day or month, by QuadClass, root or dyad.
    #[command(
        after_help = "Examples:\n  dyad stats --db news.db --by month --group quadclass\n  \
dyad stats --db news.db --by day --group root --format csv"
    )]
    Stats(StatsArgs),
    /// Serve the JSON API and the web UI over a store (read-only unless --writable).
    #[command(after_help = "Examples:\n  dyad serve --db news.db\n  \
dyad serve --ingest examples/ --db examples.db --addr 127.0.0.1:8080\n  \
dyad serve --db news.db --addr localhost:8080 --writable
  dyad serve --db news.db --addr 0.0.0.0:8080            reachable from other machines, read-only

Any address other than loopback is reachable by others: dyad warns, and refuses --writable there
unless --allow-remote-writes is given too (the API has no authentication).")]
    Serve(ServeArgs),
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on, HOST:PORT with a name or an IP (loopback by default: other
    /// machines cannot reach it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Code and store these inputs into the database before serving.
    #[arg(long, num_args = 1..)]
    pub ingest: Vec<String>,
    /// Accept `POST /api/documents`, which codes and stores a document.
    #[arg(long)]
    pub writable: bool,
    /// Allow --writable on an address other machines can reach (anyone there can then store).
    #[arg(long, requires = "writable")]
    pub allow_remote_writes: bool,
    /// Dictionary directory for `POST /api/code` (default: as for `dyad code`).
    #[arg(long)]
    pub dict: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum DictCommand {
    /// Lint the dictionaries: syntax, duplicates, unknown codes, date ranges, dead patterns.
    #[command(after_help = "Examples:\n  dyad dict check\n  dyad dict check path/to/dict")]
    Check {
        /// Dictionary directory (default: $DYAD_DICT, ./dict, or the one built in).
        dir: Option<PathBuf>,
    },
    /// Read TABARI/PETRARCH dictionaries: report every line that cannot be taken and every verb
    /// pattern that cannot be carried over; with --out, copy them into a dictionary directory.
    #[command(
        after_help = "Files stay in their own format in OUT/NAME/ and are listed in OUT/imports.tsv; \
dyad reads them at load, under its own dictionaries (which win every conflict). Codes are mapped \
by OUT/NAME/codes.tsv when it is listed (--codes). Check the result with `dyad dict check OUT`.\n\n\
Examples:\n  dyad dict import petrarch --actors my.actors.txt --verbs my.verbs.txt\n  \
cp -r dict mydict && dyad dict import petrarch --actors my.actors.txt --agents my.agents.txt \\\n      \
--codes dict/petrarch/codes.tsv --name mine --out mydict && dyad dict check mydict"
    )]
    Import(Box<ImportArgs>),
}

#[derive(Args)]
pub struct ImportArgs {
    /// Input format (only `petrarch`, which also reads TABARI files).
    #[arg(value_parser = ["petrarch"])]
    pub format: String,
    #[arg(long, num_args = 1..)]
    pub actors: Vec<PathBuf>,
    #[arg(long, num_args = 1..)]
    pub agents: Vec<PathBuf>,
    #[arg(long, num_args = 1..)]
    pub verbs: Vec<PathBuf>,
    #[arg(long, num_args = 1..)]
    pub discards: Vec<PathBuf>,
    /// Conversion table of codes (`FROM TO why`), e.g. dict/petrarch/codes.tsv.
    #[arg(long)]
    pub codes: Option<PathBuf>,
    /// Dictionary directory to add the files to (without it, only the report).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder name under OUT.
    #[arg(long, default_value = "petrarch")]
    pub name: String,
    /// Date (YYYY-MM-DD) the actor files were current: open role ranges end there.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Keep the verb patterns out of the default set: load them only when $DYAD_OPT_IN names this.
    #[arg(long)]
    pub verbs_opt_in: Option<String>,
}

#[derive(Subcommand)]
pub enum SyntaxCommand {
    /// Train a tagger and parser on CoNLL-U treebanks (deterministic for a seed).
    #[command(
        after_help = "Examples:\n  dyad syntax train --train ../shared/treebanks/en_ewt-ud-train.conllu,../shared/treebanks/en_gum-news-ud-train.conllu \\\n      --dev ../shared/treebanks/en_ewt-ud-dev.conllu --out models/en-ud.dyadsyn"
    )]
    Train(SyntaxTrainArgs),
    /// Score a model on a CoNLL-U treebank: UPOS, UAS and LAS as the CoNLL 2018 shared task counts them.
    #[command(
        after_help = "Every word counts, punctuation included; the parser reads the tagger's tags; LAS compares \
the universal relation (before any `:`), and \"LAS with subtypes\" the whole label.\n\n\
Examples:\n  dyad syntax eval --treebank ../shared/treebanks/en_ewt-ud-dev.conllu\n  \
dyad syntax eval --treebank dev.conllu --out predicted.conllu --min-las 80"
    )]
    Eval(SyntaxEvalArgs),
    /// Tag and parse news (any input dyad reads) and write CoNLL-U.
    #[command(
        after_help = "Examples:\n  dyad syntax parse examples/\n  echo 'Russia accused Ukraine of shelling the plant.' | dyad syntax parse -"
    )]
    Parse {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        model: ModelArg,
    },
    /// Compare dyad's tokenizer with a treebank's words on its `# text` lines.
    #[command(
        after_help = "Examples:\n  dyad syntax tokens --treebank ../shared/treebanks/en_ewt-ud-dev.conllu"
    )]
    Tokens {
        /// A CoNLL-U file.
        #[arg(long)]
        treebank: PathBuf,
    },
}

#[derive(Args, Clone, Default)]
pub struct ModelArg {
    /// Syntax model file (default: $DYAD_MODEL, ./models/en-ud.dyadsyn, or the one built in).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

#[derive(Args)]
pub struct SyntaxTrainArgs {
    /// Training treebanks, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub train: Vec<PathBuf>,
    /// Development treebank, scored after each epoch (the best epoch is kept).
    #[arg(long)]
    pub dev: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Tagger epochs (1 to 50).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub tagger_epochs: u16,
    /// Parser epochs (1 to 50).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub parser_epochs: u16,
    /// Parts for jackknifed training tags (0 trains the parser on gold tags; at most 10).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(0..=10))]
    pub folds: u16,
}

#[derive(Args)]
pub struct SyntaxEvalArgs {
    /// The gold CoNLL-U file.
    #[arg(long)]
    pub treebank: PathBuf,
    /// Also write the predictions as CoNLL-U here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Parse with the treebank's own tags instead of the tagger's (to see what tagging costs).
    #[arg(long)]
    pub gold_tags: bool,
    /// Fail (exit 2) if UPOS accuracy is below this percentage.
    #[arg(long)]
    pub min_upos: Option<f64>,
    /// Fail (exit 2) if LAS is below this percentage.
    #[arg(long)]
    pub min_las: Option<f64>,
    #[command(flatten)]
    pub model: ModelArg,
}

#[derive(Args, Clone)]
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
    #[command(flatten)]
    pub coding: CodingArgs,
}

/// How documents are coded: shared by `code` and `ingest`.
#[derive(Args)]
pub struct CodingArgs {
    /// Code as of this date (YYYY-MM-DD) instead of each document's publication date.
    #[arg(long)]
    pub date: Option<String>,
    /// Dictionary directory (default: $DYAD_DICT, ./dict, or the one built in).
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS))]
    pub threads: Option<u32>,
    #[command(flatten)]
    pub model: ModelArg,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The sentence or text to code.
    pub text: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub dict: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArg,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Gold records, one JSON object per line.
    #[arg(long, required_unless_present = "coref", conflicts_with = "coref")]
    pub gold: Option<PathBuf>,
    /// Gold coreference instead: a CoNLL-U file with CorefUD `Entity=` annotations (GUM). Scores
    /// how often pronouns, descriptions, surnames and speaker pronouns take their code from a
    /// mention of the same entity.
    #[arg(long, value_name = "FILE.conllu")]
    pub coref: Option<PathBuf>,
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// List every record whose type was missed, with what was coded instead (with --coref:
    /// every wrong resolution, with the gold entity's nearest earlier mentions).
    #[arg(long)]
    pub misses: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    /// JSONL news to repeat (default: ../shared/corpus/voa/voa_stories.jsonl).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Size of the generated input in MB of text.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=MAX_BENCH_MB))]
    pub mb: u32,
    /// Thread counts to measure coding with.
    #[arg(long, value_delimiter = ',', default_value = "1,2", value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS))]
    pub threads: Vec<u32>,
    #[arg(long)]
    pub dict: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArg,
    /// Instead: compare `dyad ingest` with `dyad code` end to end on the same generated JSONL
    /// file (written under --work), then time a one-dyad query over the store.
    #[arg(long)]
    pub store: bool,
    /// Instead: code hostile long inputs (one list of names, one endless sentence) of 10 KB,
    /// 100 KB and 1 MB, to show that the cost stays linear in the input.
    #[arg(long)]
    pub shapes: bool,
    /// With --shapes: also code this many random documents (token soups from --input, long
    /// lists of dictionary names) and compare the slowest cost per byte with the median.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub fuzz: u32,
    /// Alternating runs of code and ingest in --store mode; medians are reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub runs: u32,
    /// Directory for the generated input and databases of --store (default: the system's temp dir).
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// Instead: a load test of `dyad serve` on loopback (GETs over the API's read endpoints).
    #[arg(long)]
    pub serve: bool,
    /// Store to serve in --serve mode (default: one built from --input in --work).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Requests in --serve mode.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub requests: u64,
    /// Concurrent keep-alive connections in --serve mode.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub connections: u32,
}

#[derive(Args)]
pub struct DbArg {
    /// The database file.
    #[arg(long, default_value = "dyad.db")]
    pub db: PathBuf,
}

#[derive(Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub db: DbArg,
    /// Documents per transaction (at most 8 MB of text): larger batches store faster, smaller
    /// ones show up in the store sooner.
    #[arg(long, default_value_t = IngestArgs::DEFAULT_BATCH, value_parser = clap::value_parser!(u32).range(1..=MAX_BATCH))]
    pub batch: u32,
    #[command(flatten)]
    pub coding: CodingArgs,
}

impl IngestArgs {
    pub const DEFAULT_BATCH: u32 = 4096;

    /// `dyad ingest INPUTS --db DB [--dict DICT]` with every other option at its default.
    pub fn new(inputs: Vec<String>, db: PathBuf, dict: Option<PathBuf>) -> IngestArgs {
        IngestArgs {
            input: InputArgs { inputs },
            db: DbArg { db },
            batch: Self::DEFAULT_BATCH,
            coding: CodingArgs {
                date: None,
                dict,
                threads: None,
                model: Default::default(),
            },
        }
    }
}

#[derive(Args)]
pub struct FilterArgs {
    /// First event date, inclusive (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last event date, inclusive (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// Source actor code (RUSGOV), or prefix ending in `*` (RUS*).
    #[arg(long)]
    pub source: Option<String>,
    /// Target actor code, or prefix ending in `*`.
    #[arg(long)]
    pub target: Option<String>,
    /// Either actor's country (CAMEO, three letters: RUS), or where the event happened (FIPS
    /// 10-4, two letters: RS).
    #[arg(long)]
    pub country: Option<String>,
    /// Where the event happened: a FIPS country and division code (IZ15, USTX).
    #[arg(long)]
    pub adm1: Option<String>,
    /// Events placed within KM kilometres of a point: LAT,LON,KM (e.g. 36.34,43.13,50).
    #[arg(long, value_name = "LAT,LON,KM", allow_hyphen_values = true)]
    pub near: Option<String>,
    /// CAMEO event code (0251), or prefix ending in `*`.
    #[arg(long)]
    pub code: Option<String>,
    /// CAMEO root code (19).
    #[arg(long)]
    pub root: Option<String>,
    /// QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub quad: Option<u8>,
    /// Lowest Goldstein score.
    #[arg(long, allow_negative_numbers = true)]
    pub goldstein_min: Option<f64>,
    /// Highest Goldstein score.
    #[arg(long, allow_negative_numbers = true)]
    pub goldstein_max: Option<f64>,
    /// A word or phrase that a sentence mentioning the event contains (repeat: all of them).
    #[arg(long = "words", value_name = "WORDS")]
    pub words: Vec<String>,
    /// URL (or id) of a document that mentions the event.
    #[arg(long)]
    pub url: Option<String>,
    /// Also events reported as not happening (never in GDELT, Parquet or PLOVER output).
    #[arg(long)]
    pub include_negated: bool,
    /// At most this many events (or stats lines).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT as u64))]
    pub limit: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A readable table.
    Table,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header line.
    Csv,
}

#[derive(Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// GDELT 2.0 events: 61 tab-separated columns, no header.
    GdeltEvents,
    /// GDELT 2.0 mentions: 16 tab-separated columns, no header.
    GdeltMentions,
    /// One JSON object per event with every mention and its provenance.
    Jsonl,
    /// A Parquet dataset directory partitioned by year=YYYY/month=MM, zstd.
    Parquet,
    /// PLOVER JSON records, one per event.
    Plover,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,
    /// Output file (`-` for stdout); for parquet a new or empty directory.
    #[arg(long)]
    pub out: PathBuf,
    /// For parquet: replace the dataset already in --out (only its year=*/month=*/*.parquet
    /// files; a directory holding anything else is refused).
    #[arg(long)]
    pub overwrite: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Dictionary directory, for PLOVER types (default: $DYAD_DICT, ./dict, or the one built in).
    #[arg(long)]
    pub dict: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Day,
    Month,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupArg {
    Quadclass,
    Root,
    Dyad,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value_t = PeriodArg::Day)]
    pub by: PeriodArg,
    #[arg(long, value_enum)]
    pub group: Option<GroupArg>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}
