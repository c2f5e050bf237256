//! A bounded load generator for the API: keep-alive HTTP/1.1 connections on loopback, each
//! sending its share of GET requests one after another. Used by `dyad bench --serve` and tests.

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What a load run measured.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub requests: u64,
    /// Requests that failed: connection errors or a status other than 200.
    pub errors: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The first failures, for the message.
    pub failures: Vec<String>,
}

impl LoadReport {
    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
}

/// Sends `requests` GETs of `paths` (in turn) over `connections` connections to `addr`.
pub async fn run(
    addr: SocketAddr,
    paths: &[String],
    connections: usize,
    requests: u64,
) -> LoadReport {
    let start = Instant::now();
    let connections = connections.max(1) as u64;
    let mut tasks = Vec::new();
    for c in 0..connections {
        let share = requests / connections + u64::from(c < requests % connections);
        let paths: Vec<String> = paths.to_vec();
        tasks.push(tokio::spawn(async move {
            connection(addr, paths, c as usize, share).await
        }));
    }
    let mut latencies = Vec::new();
    let mut report = LoadReport::default();
    for t in tasks {
        match t.await {
            Ok((lat, errors, failures)) => {
                latencies.extend(lat);
                report.errors += errors;
                report.failures.extend(failures.into_iter().take(5));
            }
            Err(e) => {
                report.errors += 1;
                report.failures.push(e.to_string());
            }
        }
    }
    report.seconds = start.elapsed().as_secs_f64();
    report.requests = latencies.len() as u64 + report.errors;
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| -> f64 {
        if latencies.is_empty() {
            0.0
        } else {
            latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1]
        }
    };
    report.p50_ms = pct(0.50);
    report.p99_ms = pct(0.99);
    report.max_ms = latencies.last().copied().unwrap_or(0.0);
    report
}

async fn connection(
    addr: SocketAddr,
    paths: Vec<String>,
    first: usize,
    n: u64,
) -> (Vec<f64>, u64, Vec<String>) {
    let mut lat = Vec::with_capacity(n as usize);
    let (mut errors, mut failures) = (0u64, Vec::new());
    let mut stream: Option<BufReader<TcpStream>> = None;
    for i in 0..n {
        let path = &paths[(first + i as usize) % paths.len()];
        let t = Instant::now();
        if stream.is_none() {
            match TcpStream::connect(addr).await {
                Ok(s) => stream = Some(BufReader::new(s)),
                Err(e) => {
                    errors += 1;
                    failures.push(format!("connect: {e}"));
                    continue;
                }
            }
        }
        let s = stream.as_mut().expect("connected above");
        match tokio::time::timeout(Duration::from_secs(30), request(s, path)).await {
            Ok(Ok(200)) => lat.push(t.elapsed().as_secs_f64() * 1000.0),
            Ok(Ok(status)) => {
                errors += 1;
                failures.push(format!("{path}: HTTP {status}"));
            }
            Ok(Err(e)) => {
                errors += 1;
                failures.push(format!("{path}: {e}"));
                stream = None;
            }
            Err(_) => {
                errors += 1;
                failures.push(format!("{path}: no answer in 30 s"));
                stream = None;
            }
        }
    }
    (lat, errors, failures)
}

/// One GET on a kept-alive connection; returns the status after reading the whole body.
async fn request(s: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    s.get_mut().write_all(req.as_bytes()).await?;
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let mut line = String::new();
    s.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| bad("no HTTP status line"))?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    loop {
        line.clear();
        if s.read_line(&mut line).await? == 0 {
            return Err(bad("connection closed in the headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            if k == "content-length" {
                length = v.trim().parse().ok();
            } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            }
        }
    }
    if chunked {
        loop {
            line.clear();
            s.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("bad chunk size"))?;
            let mut buf = vec![0u8; size + 2];
            s.read_exact(&mut buf).await?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut buf = vec![0u8; length.ok_or_else(|| bad("no Content-Length"))?];
        s.read_exact(&mut buf).await?;
    }
    Ok(status)
}
