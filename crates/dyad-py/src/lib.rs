//! dyad for Python: the coder as the native module `dyad._dyad`, wrapped by the `dyad` package.
//!
//! Documents go through the same reader as a `.jsonl` input of `dyad code` and events come out
//! through the same serializer, so `Coder.code` and `Coder.code_batch` give what
//! `dyad code --format jsonl` writes. Coding runs without the GIL.

use chrono::NaiveDate;
use dyad_coder::Scratch;
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use dyad_export::{EventRecord, ParquetKind, ParquetValue};
use dyad_syntax::Model;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBytes, PyDict, PyIterator, PyList, PyString};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

create_exception!(
    dyad,
    DyadError,
    PyException,
    "Dictionaries or syntax model that cannot be loaded."
);

/// The CLI's bound on `--threads`: beyond it a typo would exhaust the machine.
const MAX_THREADS: usize = 256;
/// As `dyad code` batches: enough documents to keep every thread busy, few enough that results
/// flow.
const BATCH_DOCS: usize = 256;
const BATCH_BYTES: usize = 8 << 20;

/// Why a call failed; turned into the Python exception at the edge.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("dictionaries in {dir} have errors:\n{why}")]
    Dictionary { dir: String, why: String },
    #[error("{0}")]
    Model(String),
    #[error("date `{0}` is not YYYY-MM-DD")]
    Date(String),
    #[error("threads: {0} is not in 1..={MAX_THREADS}")]
    Threads(usize),
    #[error("{0}")]
    Record(String),
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Dictionary { .. } | Error::Model(_) => DyadError::new_err(e.to_string()),
            _ => PyValueError::new_err(e.to_string()),
        }
    }
}

fn parse_date(date: Option<&str>) -> Result<Option<NaiveDate>, Error> {
    date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| Error::Date(d.into())))
        .transpose()
}

fn check_threads(n: usize) -> Result<usize, Error> {
    if (1..=MAX_THREADS).contains(&n) {
        Ok(n)
    } else {
        Err(Error::Threads(n))
    }
}

/// The data directory inside the installed package (`dyad/data`), if the wheel carries one.
fn packaged(py: Python<'_>, name: &str) -> Option<PathBuf> {
    let file: String = py
        .import("dyad")
        .ok()?
        .getattr("__file__")
        .ok()?
        .extract()
        .ok()?;
    let p = PathBuf::from(file).parent()?.join("data").join(name);
    p.exists().then_some(p)
}

/// `$DYAD_DICT`, else the dictionaries shipped in the wheel, else the source tree's.
fn default_dict_dir(py: Python<'_>) -> PathBuf {
    std::env::var_os("DYAD_DICT")
        .map(PathBuf::from)
        .or_else(|| packaged(py, "dict"))
        .unwrap_or_else(dyad_dict::default_dir)
}

/// `$DYAD_MODEL`, else the model shipped in the wheel, else the source tree's.
fn default_model_path(py: Python<'_>) -> PathBuf {
    std::env::var_os("DYAD_MODEL")
        .map(PathBuf::from)
        .or_else(|| packaged(py, "en-ud.dyadsyn"))
        .unwrap_or_else(dyad_syntax::default_model_path)
}

/// Events as Python objects: parsed from the JSON `dyad code` writes, so they are that JSON.
fn events_to_py(py: Python<'_>, events: &[Event]) -> PyResult<PyObject> {
    let json = serde_json::to_string(events).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (json,))?.unbind())
}

/// One input record as a document, read as line `line` of a JSONL file named `name`.
fn document_of(name: &str, line: u64, json: &[u8]) -> Result<Document, Error> {
    dyad_ingest::parse_jsonl_record(name, line, json)
        .map_err(|reason| Error::Record(format!("{name}:{line}: {reason}")))
}

/// A document from a Python item: a dict in the JSONL input schema, a JSONL line (bytes), or
/// plain text (str).
fn item_to_document(
    json_dumps: &Bound<'_, PyAny>,
    item: &Bound<'_, PyAny>,
    name: &str,
    line: u64,
) -> PyResult<Result<Document, Error>> {
    let bytes: Vec<u8> = if let Ok(s) = item.downcast::<PyString>() {
        serde_json::to_vec(&serde_json::json!({ "text": s.to_cow()? }))
            .map_err(|e| PyValueError::new_err(e.to_string()))?
    } else if let Ok(b) = item.downcast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if item.downcast::<PyDict>().is_ok() {
        let s: String = json_dumps.call1((item,))?.extract()?;
        s.into_bytes()
    } else {
        return Err(PyTypeError::new_err(format!(
            "{name}:{line}: a document is a dict (the JSONL input fields), a str (its text) or bytes (a JSONL line), not {}",
            item.get_type().name()?
        )));
    };
    Ok(document_of(name, line, &bytes))
}

/// Codes documents in parallel on `pool`; results in document order, whatever the thread count.
fn code_docs(
    coder: &dyad_coder::Coder,
    pool: &rayon::ThreadPool,
    docs: &[Document],
) -> Vec<Vec<Event>> {
    pool.install(|| {
        docs.par_iter()
            .map_init(Scratch::default, |sc, d| coder.code(d, None, sc))
            .collect()
    })
}

/// The dyad coder: dictionaries and syntax model loaded once, reused for every document.
///
/// `Coder(dict_dir=None, model=None)`: `dict_dir` defaults to `$DYAD_DICT`, else the
/// dictionaries in the package; `model` to `$DYAD_MODEL`, else the model in the package.
/// Raises `dyad.DyadError` when they cannot be loaded (with the message `dyad` prints).
#[pyclass(module = "dyad", frozen)]
struct Coder {
    dict: Arc<Dictionary>,
    model: Arc<Model>,
    /// The gazetteer and tone lexicon, as `dyad` loads them.
    geo: Option<Arc<dyad_geo::Geo>>,
    dict_dir: PathBuf,
    model_path: PathBuf,
    /// Worker pools by thread count, built on first use.
    pools: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>,
}

impl Coder {
    /// The engine's coder, with places and tone as `dyad code` has them.
    fn coder(&self) -> dyad_coder::Coder<'_> {
        let coder = dyad_coder::Coder::new(&self.dict, &self.model);
        match &self.geo {
            Some(g) => coder.with_geo(g),
            None => coder,
        }
    }

    fn pool(&self, threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
        let threads = check_threads(threads)?;
        let mut pools = self
            .pools
            .lock()
            .map_err(|_| PyException::new_err("a coding thread failed earlier"))?;
        if let Some((_, p)) = pools.iter().find(|(n, _)| *n == threads) {
            return Ok(p.clone());
        }
        let p = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| PyException::new_err(e.to_string()))?,
        );
        pools.push((threads, p.clone()));
        Ok(p)
    }

    fn load(py: Python<'_>, dict_dir: Option<PathBuf>, model: Option<PathBuf>) -> PyResult<Self> {
        let dict_dir = dict_dir.unwrap_or_else(|| default_dict_dir(py));
        let model_path = model.unwrap_or_else(|| default_model_path(py));
        let fallback = default_dict_dir(py);
        let (dict, model, geo) = py.allow_threads(|| -> Result<_, Error> {
            let dict = Dictionary::load(&dict_dir).map_err(|e| Error::Dictionary {
                dir: dict_dir.display().to_string(),
                why: e.to_string(),
            })?;
            let model = Model::load(&model_path).map_err(|e| Error::Model(e.to_string()))?;
            // As `dyad`: a directory without a gazetteer borrows the default one's.
            let geo_dir = [&dict_dir, &fallback]
                .into_iter()
                .find(|d| d.join(dyad_geo::PLACES_FILE).exists());
            let geo = match geo_dir {
                Some(d) => Some(dyad_geo::Geo::load(d).map_err(|e| Error::Dictionary {
                    dir: d.display().to_string(),
                    why: e.to_string(),
                })?),
                None => None,
            };
            Ok((dict, model, geo))
        })?;
        Ok(Coder {
            dict: Arc::new(dict),
            model: Arc::new(model),
            geo: geo.map(Arc::new),
            dict_dir,
            model_path,
            pools: Mutex::new(Vec::new()),
        })
    }

    fn explain_dict(
        &self,
        py: Python<'_>,
        sentence: &str,
        date: Option<&str>,
    ) -> PyResult<PyObject> {
        let date = parse_date(date)?;
        let (events, trace) = py.allow_threads(|| self.coder().explain(sentence, date));
        let d = PyDict::new(py);
        d.set_item("dict_version", &self.dict.version)?;
        d.set_item("trace", trace)?;
        d.set_item("events", events_to_py(py, &events)?)?;
        Ok(d.into_any().unbind())
    }
}

#[pymethods]
impl Coder {
    #[new]
    #[pyo3(signature = (dict_dir=None, model=None))]
    fn new(py: Python<'_>, dict_dir: Option<PathBuf>, model: Option<PathBuf>) -> PyResult<Self> {
        Coder::load(py, dict_dir, model)
    }

    /// The version of the loaded dictionaries (`dict_version` of every event).
    #[getter]
    fn dict_version(&self) -> &str {
        &self.dict.version
    }

    #[getter]
    fn dict_dir(&self) -> PathBuf {
        self.dict_dir.clone()
    }

    #[getter]
    fn model_path(&self) -> PathBuf {
        self.model_path.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "dyad.Coder(dict_dir={:?}, model={:?}, dict_version={:?})",
            self.dict_dir.display().to_string(),
            self.model_path.display().to_string(),
            self.dict.version
        )
    }

    /// Codes one document and returns its events as `dyad code --format jsonl` writes them.
    ///
    /// `text` is the document's text, or a web page when `html` is true (its article text is
    /// extracted as for an `.html` input). `date` (`YYYY-MM-DD`) is its publication date, which
    /// relative dates ("on Friday") resolve against; `url`, `id` and `title` are kept as a
    /// JSONL input's fields. Raises ValueError for a bad date or a document with no text.
    #[pyo3(signature = (text, date=None, url=None, html=false, id=None, title=None))]
    #[allow(clippy::too_many_arguments)]
    fn code(
        &self,
        py: Python<'_>,
        text: &str,
        date: Option<&str>,
        url: Option<&str>,
        html: bool,
        id: Option<&str>,
        title: Option<&str>,
    ) -> PyResult<PyObject> {
        parse_date(date)?;
        let mut rec = serde_json::Map::new();
        rec.insert("id".into(), id.unwrap_or("text").into());
        rec.insert((if html { "html" } else { "text" }).into(), text.into());
        for (k, v) in [("published", date), ("url", url), ("title", title)] {
            if let Some(v) = v {
                rec.insert(k.into(), v.into());
            }
        }
        let json = serde_json::to_vec(&rec).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let doc = dyad_ingest::parse_jsonl_record("text", 1, &json).map_err(Error::Record)?;
        let events = py.allow_threads(|| self.coder().code(&doc, None, &mut Scratch::default()));
        events_to_py(py, &events)
    }

    /// Codes many documents on `threads` threads; yields one list of events per document, in
    /// order. See `dyad.Coder.code_batch` in the stubs for the accepted items.
    #[pyo3(signature = (docs, threads=1, errors="raise", name="docs"))]
    fn code_batch(
        slf: Bound<'_, Self>,
        docs: &Bound<'_, PyAny>,
        threads: usize,
        errors: &str,
        name: &str,
    ) -> PyResult<Batches> {
        let skip = match errors {
            "raise" => false,
            "skip" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"skip\", not {other:?}"
                )))
            }
        };
        let pool = slf.get().pool(threads)?;
        Ok(Batches {
            coder: slf.clone().unbind(),
            docs: docs.try_iter()?.unbind(),
            pool,
            ready: VecDeque::new(),
            pending: None,
            line: 0,
            name: name.to_string(),
            skip,
            done: false,
        })
    }

    /// The trace `dyad explain` prints, as a dict: `dict_version`, `trace` (text) and `events`.
    #[pyo3(signature = (sentence, date=None))]
    fn explain(&self, py: Python<'_>, sentence: &str, date: Option<&str>) -> PyResult<PyObject> {
        self.explain_dict(py, sentence, date)
    }

    /// For the Spark job: codes documents given as JSON (`dyad extract` lines) and returns
    /// columns, one row per event: `doc` (index in `docs`), `event` (index in the document),
    /// the store's event key (`key_date`, `key_source`, `key_target`, `key_code`, `key_place`,
    /// `negated`),
    /// `mentions`, and the Parquet export's columns as the event's first mention gives them.
    #[pyo3(signature = (docs, threads=1))]
    fn _code_records(
        &self,
        py: Python<'_>,
        docs: Vec<String>,
        threads: usize,
    ) -> PyResult<PyObject> {
        let pool = self.pool(threads)?;
        let parsed: Vec<Document> = docs
            .iter()
            .map(|d| serde_json::from_str(d))
            .collect::<Result<_, _>>()
            .map_err(|e| PyValueError::new_err(format!("not a dyad document: {e}")))?;
        let (coded, records) = py.allow_threads(|| {
            let coded = code_docs(&self.coder(), &pool, &parsed);
            let records: Vec<Vec<EventRecord>> = parsed
                .par_iter()
                .zip(&coded)
                .map(|(doc, events)| {
                    let lead = dyad_export::lead_paragraph_end(&doc.text);
                    events
                        .iter()
                        .map(|e| {
                            let in_lead = match lead {
                                Some(end) => (e.sentence_span.start as usize) < end,
                                None => e.sentence == 0,
                            };
                            EventRecord::first_seen(e, doc, in_lead, &self.dict)
                        })
                        .collect()
                })
                .collect();
            (coded, records)
        });
        let cols = dyad_export::parquet_columns();
        let mut values: Vec<Vec<PyObject>> = cols.iter().map(|_| Vec::new()).collect();
        let mut kp: Vec<String> = Vec::new();
        let (mut doc_ix, mut ev_ix, mut kd, mut ks, mut kt, mut kc, mut neg, mut men) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        for (i, (events, recs)) in coded.iter().zip(&records).enumerate() {
            for (j, (e, r)) in events.iter().zip(recs).enumerate() {
                doc_ix.push(i);
                ev_ix.push(j);
                kd.push(e.date.as_deref().unwrap_or(""));
                ks.push(e.source.code.as_str());
                kt.push(e.target.as_ref().map_or("", |t| t.code.as_str()));
                kc.push(e.code.as_str());
                kp.push(dyad_export::place_key(e));
                neg.push(e.negated);
                men.push(e.mentions);
                for (c, (_, _, _, get)) in cols.iter().enumerate() {
                    let v = match get(r) {
                        ParquetValue::Null => py.None(),
                        ParquetValue::I32(x) => x.into_pyobject(py)?.into_any().unbind(),
                        ParquetValue::I64(x) => x.into_pyobject(py)?.into_any().unbind(),
                        ParquetValue::F64(x) => x.into_pyobject(py)?.into_any().unbind(),
                        ParquetValue::Str(s) => s.into_pyobject(py)?.into_any().unbind(),
                    };
                    values[c].push(v);
                }
            }
        }
        let out = PyDict::new(py);
        out.set_item("doc", doc_ix)?;
        out.set_item("event", ev_ix)?;
        out.set_item("key_date", kd)?;
        out.set_item("key_source", ks)?;
        out.set_item("key_target", kt)?;
        out.set_item("key_code", kc)?;
        out.set_item("key_place", kp)?;
        out.set_item("negated", neg)?;
        out.set_item("mentions", men)?;
        for ((name, _, _, _), v) in cols.iter().zip(values) {
            out.set_item(*name, PyList::new(py, v)?)?;
        }
        Ok(out.into_any().unbind())
    }
}

/// The generator `Coder.code_batch` returns: one list of events per document, in order.
#[pyclass(module = "dyad")]
struct Batches {
    coder: Py<Coder>,
    docs: Py<PyIterator>,
    pool: Arc<rayon::ThreadPool>,
    ready: VecDeque<PyObject>,
    /// An error met while reading a batch, raised once the documents before it are out.
    pending: Option<PyErr>,
    line: u64,
    name: String,
    skip: bool,
    done: bool,
}

#[pymethods]
impl Batches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<PyObject>> {
        if self.ready.is_empty() && !self.done && self.pending.is_none() {
            self.fill(py)?;
        }
        if let Some(r) = self.ready.pop_front() {
            return Ok(Some(r));
        }
        match self.pending.take() {
            Some(e) => {
                self.done = true;
                Err(e)
            }
            None => Ok(None),
        }
    }
}

impl Batches {
    /// Reads the next batch of documents (with the GIL) and codes it (without).
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let dumps = py.import("json")?.getattr("dumps")?;
        let warn = py.import("warnings")?.getattr("warn")?;
        let mut it = self.docs.bind(py).clone();
        // Per item: the index of its document in `docs`, or none when it was skipped.
        let mut slots: Vec<Option<usize>> = Vec::new();
        let mut docs = Vec::new();
        let mut bytes = 0;
        while docs.len() < BATCH_DOCS && bytes < BATCH_BYTES {
            let Some(item) = it.next() else {
                self.done = true;
                break;
            };
            self.line += 1;
            let doc = item.and_then(|i| item_to_document(&dumps, &i, &self.name, self.line));
            match doc {
                Ok(Ok(d)) => {
                    bytes += d.text.len();
                    slots.push(Some(docs.len()));
                    docs.push(d);
                }
                Ok(Err(e)) if self.skip => {
                    warn.call1((format!("skipped {e}"),))?;
                    slots.push(None);
                }
                Ok(Err(e)) => {
                    self.pending = Some(e.into());
                    break;
                }
                Err(e) => {
                    self.pending = Some(e);
                    break;
                }
            }
        }
        let coder = self.coder.get();
        let pool = self.pool.clone();
        let coded = py.allow_threads(|| code_docs(&coder.coder(), &pool, &docs));
        for slot in slots {
            let events: &[Event] = slot.map_or(&[], |i| &coded[i]);
            self.ready.push_back(events_to_py(py, events)?);
        }
        Ok(())
    }
}

static DEFAULT_CODER: GILOnceCell<Py<Coder>> = GILOnceCell::new();

/// `dyad.explain(sentence, date=None)`: what `dyad explain` prints, as a dict (`dict_version`,
/// `trace`, `events`), with the default dictionaries and model (loaded on first use).
#[pyfunction]
#[pyo3(signature = (sentence, date=None))]
fn explain(py: Python<'_>, sentence: &str, date: Option<&str>) -> PyResult<PyObject> {
    let coder = DEFAULT_CODER.get_or_try_init(py, || -> PyResult<Py<Coder>> {
        Py::new(py, Coder::load(py, None, None)?)
    })?;
    coder.get().explain_dict(py, sentence, date)
}

/// For the Spark job: reads one input file's bytes as `dyad` reads a file of that name (the
/// extension picks JSONL, HTML, text or WARC, `.gz` is unpacked, else the content is sniffed).
/// Returns (columns, errors): `doc` (the document as `dyad extract` writes it), `key` (URL,
/// else id), `hash` (of content and `dict_version`), `domain` (publisher), and one message per
/// record skipped.
#[pyfunction]
fn _read_documents(
    py: Python<'_>,
    name: &str,
    data: Vec<u8>,
    dict_version: &str,
) -> PyResult<(PyObject, Vec<String>)> {
    let (rows, errors) = py.allow_threads(|| {
        let opts = dyad_ingest::Options::default();
        let mut rows: Vec<(String, String, String, String)> = Vec::new();
        let mut errors = Vec::new();
        for r in dyad_ingest::read_stream(name, Box::new(std::io::Cursor::new(data)), &opts) {
            match r {
                Ok(d) => {
                    let json = serde_json::to_string(&d).unwrap_or_default();
                    rows.push((
                        json,
                        dyad_export::document_key(&d).to_string(),
                        dyad_export::content_hash(&d, dict_version),
                        dyad_export::domain_of(&d),
                    ));
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        (rows, errors)
    });
    let out = PyDict::new(py);
    let col = |f: fn(&(String, String, String, String)) -> &str| -> Vec<&str> {
        rows.iter().map(f).collect()
    };
    out.set_item("doc", col(|r| &r.0))?;
    out.set_item("key", col(|r| &r.1))?;
    out.set_item("hash", col(|r| &r.2))?;
    out.set_item("domain", col(|r| &r.3))?;
    Ok((out.into_any().unbind(), errors))
}

/// For the Spark job: (name, type, required) of every column of the Parquet export, in file
/// order; type is one of `int`, `bigint`, `double`, `string`, `date`.
#[pyfunction]
fn _parquet_columns() -> Vec<(&'static str, &'static str, bool)> {
    dyad_export::parquet_columns()
        .into_iter()
        .map(|(name, kind, required, _)| {
            let t = match kind {
                ParquetKind::I32 => "int",
                ParquetKind::I64 => "bigint",
                ParquetKind::F64 => "double",
                ParquetKind::Str => "string",
                ParquetKind::Date => "date",
            };
            (name, t, required)
        })
        .collect()
}

#[pymodule]
fn _dyad(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Coder>()?;
    m.add_class::<Batches>()?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(_read_documents, m)?)?;
    m.add_function(wrap_pyfunction!(_parquet_columns, m)?)?;
    m.add("DyadError", m.py().get_type::<DyadError>())?;
    m.add("MAX_THREADS", MAX_THREADS)?;
    Ok(())
}
