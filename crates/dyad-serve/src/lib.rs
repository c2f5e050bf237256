//! `dyad serve`: a JSON API and an embedded web UI over a store.
//!
//! - Reads go through a small pool of read-only connections, on blocking threads, so a running
//!   ingest never stops them (WAL) and they never write.
//! - Every error is a JSON `{"error": "..."}` with a 4xx status for anything the client sent
//!   wrong; handlers never panic on input, and a failed request leaves the server serving.
//! - Writing (`POST /api/documents`) exists only when the server was started writable.
//! - The UI is three static files compiled into the binary, served with a strict
//!   Content-Security-Policy: no inline script, nothing from other origins.

mod api;
pub mod load;
mod params;

pub use api::{router, AppState, Limits, MAX_BODY};
pub use params::{FILTER_NAMES, PAGE_PARAMS};

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Errors of the server's setup (requests report theirs as JSON).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] dyad_store::Error),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("`{addr}` is not an address to listen on ({reason}); give HOST:PORT, e.g. 127.0.0.1:8080 or localhost:8080")]
    Address { addr: String, reason: String },
    #[error("refusing --writable on {addr}: other machines can reach it and the API has no authentication; listen on loopback (127.0.0.1), or add --allow-remote-writes if anyone who can reach it may store documents")]
    RemoteWrites { addr: SocketAddr },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// `HOST:PORT` with a host name (`localhost:8080`) or an IP address (`[::1]:8080`). A name with
/// several addresses gives the first.
pub fn resolve_addr(addr: &str) -> Result<SocketAddr, Error> {
    use std::net::ToSocketAddrs;
    let bad = |reason: String| Error::Address {
        addr: addr.to_string(),
        reason,
    };
    addr.to_socket_addrs()
        .map_err(|e| bad(e.to_string()))?
        .next()
        .ok_or_else(|| bad("the name has no address".into()))
}

/// How to run the server.
pub struct Config {
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// Allow `POST /api/documents` to code and store documents.
    pub writable: bool,
    /// Allow `writable` on an address that is not loopback.
    pub allow_remote_writes: bool,
    /// Time limits of slow clients and of coding.
    pub limits: Limits,
}

/// Serves until Ctrl-C. `on_ready` gets the bound address (port 0 picks a free one).
pub fn run(
    config: Config,
    dict: dyad_dict::Dictionary,
    syntax: dyad_syntax::Model,
    geo: Option<dyad_geo::Geo>,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), Error> {
    if !config.addr.ip().is_loopback() {
        if config.writable && !config.allow_remote_writes {
            return Err(Error::RemoteWrites { addr: config.addr });
        }
        tracing::warn!(
            "listening on {}: other machines can reach this server (no authentication, no encryption)",
            config.addr
        );
    }
    let limits = config.limits;
    let state = Arc::new(
        AppState::new(&config.db, dict, syntax, config.writable)?
            .with_limits(limits)
            .with_geo(geo),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("dyad-serve")
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: config.addr,
                source,
            })?;
        on_ready(listener.local_addr()?);
        let app = router(state);
        // hyper's own connection loop rather than `axum::serve`, which sets no timer: without
        // one a client that never finishes its headers holds its connection forever.
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_time);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let stream = match accepted {
                        Ok((stream, _)) => stream,
                        Err(e) => {
                            // Out of file descriptors and the like: pause rather than spin.
                            tracing::warn!("accepting a connection failed: {e}");
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                            continue;
                        }
                    };
                    let conn = http.serve_connection(
                        TokioIo::new(stream),
                        TowerToHyperService::new(app.clone()),
                    );
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!("connection ended: {e}");
                        }
                    });
                }
                _ = &mut stop => break,
            }
        }
        graceful.shutdown().await;
        Ok(())
    })
}
