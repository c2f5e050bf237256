//! dyad's embedded store: coded documents, sentences, events and mentions in one SQLite file.
//!
//! - **Schema** ([`schema`]): readable GDELT-style names; versioned with `PRAGMA user_version`
//!   and migrated forward on open for writing. A file that is not a dyad store, is corrupt, or was
//!   written by a newer schema is refused before anything is written to it.
//! - **Ingest** ([`Store::ingest_batch`]): one transaction per batch, so a crash (even `kill -9`)
//!   leaves every document fully present with its events, or absent. Idempotent: a document whose
//!   key (URL, else id) and content hash are already stored is skipped; a changed document at the
//!   same key replaces its old version and its events.
//! - **Aggregation**: mentions of the same event (date, source code, target code, event code,
//!   place) in different articles are one event row with NumMentions, NumSources, NumArticles
//!   kept up to date; `mentions` links each event to every article and sentence.
//! - **Reading** ([`Filter`], [`Store::query`], [`Store::stats`], exports): WAL mode lets readers
//!   work while an ingest runs. Ids are given in input order, so the same input gives the same
//!   database contents.

mod export;
mod ingest;
mod mention;
mod query;
mod read;
pub mod schema;

pub use dyad_export::{document_key, domain_of};
pub use export::{ExportFormat, ExportSummary};
pub use ingest::{CodedDocument, IngestSummary};
pub use query::{Filter, Group, Near, Period, QueryRow, StatRow};
pub use read::{DyadRow, EventRow, Page, PlaceRow, SortKey, StoredDocument, StoredMention};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not a dyad database ({reason}); the file was not changed")]
    NotADatabase { path: PathBuf, reason: String },
    #[error("{path}: written by a newer dyad (schema version {found}, this dyad reads up to {supported}); the file was not changed: use a newer dyad")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: schema version {found} is older than {supported}: open it for writing once (`dyad ingest`) to migrate it")]
    OlderSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path}: no such database (create one with `dyad ingest`)")]
    Missing { path: PathBuf },
    #[error("{path}: another program is writing to this store and did not finish within {waited_s} s; nothing was written: try again when it is done")]
    Busy { path: PathBuf, waited_s: u64 },
    #[error("{0}")]
    Invalid(String),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Checks the file header without opening it with SQLite: garbage is refused untouched.
fn check_header(path: &Path) -> Result<bool> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    if !meta.is_file() {
        return Err(Error::NotADatabase {
            path: path.into(),
            reason: "not a regular file".into(),
        });
    }
    if meta.len() == 0 {
        return Ok(false);
    }
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let n = f.read(&mut head)?;
    if n < 16 || &head != SQLITE_HEADER || meta.len() < 512 {
        return Err(Error::NotADatabase {
            path: path.into(),
            reason: "no SQLite header: the file is corrupt or of another kind".into(),
        });
    }
    Ok(true)
}

/// How long a connection waits for another writer's transaction before giving up. Writers hold
/// the lock for one batch's SQL only (coding happens outside), so this is generous.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Whether an SQLite error means another connection held the lock too long.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Turns "database is locked" into an error that says who and what to do.
fn busy_error(path: &Path, e: rusqlite::Error) -> Error {
    if is_busy(&e) {
        Error::Busy {
            path: path.into(),
            waited_s: BUSY_TIMEOUT.as_secs(),
        }
    } else {
        e.into()
    }
}

impl Store {
    /// A write transaction taken at once (`BEGIN IMMEDIATE`), waiting for another writer: a
    /// deferred one that read first could not upgrade to writing once another writer committed
    /// (SQLITE_BUSY without waiting).
    pub(crate) fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>> {
        let path = &self.path;
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| busy_error(path, e))
    }

    /// A connection that waits for a writer instead of failing at once.
    fn connect(path: &Path, flags: OpenFlags) -> Result<Store> {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Store {
            conn,
            path: path.into(),
        })
    }

    /// Opens (creating it if needed) a store for writing, and migrates it to this schema.
    pub fn open(path: &Path) -> Result<Store> {
        let existed = check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut store = Store::connect(path, flags)?;
        if existed {
            store.check_schema()?;
        } else {
            // Before the first table: bigger pages hold whole articles, with fewer B-tree levels.
            store.conn.execute_batch("PRAGMA page_size = 16384;")?;
        }
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| busy_error(path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Invalid(format!(
                "{}: cannot switch to WAL mode (got {mode})",
                path.display()
            )));
        }
        store.conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; \
             PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;",
        )?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing store read-only: never writes to it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !check_header(path)? {
            return Err(Error::Missing { path: path.into() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let store = Store::connect(path, flags)?;
        let version = store.check_schema()?;
        if version < schema::SCHEMA_VERSION {
            return Err(Error::OlderSchema {
                path: path.into(),
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        store.conn.execute_batch("PRAGMA cache_size = -65536;")?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for tools and tests (e.g. `PRAGMA integrity_check`).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Reads the schema version, refusing files that are not dyad stores or are newer.
    fn check_schema(&self) -> Result<i64> {
        let not_db = |e: rusqlite::Error| Error::NotADatabase {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let app: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(not_db)?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(not_db)?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(not_db)?;
        if app != schema::APPLICATION_ID && !(app == 0 && tables == 0) {
            return Err(Error::NotADatabase {
                path: self.path.clone(),
                reason: format!("an SQLite database of another application (application_id {app:#x}, {tables} schema objects)"),
            });
        }
        if version > schema::SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: self.path.clone(),
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        Ok(version)
    }

    /// Applies the migrations this file lacks. The version is read inside the write
    /// transaction, so two writers opening a fresh file at once cannot both create the tables.
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self.write_transaction()?;
        // Checked again under the lock: another writer may have just migrated the file.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > schema::SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path,
                found: version,
                supported: schema::SCHEMA_VERSION,
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)?;
            tx.execute_batch(&format!(
                "PRAGMA application_id = {}; PRAGMA user_version = {};",
                schema::APPLICATION_ID,
                i + 1
            ))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Copies the write-ahead log into the database file and empties it.
    /// Another writer still at work keeps the log: it is only tidying, so that is no error.
    pub fn checkpoint(&self) -> Result<()> {
        match self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            Err(e) if is_busy(&e) => Ok(()),
            r => Ok(r?),
        }
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Row counts: documents, sentences, events, mentions.
    pub fn counts(&self) -> Result<Counts> {
        let (documents, events, mentions) = self.row_counts()?;
        let sentences: i64 = self.conn.query_row(
            "SELECT coalesce(sum(sentence_count), 0) FROM documents",
            [],
            |r| r.get(0),
        )?;
        Ok(Counts {
            documents,
            sentences: sentences as u64,
            events,
            mentions,
        })
    }

    /// Checks that the stored counts agree with the rows: every document has as many mentions as
    /// it recorded, every event's NumMentions/NumArticles/NumSources match its mentions, no event
    /// is without mentions. Returns the problems found (empty when consistent).
    pub fn check_consistency(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut q = |sql: &str, what: &str| -> Result<()> {
            let mut st = self.conn.prepare(sql)?;
            let rows = st.query_map([], |r| r.get::<_, i64>(0))?;
            for id in rows {
                problems.push(format!("{what} {}", id?));
            }
            Ok(())
        };
        q(
            "SELECT d.doc_id FROM documents d WHERE d.event_count != \
             (SELECT count(*) FROM mentions m WHERE m.doc_id = d.doc_id)",
            "document with missing or extra mentions:",
        )?;
        q(
            "SELECT d.doc_id FROM documents d WHERE d.sentence_count != json_array_length(d.sentence_spans)",
            "document with missing sentences:",
        )?;
        q(
            "SELECT m.mention_id FROM mentions m WHERE NOT EXISTS \
             (SELECT 1 FROM documents d WHERE d.doc_id = m.doc_id) OR NOT EXISTS \
             (SELECT 1 FROM events e WHERE e.global_event_id = m.global_event_id)",
            "orphan mention:",
        )?;
        q(
            "SELECT e.global_event_id FROM events e WHERE \
               e.num_mentions != (SELECT coalesce(sum(m.mention_count), 0) FROM mentions m WHERE m.global_event_id = e.global_event_id) \
            OR e.num_articles != (SELECT count(DISTINCT m.doc_id) FROM mentions m WHERE m.global_event_id = e.global_event_id) \
            OR e.num_sources != (SELECT count(DISTINCT d.domain) FROM mentions m JOIN documents d ON d.doc_id = m.doc_id WHERE m.global_event_id = e.global_event_id) \
            OR e.num_articles = 0",
            "event with wrong counts:",
        )?;
        Ok(problems)
    }
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: u64,
    pub sentences: u64,
    pub events: u64,
    pub mentions: u64,
}
