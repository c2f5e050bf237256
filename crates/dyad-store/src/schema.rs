//! The database schema, as numbered migrations. `PRAGMA user_version` is the number of
//! migrations applied; `PRAGMA application_id` marks the file as a dyad store.

/// `PRAGMA application_id` of a dyad store: "dyad" in ASCII.
pub const APPLICATION_ID: i32 = 0x6479_6164;

/// Migration `i` takes a database from version `i` to `i + 1`. Append only: never edit one that
/// has shipped.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
CREATE TABLE documents (
    doc_id          INTEGER PRIMARY KEY,
    doc_key         TEXT NOT NULL UNIQUE,   -- the URL, else the document id: one version per key
    id              TEXT NOT NULL,
    url             TEXT,
    title           TEXT,
    author          TEXT,
    published       TEXT,
    modified        TEXT,
    source          TEXT,
    domain          TEXT NOT NULL,          -- publisher: URL host without www., else source name
    language        TEXT,
    origin_path     TEXT NOT NULL,
    origin_line     INTEGER,
    origin_offset   INTEGER,
    content_hash    TEXT NOT NULL,          -- of text, metadata and dictionary version
    dict_version    TEXT NOT NULL,
    char_length     INTEGER NOT NULL,
    sentence_count  INTEGER NOT NULL,
    event_count     INTEGER NOT NULL,       -- coded events (rows in mentions) of this document
    sentence_spans  TEXT NOT NULL,          -- JSON [[byte_start, byte_end], ...]; see the view `sentences`
    date_added      INTEGER,                -- publication time as YYYYMMDDHHMMSS UTC
    text            TEXT NOT NULL
);
CREATE INDEX documents_id ON documents(id);

-- Sentences: byte spans into documents.text, kept per document as a JSON array
-- [[start, end], ...] (one write per document); this view gives one readable row per sentence.
CREATE VIEW sentences AS
SELECT d.doc_id,
       CAST(j.key AS INTEGER) AS sentence_index,
       j.value ->> 0 AS byte_start,
       j.value ->> 1 AS byte_end,
       CAST(substr(CAST(d.text AS BLOB), (j.value ->> 0) + 1, (j.value ->> 1) - (j.value ->> 0)) AS TEXT) AS text
FROM documents d, json_each(d.sentence_spans) j;

-- One row per event as GDELT counts them: mentions in any article of the same date, actors,
-- event code and place are one event. Column names follow the GDELT 2.0 codebook.
CREATE TABLE events (
    global_event_id         INTEGER PRIMARY KEY,
    event_date              TEXT NOT NULL,          -- YYYY-MM-DD, '' when unknown
    actor1_code             TEXT NOT NULL,
    actor2_code             TEXT NOT NULL,          -- '' when there is no target
    event_code              TEXT NOT NULL,
    event_label             TEXT NOT NULL,
    place                   TEXT NOT NULL,          -- '' until places are coded
    negated                 INTEGER NOT NULL,       -- 1: reported as not happening (kept out of GDELT/PLOVER)
    sql_date                INTEGER,
    actor1_name             TEXT NOT NULL,
    actor1_country_code     TEXT NOT NULL,
    actor1_known_group_code TEXT NOT NULL,
    actor1_ethnic_code      TEXT NOT NULL,
    actor1_religion1_code   TEXT NOT NULL,
    actor1_religion2_code   TEXT NOT NULL,
    actor1_type1_code       TEXT NOT NULL,
    actor1_type2_code       TEXT NOT NULL,
    actor1_type3_code       TEXT NOT NULL,
    actor2_name             TEXT NOT NULL,
    actor2_country_code     TEXT NOT NULL,
    actor2_known_group_code TEXT NOT NULL,
    actor2_ethnic_code      TEXT NOT NULL,
    actor2_religion1_code   TEXT NOT NULL,
    actor2_religion2_code   TEXT NOT NULL,
    actor2_type1_code       TEXT NOT NULL,
    actor2_type2_code       TEXT NOT NULL,
    actor2_type3_code       TEXT NOT NULL,
    is_root_event           INTEGER NOT NULL,
    event_base_code         TEXT NOT NULL,
    event_root_code         TEXT NOT NULL,
    quad_class              INTEGER NOT NULL,
    goldstein_scale         REAL NOT NULL,
    num_mentions            INTEGER NOT NULL,
    num_sources             INTEGER NOT NULL,
    num_articles            INTEGER NOT NULL,
    avg_tone                REAL NOT NULL DEFAULT 0,
    date_added              INTEGER,                -- YYYYMMDDHHMMSS UTC of the first-seen article
    source_url              TEXT NOT NULL,          -- first-seen article
    first_mention_id        INTEGER NOT NULL,
    UNIQUE (event_date, actor1_code, actor2_code, event_code, place, negated)
);
CREATE INDEX events_dyad ON events(actor1_code, actor2_code, event_date);
CREATE INDEX events_target ON events(actor2_code, event_date);
CREATE INDEX events_code ON events(event_code, event_date);
CREATE INDEX events_root ON events(event_root_code, event_date);
CREATE INDEX events_country1 ON events(actor1_country_code, event_date);
CREATE INDEX events_country2 ON events(actor2_country_code, event_date);

-- Every article and sentence that mentions an event, with the coder's full provenance.
CREATE TABLE mentions (
    mention_id          INTEGER PRIMARY KEY,
    global_event_id     INTEGER NOT NULL REFERENCES events(global_event_id),
    doc_id              INTEGER NOT NULL REFERENCES documents(doc_id),
    sentence_index      INTEGER NOT NULL,
    sentence_start      INTEGER NOT NULL,   -- byte span of the sentence in documents.text
    sentence_end        INTEGER NOT NULL,
    sentence_text       TEXT NOT NULL,
    mention_count       INTEGER NOT NULL,   -- sentences of the document that carry this event
    in_lead             INTEGER NOT NULL,   -- in the lead paragraph
    pattern_code        TEXT,               -- code of the pattern, when refusal, threat... changed it
    negated             INTEGER NOT NULL,
    modality            TEXT,
    actor1_code         TEXT NOT NULL,
    actor1_name         TEXT NOT NULL,
    actor1_text         TEXT NOT NULL,
    actor1_start        INTEGER NOT NULL,
    actor1_end          INTEGER NOT NULL,
    actor1_entry        TEXT NOT NULL,      -- dictionary entry, file:line name
    actor1_antecedent   TEXT,               -- for a pronoun or description
    actor2_code         TEXT,
    actor2_name         TEXT,
    actor2_text         TEXT,
    actor2_start        INTEGER,
    actor2_end          INTEGER,
    actor2_entry        TEXT,
    actor2_antecedent   TEXT,
    verb_text           TEXT NOT NULL,
    verb_start          INTEGER NOT NULL,
    verb_end            INTEGER NOT NULL,
    pattern_id          TEXT NOT NULL,      -- file:line of the verb pattern
    pattern             TEXT NOT NULL,
    attribution         TEXT,               -- JSON list of who reported it, outermost first
    actor1_char_offset  INTEGER NOT NULL,   -- GDELT mention offsets, in characters
    actor2_char_offset  INTEGER NOT NULL,
    action_char_offset  INTEGER NOT NULL,
    confidence          INTEGER NOT NULL
);
CREATE INDEX mentions_event ON mentions(global_event_id, doc_id);
CREATE INDEX mentions_doc ON mentions(doc_id);

-- Distinct publishers per event, for NumSources.
CREATE TABLE event_sources (
    global_event_id INTEGER NOT NULL REFERENCES events(global_event_id),
    domain          TEXT NOT NULL,
    PRIMARY KEY (global_event_id, domain)
) WITHOUT ROWID;
"#;

/// Mentions no longer copy their sentence: it is sliced from `documents.text` by its byte span
/// (as the `sentences` view does), which keeps the store a third smaller and ingest faster.
const V2: &str = r#"
ALTER TABLE mentions DROP COLUMN sentence_text;
"#;

/// The dependency relations that gave a mention's source and target ("nsubj obj"), which the
/// coder records since it reads its slots from the parse; empty for mentions stored before.
const V3: &str = r#"
ALTER TABLE mentions ADD COLUMN parse_relations TEXT NOT NULL DEFAULT '';
"#;

/// Places and tone: GDELT's ActionGeo columns on events (the event key's `place` becomes the
/// place's type and feature id), and each mention's place (JSON) and document tone.
const V4: &str = r#"
ALTER TABLE events ADD COLUMN action_geo_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN action_geo_fullname TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN action_geo_country_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN action_geo_adm1_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN action_geo_adm2_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN action_geo_lat REAL;
ALTER TABLE events ADD COLUMN action_geo_long REAL;
ALTER TABLE events ADD COLUMN action_geo_feature_id TEXT NOT NULL DEFAULT '';
CREATE INDEX events_action_country ON events(action_geo_country_code, event_date);
CREATE INDEX events_action_adm1 ON events(action_geo_adm1_code, event_date);
ALTER TABLE mentions ADD COLUMN place TEXT;
ALTER TABLE mentions ADD COLUMN doc_tone REAL;
"#;

/// The actors' places: GDELT's Actor1Geo and Actor2Geo columns on events (from the first
/// mention, as SOURCEURL), and each mention's actor places (JSON).
const V5: &str = r#"
ALTER TABLE events ADD COLUMN actor1_geo_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN actor1_geo_fullname TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor1_geo_country_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor1_geo_adm1_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor1_geo_adm2_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor1_geo_lat REAL;
ALTER TABLE events ADD COLUMN actor1_geo_long REAL;
ALTER TABLE events ADD COLUMN actor1_geo_feature_id TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor2_geo_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN actor2_geo_fullname TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor2_geo_country_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor2_geo_adm1_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor2_geo_adm2_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor2_geo_lat REAL;
ALTER TABLE events ADD COLUMN actor2_geo_long REAL;
ALTER TABLE events ADD COLUMN actor2_geo_feature_id TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN actor1_place TEXT;
ALTER TABLE mentions ADD COLUMN actor2_place TEXT;
"#;
