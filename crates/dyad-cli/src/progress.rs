//! A one-line progress display on stderr, shown only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    start: Instant,
    last: Instant,
    docs: u64,
    bytes: u64,
    /// Input bytes read so far, and the total when the inputs are files of known size.
    read: Arc<AtomicU64>,
    total: Option<u64>,
}

impl Progress {
    pub fn new(quiet: bool, read: Arc<AtomicU64>, total: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress {
            enabled: !quiet && std::io::stderr().is_terminal(),
            start: now,
            last: now,
            docs: 0,
            bytes: 0,
            read,
            total,
        }
    }

    pub fn add(&mut self, docs: u64, bytes: u64) {
        self.docs += docs;
        self.bytes += bytes;
        if self.enabled && self.last.elapsed() >= Duration::from_millis(200) {
            self.last = Instant::now();
            self.draw();
        }
    }

    fn draw(&self) {
        let secs = self.start.elapsed().as_secs_f64();
        let share = self.total.map(|t| (self.read.load(Ordering::Relaxed), t));
        eprint!("\r{}   ", line(self.docs, self.bytes, secs, share));
        let _ = std::io::stderr().flush();
    }

    pub fn finish(&self) {
        if self.enabled {
            self.draw();
            eprintln!();
        }
    }
}

/// The progress line: counts and rates, and where the total is known (`share` = bytes read of
/// the input's size) the percentage done and the time left at the rate so far.
fn line(docs: u64, text_bytes: u64, secs: f64, share: Option<(u64, u64)>) -> String {
    let secs = secs.max(1e-9);
    let mut s = String::new();
    if let Some((read, total)) = share.filter(|&(_, t)| t > 0) {
        let done = (read as f64 / total as f64).min(1.0);
        s.push_str(&format!("{:>3.0}%  ", done * 100.0));
        if done > 0.0 && done < 1.0 {
            let left = secs * (1.0 - done) / done;
            s.push_str(&format!("ETA {}  ", clock(left)));
        }
    }
    s.push_str(&format!(
        "{} documents, {:.1} MB  ({:.0} documents/s, {:.1} MB/s)",
        docs,
        text_bytes as f64 / 1e6,
        docs as f64 / secs,
        text_bytes as f64 / 1e6 / secs
    ));
    s
}

/// `1:05:09` or `5:09`.
fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_and_time_left_when_the_total_is_known() {
        // A quarter read in 10 s: 30 s to go.
        let l = line(100, 2_000_000, 10.0, Some((250, 1000)));
        assert!(l.starts_with(" 25%  ETA 0:30  100 documents"), "{l}");
        // Unknown total (stdin): no share, no ETA.
        let l = line(100, 2_000_000, 10.0, None);
        assert!(l.starts_with("100 documents") && !l.contains('%'), "{l}");
        // Done: no ETA.
        assert!(!line(1, 1, 1.0, Some((1000, 1000))).contains("ETA"));
        assert_eq!(clock(3909.0), "1:05:09");
    }
}
