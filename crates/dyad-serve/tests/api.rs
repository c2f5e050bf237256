//! The API over a real store and a real server on a loopback port.

use dyad_coder::{Coder, Scratch};
use dyad_core::Document;
use dyad_dict::Dictionary;
use dyad_store::{CodedDocument, Store};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

fn model() -> dyad_syntax::Model {
    dyad_syntax::Model::load(&dyad_syntax::default_model_path()).unwrap_or_else(|e| panic!("{e}"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dict() -> Dictionary {
    Dictionary::load(repo().join("dict")).expect("dictionaries load")
}

const XSS_TEXT: &str =
    "Russian President Vladimir Putin <script>alert(1)</script> accused Ukraine of \
shelling the plant. <img src=x onerror=alert(2)> Ukraine denied the claim.";

/// A store with the repository's examples and a hostile document, ingested as `dyad ingest` does.
fn build_store(db: &Path, dict: &Dictionary) {
    let mut docs: Vec<Document> = dyad_ingest::read_inputs(
        &[repo().join("examples").display().to_string()],
        &Default::default(),
    )
    .map(Result::unwrap)
    .collect();
    docs.push(Document {
        id: "xss".into(),
        url: Some("https://xss.example/1".into()),
        title: Some("<b>bold?</b>".into()),
        published: Some("2024-05-01T10:00:00Z".into()),
        text: XSS_TEXT.into(),
        ..Default::default()
    });
    let model = model();
    let geo = dyad_geo::Geo::load(&repo().join("dict")).unwrap();
    let coder = Coder::new(dict, &model).with_geo(&geo);
    let mut sc = Scratch::default();
    let coded: Vec<CodedDocument> = docs
        .into_iter()
        .map(|d| {
            let events = coder.code(&d, None, &mut sc);
            CodedDocument::new(d, events, sc.sentences(), &dict.version)
        })
        .collect();
    Store::open(db).unwrap().ingest_batch(&coded, dict).unwrap();
}

/// Starts a server on a free port and returns its address.
fn start(writable: bool, limits: dyad_serve::Limits) -> SocketAddr {
    let dir = tempfile::tempdir().unwrap().keep();
    let db = dir.join("api.db");
    let dict = dict();
    build_store(&db, &dict);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let config = dyad_serve::Config {
            db,
            addr: "127.0.0.1:0".parse().unwrap(),
            writable,
            allow_remote_writes: false,
            limits,
        };
        dyad_serve::run(config, dict, model(), None, |a| tx.send(a).unwrap()).unwrap();
    });
    rx.recv().unwrap()
}

/// The server with the default limits, once per writability.
fn server(writable: bool) -> SocketAddr {
    static RO: OnceLock<SocketAddr> = OnceLock::new();
    static RW: OnceLock<SocketAddr> = OnceLock::new();
    let cell = if writable { &RW } else { &RO };
    *cell.get_or_init(|| start(writable, Default::default()))
}

/// A server that waits one second for headers and bodies and gives coding no time at all.
fn impatient_server() -> SocketAddr {
    static S: OnceLock<SocketAddr> = OnceLock::new();
    *S.get_or_init(|| {
        start(
            false,
            dyad_serve::Limits {
                header_time: Duration::from_secs(1),
                body_time: Duration::from_secs(1),
                code_time: Duration::ZERO,
            },
        )
    })
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    // Not a timing assertion: a server that never answers fails the test instead of hanging it.
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("no complete answer: {e}"));
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn post(addr: SocketAddr, path: &str, body: &[u8]) -> Reply {
    let mut r = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    raw(addr, &r)
}

fn ok(addr: SocketAddr, path: &str) -> Value {
    let r = get(addr, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    r.json()
}

fn bad(addr: SocketAddr, path: &str, needle: &str) {
    let r = get(addr, path);
    assert_eq!(r.status, 400, "{path}: {}", r.body);
    let msg = r.json()["error"].as_str().unwrap().to_string();
    assert!(msg.contains(needle), "{path}: {msg}");
}

#[test]
fn health_and_counts() {
    let a = server(false);
    let h = ok(a, "/healthz");
    assert_eq!(h["status"], "ok");
    assert_eq!(h["schema_version"], dyad_store::schema::SCHEMA_VERSION);
    let examples = dyad_ingest::read_inputs(
        &[repo().join("examples").display().to_string()],
        &Default::default(),
    )
    .count() as u64;
    assert_eq!(
        h["documents"],
        examples + 1,
        "the examples and the hostile one: {h}"
    );
    assert!(h["events"].as_u64().unwrap() > 10);
    assert_eq!(h["writable"], false);
}

#[test]
fn events_page_filter_and_sort() {
    let a = server(false);
    let all = ok(a, "/api/events?per_page=500");
    let total = all["total"].as_u64().unwrap();
    assert_eq!(all["events"].as_array().unwrap().len() as u64, total);
    // Pages partition the list.
    let p1 = ok(a, "/api/events?per_page=3&page=1");
    let p2 = ok(a, "/api/events?per_page=3&page=2");
    assert_eq!(p1["pages"].as_u64().unwrap(), total.div_ceil(3));
    let ids = |v: &Value| -> Vec<u64> {
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_u64().unwrap())
            .collect()
    };
    let all_ids = ids(&all);
    assert_eq!([ids(&p1), ids(&p2)].concat(), all_ids[..6]);
    // Filters select what they say.
    let rus = ok(a, "/api/events?source=RUS*&per_page=500");
    assert!(rus["total"].as_u64().unwrap() > 0);
    for e in rus["events"].as_array().unwrap() {
        assert!(
            e["source"]["code"].as_str().unwrap().starts_with("RUS"),
            "{e}"
        );
    }
    let conflict = ok(a, "/api/events?quad=4&per_page=500");
    for e in conflict["events"].as_array().unwrap() {
        assert_eq!(e["quad_class"], 4);
    }
    let dated = ok(a, "/api/events?from=2024-01-01&to=2024-12-31&per_page=500");
    for e in dated["events"].as_array().unwrap() {
        assert!(e["date"].as_str().unwrap().starts_with("2024"), "{e}");
    }
    let words = ok(a, "/api/events?words=shelling&per_page=500");
    assert!(words["total"].as_u64().unwrap() >= 1);
    for e in words["events"].as_array().unwrap() {
        assert!(e["sentence"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("shelling"));
    }
    // Sorting by Goldstein, descending.
    let sorted = ok(a, "/api/events?sort=goldstein&order=desc&per_page=500");
    let g: Vec<f64> = sorted["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["goldstein"].as_f64().unwrap())
        .collect();
    assert!(g.windows(2).all(|w| w[0] >= w[1]), "{g:?}");
    assert_eq!(g.len() as u64, total);
}

#[test]
fn bad_parameters_get_400_with_a_json_error() {
    let a = server(false);
    bad(a, "/api/events?quad=7", "`quad`");
    bad(a, "/api/events?from=yesterday", "`from`");
    bad(a, "/api/events?per_page=0", "`per_page`");
    bad(a, "/api/events?page=-1", "`page`");
    bad(a, "/api/events?sort=nonsense", "`sort`");
    bad(a, "/api/events?order=sideways", "`order`");
    bad(a, "/api/events?goldstein_min=abc", "`goldstein_min`");
    bad(a, "/api/events?near=36,43", "`near`");
    bad(a, "/api/events?adm1=I", "`adm1`");
    bad(a, "/api/stats/places?limit=0", "`limit`");
    bad(a, "/api/stats/places?near=1,2,0", "`near`");
    bad(a, "/api/events?colour=red", "unknown parameter `colour`");
    bad(a, "/api/events/abc", "positive whole number");
    bad(a, "/api/events/-3", "positive whole number");
    bad(a, "/api/events/1?x=1", "unknown parameter");
    bad(a, "/api/events/1?mention_limit=0", "`mention_limit`");
    bad(a, "/api/documents/1.5", "positive whole number");
    bad(a, "/api/stats/timeline?by=year", "`by`");
    bad(a, "/api/stats/dyads?limit=100000", "`limit`");
    // No value, a value twice, a code that cannot match, a NUL: each names its parameter.
    bad(a, "/api/events?include_negated", "`include_negated`");
    bad(a, "/api/events?page=1&page=2", "`page`");
    bad(a, "/api/events?source=**", "`source`");
    bad(a, "/api/stats/dyads?code=1*9", "`code`");
    bad(a, "/api/events?words=a%00b", "`words`");
    bad(a, "/api/stats/timeline?url=x%00", "`url`");
    // A wrong method gets the same JSON error, and still says which methods there are.
    for (method, path) in [
        ("POST", "/api/events"),
        ("DELETE", "/api/code"),
        ("PUT", "/healthz"),
    ] {
        let r = raw(
            a,
            format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(r.status, 405, "{method} {path}");
        assert!(
            r.header("allow").is_some(),
            "{method} {path}: {}",
            r.headers
        );
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(method) && msg.contains(path), "{msg}");
    }
    let r = get(a, "/api/events/999999");
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "no event 999999");
    assert_eq!(get(a, "/api/nothing-here").status, 404);
    // Garbage on the wire, then the server still answers.
    let r = raw(a, b"\x00\x01GARBAGE\r\n\r\n");
    assert!(r.status == 400 || r.status == 0, "{}", r.status);
    let r = raw(
        a,
        b"GET /api/events?from=%ZZ%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(r.status == 400, "{} {}", r.status, r.body);
    assert_eq!(ok(a, "/healthz")["status"], "ok");
}

#[test]
fn an_event_explains_itself_and_its_spans_point_into_the_document() {
    let a = server(false);
    let list = ok(a, "/api/events?per_page=500");
    let (mut checked, mut placed) = (0, 0);
    for e in list["events"].as_array().unwrap() {
        let id = e["id"].as_u64().unwrap();
        let detail = ok(a, &format!("/api/events/{id}?mention_limit=1000"));
        assert_eq!(detail["event"]["id"], id);
        let mentions = detail["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty());
        for m in mentions {
            assert_eq!(m["event"], id);
            assert!(m["verb"]["pattern_id"]
                .as_str()
                .unwrap()
                .starts_with("verbs/"));
            assert!(m["source"]["entry"].as_str().is_some());
            let doc = ok(a, &format!("/api/documents/{}", m["doc"]));
            let text = doc["text"].as_str().unwrap().as_bytes();
            let slice = |v: &Value| {
                let (s, e) = (
                    v["start"].as_u64().unwrap() as usize,
                    v["end"].as_u64().unwrap() as usize,
                );
                String::from_utf8(text[s..e].to_vec()).unwrap()
            };
            assert_eq!(
                slice(&m["sentence"]),
                m["sentence"]["text"].as_str().unwrap()
            );
            // A verb's words may be apart ("met ... in"): its span runs from the first to the last.
            let verb = m["verb"]["text"].as_str().unwrap();
            let verb_span = slice(&m["verb"]);
            assert!(
                verb_span.starts_with(verb.split(' ').next().unwrap()),
                "{verb_span} / {verb}"
            );
            assert!(
                verb_span.ends_with(verb.rsplit(' ').next().unwrap()),
                "{verb_span} / {verb}"
            );
            if m["source"]["end"].as_u64().unwrap() > 0 {
                assert_eq!(slice(&m["source"]), m["source"]["text"].as_str().unwrap());
            }
            if m["target"].is_object() {
                assert_eq!(slice(&m["target"]), m["target"]["text"].as_str().unwrap());
            }
            // Where it happened, and where the actors are: the words that say so, and the
            // gazetteer line.
            let places = [&m["place"], &m["source"]["place"], &m["target"]["place"]];
            for p in places.into_iter().filter(|p| p.is_object()) {
                assert_eq!(slice(&p["span"]), p["text"].as_str().unwrap());
                assert!(p["entry"]
                    .as_str()
                    .unwrap()
                    .starts_with("geo/places.tsv.zst:"));
                placed += 1;
            }
            if m["place"].is_object() {
                assert_eq!(e["place"]["feature_id"], m["place"]["feature_id"]);
            } else {
                assert!(e["place"].is_null());
            }
            // The document lists this mention too.
            assert!(doc["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["mention_id"] == m["mention_id"]));
            checked += 1;
        }
    }
    assert!(checked > 10);
    assert!(placed > 0, "no place in the example news");
}

#[test]
fn hostile_text_comes_back_as_data() {
    let a = server(false);
    let list = ok(a, "/api/events?url=https://xss.example/1&per_page=500");
    assert!(
        list["total"].as_u64().unwrap() >= 1,
        "the hostile document is coded: {list}"
    );
    let doc = ok(a, &format!("/api/documents/{}", list["events"][0]["doc"]));
    assert_eq!(doc["text"], XSS_TEXT);
    assert_eq!(doc["title"], "<b>bold?</b>");
    // The UI page forbids inline script whatever data it shows.
    let page = get(a, "/");
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    for asset in ["/assets/app.js", "/assets/app.css"] {
        assert_eq!(get(a, asset).status, 200, "{asset}");
    }
}

#[test]
fn stats_for_the_charts() {
    let a = server(false);
    let t = ok(a, "/api/stats/timeline?by=day");
    let rows = t["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    let dated = ok(a, "/api/events?from=1900-01-01&per_page=500")["total"]
        .as_u64()
        .unwrap();
    let counted: u64 = rows.iter().map(|r| r["events"].as_u64().unwrap()).sum();
    assert_eq!(counted, dated);
    for r in rows {
        assert!((1..=4).contains(&r["quad_class"].as_u64().unwrap()));
    }
    let d = ok(a, "/api/stats/dyads?limit=5");
    let edges = d["edges"].as_array().unwrap();
    assert!(!edges.is_empty() && edges.len() <= 5);
    let nodes: Vec<&str> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for e in edges {
        assert!(
            nodes.contains(&e["source"].as_str().unwrap())
                && nodes.contains(&e["target"].as_str().unwrap())
        );
        let n = ok(
            a,
            &format!(
                "/api/events?source={}&target={}",
                e["source"].as_str().unwrap(),
                e["target"].as_str().unwrap()
            ),
        );
        assert_eq!(n["total"], e["events"]);
    }
}

#[test]
fn code_endpoint_codes_without_storing() {
    let a = server(false);
    let before = ok(a, "/healthz")["events"].clone();
    let r = post(
        a,
        "/api/code",
        br#"{"text": "Russia accused Ukraine of shelling the plant.", "date": "2024-05-01"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{v}");
    assert!(events[0]["code"].as_str().unwrap().starts_with("112"));
    assert_eq!(events[0]["source"]["code"], "RUS");
    assert_eq!(events[0]["target"]["code"], "UKR");
    assert_eq!(events[0]["date"], "2024-05-01");
    let html = post(a, "/api/code", br#"{"html": "<html><body><article><p>Russia accused Ukraine of shelling the plant on Monday.</p></article></body></html>", "date": "2024-05-01"}"#);
    assert_eq!(html.status, 200, "{}", html.body);
    assert_eq!(html.json()["events"][0]["source"]["code"], "RUS");
    assert_eq!(ok(a, "/healthz")["events"], before, "nothing was stored");
    for (body, needle) in [
        (&b"not json"[..], "must be JSON"),
        (br#"{"text": "a", "html": "b"}"#, "exactly one"),
        (br#"{}"#, "exactly one"),
        (br#"{"text": "   "}"#, "no text"),
        (
            br#"{"text": "Russia accused Ukraine.", "date": "May 1"}"#,
            "`date`",
        ),
        (br#"{"text": "x", "colour": 1}"#, "unknown field"),
    ] {
        let r = post(a, "/api/code", body);
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(
            r.json()["error"].as_str().unwrap().contains(needle),
            "{}",
            r.body
        );
    }
    // Over the size limit: refused with a JSON error, and the server goes on.
    let big = format!(
        "{{\"text\": \"{}\"}}",
        "a".repeat(dyad_serve::MAX_BODY + 10)
    );
    let r = post(a, "/api/code", big.as_bytes());
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(r.json()["error"].is_string());
    assert_eq!(ok(a, "/healthz")["status"], "ok");
}

#[test]
fn coding_past_its_deadline_stops_and_frees_its_place() {
    let a = impatient_server();
    let text = "Russia accused Ukraine of shelling the plant. ".repeat(2000);
    let body = serde_json::json!({ "text": text }).to_string();
    let r = post(a, "/api/code", body.as_bytes());
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap().contains("longer than"));
    // The job stopped before the answer: nothing keeps coding for a client that got its 503.
    assert_eq!(ok(a, "/healthz")["coding_running"], 0);
}

#[test]
fn slow_clients_are_cut_off() {
    let a = impatient_server();
    // Headers that never end: the connection is closed (no answer, or a 408).
    let r = raw(a, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    assert!(r.status == 0 || r.status == 408, "{}", r.headers);
    // A Content-Length the body never reaches: a JSON 408, on any route.
    for path in ["/api/code", "/api/events"] {
        let method = if path == "/api/code" { "POST" } else { "GET" };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"text\": "
        );
        let r = raw(a, req.as_bytes());
        assert_eq!(r.status, 408, "{path}: {}", r.body);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .contains("did not arrive"));
    }
    assert_eq!(ok(a, "/healthz")["status"], "ok");
}

#[test]
fn storing_needs_a_writable_server() {
    let body = br#"{"text": "Russia accused Ukraine of shelling the plant.", "date": "2024-05-02", "url": "https://posted.example/1"}"#;
    let ro = server(false);
    let r = post(ro, "/api/documents", body);
    assert_eq!(r.status, 403);
    assert!(r.json()["error"].as_str().unwrap().contains("--writable"));
    let rw = server(true);
    let before = ok(rw, "/healthz")["documents"].as_u64().unwrap();
    let r = post(rw, "/api/documents", body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["summary"]["documents_new"], 1);
    assert_eq!(
        ok(rw, "/healthz")["documents"].as_u64().unwrap(),
        before + 1
    );
    let found = ok(rw, "/api/events?url=https://posted.example/1");
    assert_eq!(found["total"], 1);
    // The same again changes nothing.
    let again = post(rw, "/api/documents", body).json();
    assert_eq!(again["summary"]["documents_unchanged"], 1);
    let missing_url = post(
        rw,
        "/api/documents",
        br#"{"text": "Russia accused Ukraine."}"#,
    );
    assert_eq!(missing_url.status, 400);
    // An empty URL is no key: refused, and nothing is stored under "".
    for url in ["", "  "] {
        let body = serde_json::json!({ "text": "Russia accused Ukraine.", "url": url }).to_string();
        let r = post(rw, "/api/documents", body.as_bytes());
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(r.json()["error"].as_str().unwrap().contains("`url`"));
    }
    assert_eq!(
        ok(rw, "/api/events?url=https://posted.example/1")["total"],
        1
    );
}

#[test]
fn openapi_documents_every_route() {
    let a = server(false);
    let spec = ok(a, "/api/openapi.json");
    assert_eq!(spec["openapi"], "3.1.0");
    let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/healthz",
        "/api/events",
        "/api/events/{id}",
        "/api/documents/{id}",
        "/api/stats/timeline",
        "/api/stats/dyads",
        "/api/stats/places",
        "/api/code",
        "/api/documents",
        "/api/openapi.json",
    ] {
        assert!(paths.iter().any(|x| *x == p), "{p} is not documented");
    }
    // Every filter the server accepts is documented on /api/events.
    let names: Vec<&str> = spec["paths"]["/api/events"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Every name the server accepts there, from its own list.
    for n in dyad_serve::FILTER_NAMES
        .into_iter()
        .chain(["page", "per_page", "sort", "order"])
    {
        assert!(names.contains(&n), "{n}");
        let r = get(a, &format!("/api/events?{n}=1"));
        assert_ne!(r.status, 500, "{n}");
    }
}

#[test]
fn many_requests_over_16_connections_without_errors() {
    let a = server(false);
    let paths: Vec<String> = [
        "/api/events?per_page=20",
        "/api/events?source=RUS*",
        "/api/events/1",
        "/api/documents/1",
        "/api/stats/timeline",
        "/api/stats/dyads",
        "/healthz",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt.block_on(dyad_serve::load::run(a, &paths, 16, 1_000));
    assert_eq!(report.requests, 1_000);
    assert_eq!(report.errors, 0, "{:?}", report.failures);
}

#[test]
fn a_missing_or_corrupt_store_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let e = dyad_serve::AppState::new(&missing, dict(), model(), false)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("no such database"), "{e}");
    assert!(!missing.exists());
    let garbage = dir.path().join("garbage.db");
    let bytes = b"this is not a database at all, just some text ".repeat(40);
    std::fs::write(&garbage, &bytes).unwrap();
    for writable in [false, true] {
        let e = dyad_serve::AppState::new(&garbage, dict(), model(), writable)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("not a dyad database"), "{e}");
        assert_eq!(std::fs::read(&garbage).unwrap(), bytes);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the query string, the answer is 200 or a 400 with a JSON error: never a 500.
    #[test]
    fn any_query_gets_200_or_400(
        path in proptest::sample::select(vec![
            "/api/events", "/api/events/1", "/api/documents/1", "/api/stats/timeline", "/api/stats/dyads",
        ]),
        pairs in proptest::collection::vec(
            (
                proptest::sample::select(vec![
                    "from", "to", "source", "target", "country", "code", "root", "quad",
                    "goldstein_min", "goldstein_max", "words", "url", "include_negated", "page",
                    "per_page", "sort", "order", "by", "limit", "mention_limit", "x",
                ]),
                "\\PC{0,12}",
            ),
            0..4,
        ),
    ) {
        let a = server(false);
        let query = serde_urlencoded::to_string(&pairs).unwrap();
        let r = get(a, &format!("{path}?{query}"));
        proptest::prop_assert!(r.status == 200 || r.status == 400, "{path}?{query}: {} {}", r.status, r.body);
        if r.status == 400 {
            proptest::prop_assert!(r.json()["error"].is_string());
        }
    }
}
