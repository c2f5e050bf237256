//! Routes, handlers and the JSON they answer with.

use crate::params::{Params, PAGE_PARAMS};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;
use dyad_store::{EventRow, Group, Store, StoredMention};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest request body: about 200 pages of news text.
pub const MAX_BODY: usize = 1 << 20;
/// Read connections kept open between requests.
const POOL_SIZE: usize = 16;
/// Coding jobs that run at once; more requests wait for a place within their time limit.
const CODING_JOBS: usize = 2;

/// How long the server waits for clients and for coding.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's headers must have arrived within this time (else the connection is closed).
    pub header_time: Duration,
    /// Its body must have arrived within this time after the headers (else 408).
    pub body_time: Duration,
    /// A coding request, waiting for a place included; the coding itself stops at this deadline.
    pub code_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_time: Duration::from_secs(10),
            body_time: Duration::from_secs(30),
            code_time: Duration::from_secs(5),
        }
    }
}

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");
const OPENAPI: &str = include_str!("../assets/openapi.json");
/// Country outlines for the map (Natural Earth, public domain; `assets/world.py` makes it).
const WORLD_JSON: &str = include_str!("../assets/world.json");

/// What every request shares.
pub struct AppState {
    db: PathBuf,
    readers: Mutex<Vec<Store>>,
    writer: Option<Mutex<Store>>,
    dict: Dictionary,
    syntax: dyad_syntax::Model,
    /// The gazetteer and tone lexicon for coding jobs, when loaded.
    geo: Option<dyad_geo::Geo>,
    /// Places for coding jobs: held by the running job (not the request), so work that outlived
    /// its request still counts until it stops.
    coding: Arc<tokio::sync::Semaphore>,
    limits: Limits,
}

impl AppState {
    /// Opens the store read-only (refusing a missing, corrupt or newer file), or for writing
    /// when `writable`.
    pub fn new(
        db: &FsPath,
        dict: Dictionary,
        syntax: dyad_syntax::Model,
        writable: bool,
    ) -> dyad_store::Result<AppState> {
        let writer = if writable {
            Some(Mutex::new(Store::open(db)?))
        } else {
            None
        };
        let first = Store::open_read_only(db)?;
        Ok(AppState {
            db: db.to_path_buf(),
            readers: Mutex::new(vec![first]),
            writer,
            dict,
            syntax,
            geo: None,
            coding: Arc::new(tokio::sync::Semaphore::new(CODING_JOBS)),
            limits: Limits::default(),
        })
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Coding jobs place events and give them tone.
    pub fn with_geo(mut self, geo: Option<dyad_geo::Geo>) -> Self {
        self.geo = geo;
        self
    }

    /// Coding jobs running now.
    fn coding_running(&self) -> usize {
        CODING_JOBS - self.coding.available_permits()
    }

    /// Runs `f` with a pooled read-only connection on a blocking thread.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = state.readers.lock().map(|mut p| p.pop()).unwrap_or(None);
            let store = match pooled {
                Some(s) => s,
                None => Store::open_read_only(&state.db).map_err(ApiError::from)?,
            };
            let out = f(&store);
            if let Ok(mut p) = state.readers.lock() {
                if p.len() < POOL_SIZE {
                    p.push(store);
                }
            }
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
    }
}

/// An error answered as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<dyad_store::Error> for ApiError {
    fn from(e: dyad_store::Error) -> Self {
        match e {
            dyad_store::Error::Invalid(m) => ApiError::bad_request(m),
            e => ApiError::internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!("{}", self.message);
        }
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .route(
            "/api/openapi.json",
            get(|| async { asset("application/json", OPENAPI) }),
        )
        .route("/healthz", get(healthz))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/documents/{id}", get(document))
        .route("/api/stats/timeline", get(timeline))
        .route("/api/stats/dyads", get(dyads))
        .route("/api/stats/places", get(places))
        .route(
            "/assets/world.json",
            get(|| async { asset("application/json", WORLD_JSON) }),
        )
        .route("/api/code", post(code))
        .route("/api/documents", post(store_document))
        .fallback(|| async {
            ApiError::not_found("no such page or endpoint (see /api/openapi.json)")
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_within_time,
        ))
        .layer(axum::middleware::from_fn(json_405))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Reads the whole body before routing, within the time limit: a client that sends less than
/// its Content-Length (or trickles it) gets a 408 and the connection closes.
async fn body_within_time(
    State(s): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let read = axum::body::to_bytes(body, MAX_BODY);
    let bytes = match tokio::time::timeout(s.limits.body_time, read).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            // The only error that is the client's doing and not a broken connection.
            let too_big = std::error::Error::source(&e)
                .is_some_and(|c| c.is::<http_body_util::LengthLimitError>());
            let (status, message) = if too_big {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("request body: larger than {MAX_BODY} bytes"),
                )
            } else {
                (StatusCode::BAD_REQUEST, format!("request body: {e}"))
            };
            return closing(ApiError { status, message }.into_response());
        }
        Err(_) => {
            return closing(
                ApiError {
                    status: StatusCode::REQUEST_TIMEOUT,
                    message: format!(
                        "the request body did not arrive within {} s",
                        s.limits.body_time.as_secs()
                    ),
                }
                .into_response(),
            )
        }
    };
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// axum answers a wrong method with an empty body: give it the JSON error every other error has,
/// keeping its `Allow` header.
async fn json_405(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let r = next.run(req).await;
    if r.status() != StatusCode::METHOD_NOT_ALLOWED {
        return r;
    }
    let allow = r.headers().get(header::ALLOW).cloned();
    let takes = allow
        .as_ref()
        .and_then(|a| a.to_str().ok())
        .map(|a| format!(" (it takes {a})"))
        .unwrap_or_default();
    let mut out = ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("{path} does not take {method}{takes}"),
    }
    .into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(header::ALLOW, a);
    }
    out
}

/// The rest of a broken request may still be in flight: the connection is not reused.
fn closing(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn params(raw: &Option<String>, filters: bool, extra: &[&str]) -> Result<Params, ApiError> {
    Params::parse(raw.as_deref(), filters, extra).map_err(ApiError::bad_request)
}

fn id_param(raw: &str, what: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|&n| n > 0).ok_or_else(|| {
        ApiError::bad_request(format!(
            "{what} id must be a positive whole number, not `{raw}`"
        ))
    })
}

async fn healthz(State(s): State<Arc<AppState>>) -> ApiResult {
    let writable = s.writer.is_some();
    let running = s.coding_running();
    s.read(move |store| {
        let (documents, events, mentions) = store.row_counts()?;
        Ok(Json(json!({
            "status": "ok",
            "schema_version": store.schema_version()?,
            "documents": documents,
            "events": events,
            "mentions": mentions,
            "writable": writable,
            "coding_running": running,
        })))
    })
    .await
}

fn actor_json(code: &str, name: &str) -> Value {
    json!({ "code": code, "name": name })
}

fn summary(r: &EventRow) -> Value {
    let rec = &r.record;
    json!({
        "id": rec.global_event_id,
        "date": rec.date,
        "code": rec.event_code,
        "label": r.label,
        "root": rec.event_root_code,
        "quad_class": rec.quad_class,
        "goldstein": rec.goldstein_scale,
        "source": actor_json(&rec.actor1.code, &rec.actor1.name),
        "target": actor_json(&rec.actor2.code, &rec.actor2.name),
        "num_mentions": rec.num_mentions,
        "num_articles": rec.num_articles,
        "num_sources": rec.num_sources,
        "negated": r.negated,
        "is_root_event": rec.is_root_event,
        "source_url": rec.source_url,
        "doc": r.doc,
        "sentence": r.sentence,
        "place": geo_json(&rec.action_geo),
        "avg_tone": rec.avg_tone,
    })
}

/// A place of GDELT's geography columns (the event's, or an actor's), `null` when none.
fn geo_json(g: &dyad_export::GeoColumns) -> Value {
    if g.geo_type == 0 {
        return Value::Null;
    }
    json!({
        "name": g.full_name,
        "geo_type": g.geo_type,
        "country_code": g.country_code,
        "adm1": g.adm1_code,
        "adm2": g.adm2_code,
        "lat": g.lat,
        "lon": g.long,
        "feature_id": g.feature_id,
    })
}

#[derive(Serialize)]
struct MentionActor<'a> {
    code: &'a str,
    name: &'a str,
    text: &'a str,
    start: u32,
    end: u32,
    entry: &'a str,
    antecedent: Option<&'a str>,
    place: Option<&'a dyad_core::EventPlace>,
}

fn mention_actor(a: &dyad_core::ActorMention) -> MentionActor<'_> {
    MentionActor {
        code: &a.code,
        name: &a.name,
        text: &a.text,
        start: a.span.start,
        end: a.span.end,
        entry: &a.entry,
        antecedent: a.antecedent.as_deref(),
        place: a.place.as_ref(),
    }
}

fn mention_json(m: &StoredMention) -> Value {
    let e = &m.event;
    json!({
        "mention_id": m.mention_id,
        "event": m.event_id,
        "code": e.code,
        "label": e.label,
        "doc": m.doc,
        "doc_title": m.doc_title,
        "doc_url": m.doc_url,
        "sentence_index": e.sentence,
        "sentence": { "start": e.sentence_span.start, "end": e.sentence_span.end, "text": e.sentence_text },
        "source": mention_actor(&e.source),
        "target": e.target.as_ref().map(mention_actor),
        "verb": {
            "text": e.verb.text,
            "start": e.verb.span.start,
            "end": e.verb.span.end,
            "pattern_id": e.verb.pattern_id,
            "pattern": e.verb.pattern,
            "relations": e.verb.relations,
        },
        "pattern_code": e.base_code,
        "negated": e.negated,
        "modality": e.modality,
        "attribution": e.attribution,
        "place": e.place,
        "tone": e.tone,
        "mention_count": e.mentions,
        "in_lead": m.in_lead,
        "dict_version": e.dict_version,
    })
}

async fn events(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let p = params(&q, true, &PAGE_PARAMS)?;
    let f = p.filter().map_err(ApiError::bad_request)?;
    let (page, pg) = p.page().map_err(ApiError::bad_request)?;
    s.read(move |store| {
        let (total, rows) = store.events_page(&f, pg)?;
        let events: Vec<Value> = rows.iter().map(summary).collect();
        Ok(Json(json!({
            "total": total,
            "page": page,
            "per_page": pg.limit,
            "pages": total.div_ceil(pg.limit),
            "events": events,
        })))
    })
    .await
}

async fn event(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let p = params(&q, false, &["mention_limit"])?;
    let limit = p
        .ranged("mention_limit", 1, 1000, 100)
        .map_err(ApiError::bad_request)?;
    let id = id_param(&id, "event")?;
    s.read(move |store| {
        let (row, mentions) = store
            .event(id, limit)?
            .ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
        Ok(Json(json!({
            "event": summary(&row),
            "mentions": mentions.iter().map(mention_json).collect::<Vec<_>>(),
        })))
    })
    .await
}

async fn document(
    State(s): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    params(&q, false, &[])?;
    let id = id_param(&id, "document")?;
    s.read(move |store| {
        let d = store
            .document(id)?
            .ok_or_else(|| ApiError::not_found(format!("no document {id}")))?;
        Ok(Json(json!({
            "doc": d.doc,
            "id": d.id,
            "title": d.title,
            "url": d.url,
            "published": d.published,
            "source": d.source,
            "text": d.text,
            "sentences": d.sentences,
            "mentions": d.mentions.iter().map(mention_json).collect::<Vec<_>>(),
        })))
    })
    .await
}

async fn timeline(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let p = params(&q, true, &["by"])?;
    let f = p.filter().map_err(ApiError::bad_request)?;
    let by = p.period().map_err(ApiError::bad_request)?;
    s.read(move |store| {
        let rows = store.stats(&f, by, Some(Group::QuadClass))?;
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "period": r.period,
                    "quad_class": r.group.parse::<u8>().unwrap_or(0),
                    "events": r.events,
                    "mentions": r.mentions,
                    "goldstein_sum": r.goldstein_sum,
                })
            })
            .collect();
        Ok(Json(json!({
            "by": if by == dyad_store::Period::Day { "day" } else { "month" },
            "rows": rows,
        })))
    })
    .await
}

async fn dyads(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let p = params(&q, true, &["limit"])?;
    let f = p.filter().map_err(ApiError::bad_request)?;
    let limit = p.limit(50).map_err(ApiError::bad_request)?;
    s.read(move |store| {
        let rows = store.dyads(&f, limit)?;
        let mut nodes: std::collections::BTreeMap<&str, u64> = Default::default();
        for r in &rows {
            *nodes.entry(&r.source).or_default() += r.events;
            *nodes.entry(&r.target).or_default() += r.events;
        }
        let nodes: Vec<Value> = nodes
            .iter()
            .map(|(id, n)| json!({ "id": id, "events": n }))
            .collect();
        let edges: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "source": r.source,
                    "target": r.target,
                    "events": r.events,
                    "mentions": r.mentions,
                    "goldstein_sum": r.goldstein_sum,
                })
            })
            .collect();
        Ok(Json(json!({ "nodes": nodes, "edges": edges })))
    })
    .await
}

/// `GET /api/stats/places`: where the events matching the filters happened, for the map.
async fn places(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery) -> ApiResult {
    let p = params(&q, true, &["limit"])?;
    let f = p.filter().map_err(ApiError::bad_request)?;
    let limit = p.limit(200).map_err(ApiError::bad_request)?;
    s.read(move |store| {
        let places: Vec<Value> = store
            .places(&f, limit)?
            .iter()
            .map(|r| {
                json!({
                    "name": r.name,
                    "geo_type": r.geo_type,
                    "country_code": r.country_code,
                    "adm1": r.adm1,
                    "feature_id": r.feature_id,
                    "lat": r.lat,
                    "lon": r.lon,
                    "events": r.events,
                    "by_quad": r.by_quad,
                })
            })
            .collect();
        Ok(Json(json!({ "places": places })))
    })
    .await
}

/// The body of `POST /api/code` and `POST /api/documents`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    text: Option<String>,
    html: Option<String>,
    date: Option<String>,
    url: Option<String>,
    title: Option<String>,
}

fn document_of(body: Result<Bytes, BytesRejection>) -> Result<Document, ApiError> {
    let body = body.map_err(|e| ApiError {
        status: e.status(),
        message: format!("request body: {}", e.body_text()),
    })?;
    let req: CodeRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body must be JSON {{\"text\" or \"html\", \"date\"?, \"url\"?, \"title\"?}}: {e}"
        ))
    })?;
    if let Some(d) = &req.date {
        if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            return Err(ApiError::bad_request(format!(
                "`date` must be YYYY-MM-DD, not `{d}`"
            )));
        }
    }
    let mut doc = match (req.text, req.html) {
        (Some(text), None) => Document {
            text,
            ..Default::default()
        },
        (None, Some(html)) => {
            let x = dyad_ingest::extract_html(&html, req.url.as_deref());
            Document {
                text: x.text,
                title: x.title,
                author: x.author,
                published: x.published,
                url: x.url,
                source: x.source,
                language: x.language,
                warnings: x.warnings,
                ..Default::default()
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of `text` and `html`",
            ))
        }
    };
    if doc.text.trim().is_empty() {
        return Err(ApiError::bad_request("no text to code"));
    }
    // An empty URL would become an empty storage key.
    if req.url.as_deref().is_some_and(|u| u.trim().is_empty()) {
        return Err(ApiError::bad_request(
            "`url` is empty: give the article's URL, or leave `url` out",
        ));
    }
    doc.id = "posted".into();
    doc.origin.path = "request".into();
    if req.url.is_some() {
        doc.url = req.url;
    }
    if req.title.is_some() {
        doc.title = req.title;
    }
    if req.date.is_some() {
        doc.published = req.date;
    }
    Ok(doc)
}

/// Codes on a blocking thread, a few jobs at a time, within the time limit (waiting for a place
/// included). The job checks the deadline itself, so giving up on a request also ends its work.
async fn code_document(
    s: &Arc<AppState>,
    doc: Document,
) -> Result<(Document, Vec<Event>), ApiError> {
    let limit = s.limits.code_time;
    let deadline = std::time::Instant::now() + limit;
    let too_long = || {
        ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: format!(
            "coding took longer than {} s (the server codes {CODING_JOBS} requests at a time): send less text",
            limit.as_secs_f64()
        ),
    }
    };
    let permit = tokio::time::timeout_at(deadline.into(), s.coding.clone().acquire_owned())
        .await
        .map_err(|_| too_long())?
        .map_err(|_| ApiError::internal("shutting down"))?;
    let state = s.clone();
    let job = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut coder = dyad_coder::Coder::new(&state.dict, &state.syntax);
        if let Some(g) = &state.geo {
            coder = coder.with_geo(g);
        }
        let events = coder.code_until(&doc, None, &mut dyad_coder::Scratch::default(), deadline)?;
        Ok::<_, dyad_coder::DeadlinePassed>((doc, events))
    });
    // The deadline is checked between sentences; one very long sentence can outlast it, so the
    // answer does not wait for more than a second beyond it (the job keeps its place till done).
    let answer_by = tokio::time::Instant::from(deadline) + Duration::from_secs(1);
    match tokio::time::timeout_at(answer_by, job).await {
        Ok(Ok(Ok(r))) => Ok(r),
        Ok(Ok(Err(dyad_coder::DeadlinePassed))) | Err(_) => Err(too_long()),
        Ok(Err(e)) => Err(ApiError::internal(format!("coding failed: {e}"))),
    }
}

async fn code(State(s): State<Arc<AppState>>, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let doc = document_of(body)?;
    let (doc, events) = code_document(&s, doc).await?;
    Ok(Json(json!({
        "events": events,
        "warnings": doc.warnings,
        "dict_version": s.dict.version,
    })))
}

async fn store_document(
    State(s): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    if s.writer.is_none() {
        return Err(ApiError {
            status: StatusCode::FORBIDDEN,
            message:
                "this server is read-only: start it with `dyad serve --writable` to store documents"
                    .into(),
        });
    }
    let mut doc = document_of(body)?;
    let Some(key) = doc.url.clone() else {
        return Err(ApiError::bad_request("a stored document needs a `url`"));
    };
    doc.id = key;
    let (doc, events) = code_document(&s, doc).await?;
    let state = s.clone();
    tokio::task::spawn_blocking(move || {
        let writer = state.writer.as_ref().expect("checked above");
        let mut store = writer
            .lock()
            .map_err(|_| ApiError::internal("the writer failed earlier"))?;
        let n = events.len();
        let coded = dyad_store::CodedDocument::segmenting(doc, events, &state.dict.version);
        let summary = store.ingest_batch(std::slice::from_ref(&coded), &state.dict)?;
        Ok(Json(json!({ "summary": summary, "events": n })))
    })
    .await
    .map_err(|e| ApiError::internal(format!("storing failed: {e}")))?
}
