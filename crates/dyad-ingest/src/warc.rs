//! WARC files (ISO 28500): `response` records holding HTTP responses, and `resource` records.
//!
//! The reader is deliberately forgiving: a malformed or truncated record becomes one error with
//! its byte offset, and reading resumes at the next line that starts with `WARC/1.`. A record
//! whose declared length runs past the start of the next record (a cut record in a concatenated
//! file) is detected and the next record is recovered from the over-read bytes.

use std::io::{self, BufRead, Read};

use dyad_core::{Document, Origin};
use flate2::read::{GzDecoder, ZlibDecoder};

use crate::input::{document_from_html, io_reason, read_bounded, read_line_limited, sniff, Rewind};
use crate::text::normalize_paragraphs;
use crate::{date, extract_html_bytes, Format, Record, RecordError};

/// Header lines longer than this, or headers larger in total, mean the record is garbage.
const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADERS: usize = 1 << 20;

pub(crate) struct WarcReader<R> {
    path: String,
    src: Rewind<R>,
    /// Bytes consumed so far (in the decompressed stream).
    offset: u64,
    max: usize,
    done: bool,
}

enum Step {
    Doc(Box<Document>),
    Skip,
    Error(RecordError),
    Eof,
}

struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn starts_record(line: &[u8]) -> bool {
    line.starts_with(b"WARC/1.") || line.starts_with(b"WARC/0.")
}

/// Position of a record start inside `buf` (not at 0). A cut record is followed directly by
/// the next one, so the version line need not start a line; requiring a WARC header right after
/// it keeps pages that merely mention "WARC/1.0" from matching.
fn find_record_start(buf: &[u8]) -> Option<usize> {
    let mut from = 1;
    while from < buf.len() {
        let at = from + memchr::memmem::find(&buf[from..], b"WARC/1.")?;
        let rest = &buf[at..];
        let after_version =
            memchr::memchr(b'\n', &rest[..rest.len().min(16)]).map(|n| &rest[n + 1..]);
        if let Some(next) = after_version {
            if next.starts_with(b"WARC-") || next.starts_with(b"Content-") || next.is_empty() {
                return Some(at);
            }
        }
        from = at + 1;
    }
    None
}

impl<R: BufRead> WarcReader<R> {
    pub(crate) fn new(path: String, src: Rewind<R>, max: usize) -> Self {
        WarcReader {
            path,
            src,
            offset: 0,
            max,
            done: false,
        }
    }

    fn error(&self, at: u64, reason: impl Into<String>) -> RecordError {
        RecordError::new(&self.path, reason).at_offset(at)
    }

    fn read_line(&mut self, buf: &mut Vec<u8>, limit: usize) -> io::Result<usize> {
        buf.clear();
        let n = read_line_limited(&mut self.src, buf, limit)?;
        self.offset += n as u64;
        Ok(n)
    }

    fn unread(&mut self, bytes: &[u8]) {
        self.src.unread(bytes);
        self.offset -= bytes.len() as u64;
    }

    /// Skips blank lines between records; `false` at end of input.
    fn skip_blank(&mut self) -> io::Result<bool> {
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let n = buf
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
                .count();
            if n == 0 {
                return Ok(true);
            }
            self.src.consume(n);
            self.offset += n as u64;
        }
    }

    /// Skips to the next line that starts a record; returns the bytes skipped.
    fn resync(&mut self) -> io::Result<u64> {
        let start = self.offset;
        let mut line = Vec::new();
        loop {
            if self.read_line(&mut line, MAX_HEADER_LINE)? == 0 {
                return Ok(self.offset - start);
            }
            if starts_record(&line) {
                self.unread(&line);
                return Ok(self.offset - start);
            }
        }
    }

    fn skip_bytes(&mut self, n: u64) -> io::Result<u64> {
        let copied = io::copy(&mut (&mut self.src).take(n), &mut io::sink())?;
        self.offset += copied;
        Ok(copied)
    }

    fn step(&mut self) -> io::Result<Step> {
        if !self.skip_blank()? {
            return Ok(Step::Eof);
        }
        let at = self.offset;
        let mut line = Vec::new();
        self.read_line(&mut line, MAX_HEADER_LINE)?;
        if !starts_record(&line) {
            let skipped = line.len() as u64 + self.resync()?;
            return Ok(Step::Error(self.error(
                at,
                format!("malformed WARC record: no WARC/1.x version line, skipped {skipped} bytes"),
            )));
        }

        let mut headers: Vec<(String, String)> = Vec::new();
        let mut total = 0;
        loop {
            let n = self.read_line(&mut line, MAX_HEADER_LINE)?;
            total += n;
            if n == 0 {
                return Ok(Step::Error(
                    self.error(at, "truncated WARC record: headers cut short"),
                ));
            }
            if starts_record(&line) {
                self.unread(&line);
                return Ok(Step::Error(
                    self.error(at, "truncated WARC record: headers cut short"),
                ));
            }
            if !line.ends_with(b"\n") || total > MAX_HEADERS {
                self.resync()?;
                return Ok(Step::Error(
                    self.error(at, "malformed WARC record: header too long"),
                ));
            }
            let l = String::from_utf8_lossy(&line);
            let l = l.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                break;
            }
            if l.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(l.trim());
                }
                continue;
            }
            match l.split_once(':') {
                Some((k, v)) => headers.push((k.trim().to_string(), v.trim().to_string())),
                None => {
                    self.resync()?;
                    return Ok(Step::Error(
                        self.error(at, format!("malformed WARC header line {l:?}")),
                    ));
                }
            }
        }
        let headers = Headers(headers);
        let Some(len) = headers
            .get("Content-Length")
            .and_then(|v| v.parse::<u64>().ok())
        else {
            self.resync()?;
            return Ok(Step::Error(self.error(
                at,
                "malformed WARC record: missing or bad Content-Length",
            )));
        };
        let kind = headers.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        let wanted = kind == "response" || kind == "resource";
        if !wanted || len > self.max as u64 {
            let got = self.skip_bytes(len)?;
            if got < len {
                return Ok(Step::Error(self.error(
                    at,
                    format!("truncated WARC record: expected {len} content bytes, got {got}"),
                )));
            }
            if wanted {
                return Ok(Step::Error(self.error(
                    at,
                    format!(
                        "WARC record of {len} bytes is over the {} limit of one document, skipped",
                        crate::size_words(self.max)
                    ),
                )));
            }
            return Ok(Step::Skip);
        }

        let mut content = Vec::with_capacity(len as usize);
        (&mut self.src).take(len).read_to_end(&mut content)?;
        self.offset += content.len() as u64;
        if (content.len() as u64) < len {
            // A cut record in a concatenated file: the next record may start inside what we read.
            if let Some(p) = find_record_start(&content) {
                self.unread(&content[p..]);
            }
            return Ok(Step::Error(self.error(
                at,
                format!(
                    "truncated WARC record: expected {len} content bytes, got {}",
                    content.len()
                ),
            )));
        }
        // The block must be followed by a blank line; if not, the length was wrong.
        let next = self.src.fill_buf()?;
        let well_ended = next.starts_with(b"\r\n\r\n")
            || next.starts_with(b"\n\n")
            || (next.len() < 4 && next.iter().all(|b| matches!(b, b'\r' | b'\n')));
        if !well_ended {
            if let Some(p) = find_record_start(&content) {
                self.unread(&content[p..]);
                return Ok(Step::Error(self.error(
                    at,
                    "malformed WARC record: Content-Length runs into the next record",
                )));
            }
        }
        Ok(self.record(at, &headers, &kind, &content))
    }

    fn record(&self, at: u64, h: &Headers, kind: &str, content: &[u8]) -> Step {
        let uri = h
            .get("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']).to_string());
        let id = uri
            .clone()
            .or_else(|| {
                h.get("WARC-Record-ID")
                    .map(|r| r.trim_matches(['<', '>']).to_string())
            })
            .unwrap_or_else(|| format!("{}@{at}", self.path));
        let (ctype, body) = if kind == "response" {
            if !content.starts_with(b"HTTP/") {
                // DNS, whois and similar responses.
                return Step::Skip;
            }
            match http_payload(content, self.max) {
                Ok(Some(x)) => x,
                Ok(None) => return Step::Skip,
                Err(reason) => return Step::Error(self.error(at, reason)),
            }
        } else {
            (
                h.get("Content-Type").unwrap_or("").to_ascii_lowercase(),
                content.to_vec(),
            )
        };
        let fmt = if ctype.contains("html") {
            Some(Format::Html)
        } else if ctype.starts_with("text/plain") {
            Some(Format::Text)
        } else if ctype.is_empty() {
            sniff(&body[..body.len().min(4096)])
                .filter(|f| matches!(f, Format::Html | Format::Text))
        } else {
            None
        };
        let origin = Origin {
            path: self.path.clone(),
            line: None,
            offset: Some(at),
        };
        let warc_date = h.get("WARC-Date").and_then(date::normalize);
        let result = match fmt {
            None => return Step::Skip,
            Some(Format::Html) => {
                let charset = charset_of(&ctype);
                let ex = extract_html_bytes(&body, uri.as_deref(), charset.as_deref());
                document_from_html(ex, id, origin)
            }
            Some(_) => {
                let mut warnings = Vec::new();
                let text = match String::from_utf8_lossy(&body) {
                    std::borrow::Cow::Borrowed(s) => normalize_paragraphs(s),
                    std::borrow::Cow::Owned(s) => {
                        warnings.push("invalid UTF-8 replaced".to_string());
                        normalize_paragraphs(&s)
                    }
                };
                if text.is_empty() {
                    Err("no main text".to_string())
                } else {
                    Ok(Document {
                        id,
                        text,
                        origin,
                        warnings,
                        ..Default::default()
                    })
                }
            }
        };
        match result {
            Ok(mut d) => {
                if uri.is_some() {
                    d.url = uri;
                }
                if d.published.is_none() {
                    d.published = warc_date;
                }
                Step::Doc(Box::new(d))
            }
            Err(reason) => Step::Error(self.error(at, reason)),
        }
    }
}

fn charset_of(ctype: &str) -> Option<String> {
    let p = ctype.find("charset=")?;
    let v = ctype[p + 8..]
        .trim_start_matches(['"', '\''])
        .split(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .next()?;
    (!v.is_empty()).then(|| v.to_string())
}

/// Splits an HTTP response into (content type, decoded body). `Ok(None)` for responses that
/// are not documents (redirects, errors).
fn http_payload(content: &[u8], max: usize) -> Result<Option<(String, Vec<u8>)>, String> {
    let (head_end, body_start) = match memchr::memmem::find(content, b"\r\n\r\n") {
        Some(p) => (p, p + 4),
        None => match memchr::memmem::find(content, b"\n\n") {
            Some(p) => (p, p + 2),
            None => return Err("malformed HTTP response: no end of headers".into()),
        },
    };
    let head = String::from_utf8_lossy(&content[..head_end]);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("malformed HTTP status line")?;
    if !(200..300).contains(&status) {
        return Ok(None);
    }
    let mut ctype = String::new();
    let mut chunked = false;
    let mut encoding = String::new();
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let v = v.trim().to_ascii_lowercase();
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => ctype = v,
                "transfer-encoding" => chunked = v.contains("chunked"),
                "content-encoding" => encoding = v,
                _ => {}
            }
        }
    }
    let mut body = content[body_start..].to_vec();
    if chunked {
        // Some crawlers store the de-chunked body but keep the header: only de-chunk if valid.
        if let Some(b) = dechunk(&body) {
            body = b;
        }
    }
    match encoding.as_str() {
        "" | "identity" => {}
        "gzip" | "x-gzip" => body = inflate(GzDecoder::new(&body[..]), max, "gzip")?,
        "deflate" => {
            body = inflate(ZlibDecoder::new(&body[..]), max, "deflate").or_else(|_| {
                inflate(flate2::read::DeflateDecoder::new(&body[..]), max, "deflate")
            })?
        }
        other => return Err(format!("unsupported HTTP Content-Encoding {other:?}")),
    }
    Ok(Some((ctype, body)))
}

fn inflate<R: Read>(mut r: R, max: usize, what: &str) -> Result<Vec<u8>, String> {
    let (out, more) =
        read_bounded(&mut r, max).map_err(|e| format!("bad {what} HTTP payload: {e}"))?;
    if more {
        return Err(format!(
            "HTTP payload over the {} limit of one document after {what}",
            crate::size_words(max)
        ));
    }
    Ok(out)
}

/// Decodes `Transfer-Encoding: chunked`; `None` if the body is not validly chunked.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let nl = memchr::memchr(b'\n', b)?;
        let size_line = std::str::from_utf8(&b[..nl]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            return None;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
        if b.is_empty() {
            // Missing last chunk: keep what we have.
            return Some(out);
        }
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            match self.step() {
                Ok(Step::Doc(d)) => return Some(Ok(*d)),
                Ok(Step::Skip) => {}
                Ok(Step::Error(e)) => return Some(Err(e)),
                Ok(Step::Eof) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.error(self.offset, io_reason(&e))));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    pub(crate) fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2017-07-08T01:02:03Z\r\n\
             WARC-Record-ID: <urn:uuid:{uri}>\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn read(data: Vec<u8>) -> Vec<Record> {
        let src = Rewind::new(Vec::new(), Cursor::new(data));
        WarcReader::new("t.warc".into(), src, 1 << 20).collect()
    }

    const PAGE: &str = "<html><body><article><h1>Headline of the story</h1>\
        <p>First paragraph of the story, which is long enough.</p></article></body></html>";

    fn http(body: &[u8], extra: &str) -> Vec<u8> {
        let mut v =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{extra}\r\n")
                .into_bytes();
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn reads_responses_and_skips_other_records() {
        let mut data = record("warcinfo", "", b"software: x\r\n");
        data.extend(record("request", "http://a/1", b"GET / HTTP/1.1\r\n\r\n"));
        data.extend(record("response", "http://a/1", &http(PAGE.as_bytes(), "")));
        data.extend(record(
            "response",
            "http://a/2",
            b"HTTP/1.1 404 Not Found\r\n\r\nnope",
        ));
        let recs = read(data);
        assert_eq!(recs.len(), 1, "{recs:?}");
        let d = recs[0].as_ref().unwrap();
        assert_eq!(d.id, "http://a/1");
        assert_eq!(d.url.as_deref(), Some("http://a/1"));
        assert_eq!(d.published.as_deref(), Some("2017-07-08T01:02:03Z"));
        assert_eq!(
            d.text,
            "Headline of the story\n\nFirst paragraph of the story, which is long enough."
        );
        assert!(d.origin.offset.unwrap() > 0);
    }

    #[test]
    fn chunked_and_gzip_payloads() {
        let mut chunked = Vec::new();
        for part in PAGE.as_bytes().chunks(40) {
            chunked.extend(format!("{:x}\r\n", part.len()).into_bytes());
            chunked.extend_from_slice(part);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, PAGE.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let mut data = record(
            "response",
            "http://a/c",
            &http(&chunked, "Transfer-Encoding: chunked\r\n"),
        );
        data.extend(record(
            "response",
            "http://a/g",
            &http(&gz, "Content-Encoding: gzip\r\n"),
        ));
        let recs = read(data);
        assert_eq!(recs.len(), 2);
        for r in recs {
            assert!(r
                .unwrap()
                .text
                .starts_with("Headline of the story\n\nFirst"));
        }
    }

    #[test]
    fn truncated_record_is_reported_and_next_one_recovered() {
        let good = record("response", "http://a/1", &http(PAGE.as_bytes(), ""));
        let mut cut = good.clone();
        cut.truncate(good.len() - 60);
        let mut data = cut;
        data.extend(record("response", "http://a/2", &http(PAGE.as_bytes(), "")));
        let recs = read(data);
        assert_eq!(recs.len(), 2, "{recs:?}");
        let e = recs[0].as_ref().unwrap_err();
        assert_eq!(e.offset, Some(0));
        assert!(e.reason.contains("runs into the next record"), "{e}");
        assert_eq!(recs[1].as_ref().unwrap().id, "http://a/2");
    }

    #[test]
    fn garbage_and_bad_headers_resync() {
        let mut data = b"garbage line\r\nmore\r\n".to_vec();
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n");
        data.extend(record("response", "http://a/3", &http(PAGE.as_bytes(), "")));
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 500\r\n\r\nshort");
        let recs = read(data);
        let shape: Vec<String> = recs
            .iter()
            .map(|r| match r {
                Ok(d) => d.id.clone(),
                Err(e) => e.reason.clone(),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                "malformed WARC record: no WARC/1.x version line, skipped 20 bytes".to_string(),
                "malformed WARC record: missing or bad Content-Length".to_string(),
                "http://a/3".to_string(),
                "truncated WARC record: expected 500 content bytes, got 5".to_string(),
            ]
        );
    }
}
