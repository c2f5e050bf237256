//! Opening inputs: files, directories, stdin; gzip; format sniffing; bounded line reading.

use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use dyad_core::{Document, Origin};
use flate2::read::MultiGzDecoder;

use crate::{
    extract_html_bytes, jsonl, text, warc, Extracted, Format, Options, Record, RecordError,
};

pub(crate) type RecordIter = Box<dyn Iterator<Item = Record> + Send>;
/// Decompressed input with the sniffed head pushed back in front.
pub(crate) type Src = Rewind<BufReader<Box<dyn Read + Send>>>;

/// How many bytes are looked at to guess a format.
const SNIFF_BYTES: usize = 4096;

/// Streams documents from `inputs` (paths, directories, or `-` for stdin), in order.
///
/// Directories are walked recursively in path order; hidden entries are skipped unless
/// [`Options::include_hidden`]. Nothing is read until the iterator is advanced.
pub fn read_inputs(inputs: &[String], opts: &Options) -> Inputs {
    Inputs {
        opts: opts.clone(),
        stack: inputs.iter().rev().cloned().map(Pending::Arg).collect(),
        current: None,
        read: Default::default(),
    }
}

/// The total size in bytes of the files that `read_inputs` would read (directories walked as it
/// walks them), or `None` when stdin is among them or a size cannot be read: for showing
/// progress as a share of the whole.
pub fn input_size(inputs: &[String], opts: &Options) -> Option<u64> {
    fn size(path: &std::path::Path, top: bool, opts: &Options) -> Option<u64> {
        let meta = fs::symlink_metadata(path).ok()?;
        let meta = if meta.file_type().is_symlink() {
            if !top {
                // Not followed when walking either, unless it is a file.
                let m = fs::metadata(path).ok()?;
                return Some(if m.is_file() { m.len() } else { 0 });
            }
            fs::metadata(path).ok()?
        } else {
            meta
        };
        if !meta.is_dir() {
            return Some(meta.len());
        }
        let mut total = 0;
        for entry in fs::read_dir(path).ok()? {
            let entry = entry.ok()?;
            if entry.file_name().to_string_lossy().starts_with('.') && !opts.include_hidden {
                continue;
            }
            total += size(&entry.path(), false, opts)?;
        }
        Some(total)
    }
    let mut total = 0;
    for i in inputs {
        if i == "-" {
            return None;
        }
        total += size(std::path::Path::new(i), true, opts)?;
    }
    Some(total)
}

/// Counts the bytes read from input files (before decompression).
struct Counting {
    inner: fs::File,
    read: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Streams documents from one already-open input. `name` is used in ids and errors and, by its
/// extension, to pick the format (as for a file); an unknown extension means sniffing.
pub fn read_stream(
    name: &str,
    reader: Box<dyn Read + Send>,
    opts: &Options,
) -> impl Iterator<Item = Record> + Send {
    let (fmt, gz) = Format::from_path(name);
    open_reader(name.to_string(), reader, fmt, gz, opts)
}

/// The stream returned by [`read_inputs`].
pub struct Inputs {
    opts: Options,
    /// Inputs still to open, next on top.
    stack: Vec<Pending>,
    current: Option<RecordIter>,
    read: Arc<AtomicU64>,
}

enum Pending {
    Arg(String),
    Entry(PathBuf),
    Fail(RecordError),
}

impl Iterator for Inputs {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(cur) = &mut self.current {
                match cur.next() {
                    Some(r) => return Some(r),
                    None => self.current = None,
                }
            }
            match self.stack.pop()? {
                Pending::Fail(e) => return Some(Err(e)),
                Pending::Arg(a) if a == "-" => {
                    let stdin: Box<dyn Read + Send> = Box::new(io::stdin());
                    self.current = Some(open_reader("-".into(), stdin, None, false, &self.opts));
                }
                Pending::Arg(a) => {
                    let path = PathBuf::from(&a);
                    self.open_path(a, path);
                }
                Pending::Entry(p) => self.open_path(p.display().to_string(), p),
            }
        }
    }
}

impl Inputs {
    /// Bytes read from the input files so far (compressed files count as stored), updated as
    /// the stream is read; compare with [`input_size`].
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.read.clone()
    }

    fn open_path(&mut self, display: String, path: PathBuf) {
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return self.fail(RecordError::new(display, format!("cannot open: {e}"))),
        };
        if meta.is_dir() {
            return self.walk(display, path);
        }
        match fs::File::open(&path) {
            Ok(f) => {
                let (fmt, gz) = Format::from_path(&display);
                let f = Counting {
                    inner: f,
                    read: self.read.clone(),
                };
                self.current = Some(open_reader(display, Box::new(f), fmt, gz, &self.opts));
            }
            Err(e) => self.fail(RecordError::new(display, format!("cannot open: {e}"))),
        }
    }

    fn fail(&mut self, e: RecordError) {
        self.stack.push(Pending::Fail(e));
    }

    fn walk(&mut self, display: String, dir: PathBuf) {
        let rd = match fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) => {
                return self.fail(RecordError::new(
                    display,
                    format!("cannot read directory: {e}"),
                ))
            }
        };
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        for entry in rd {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(RecordError::new(
                        &display,
                        format!("cannot read directory: {e}"),
                    ));
                    continue;
                }
            };
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if hidden && !self.opts.include_hidden {
                continue;
            }
            // Symlinked directories are not followed: they can form cycles.
            let is_link_dir = entry.file_type().is_ok_and(|t| t.is_symlink())
                && fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            if !is_link_dir {
                entries.push(entry.path());
            }
        }
        entries.sort();
        self.stack
            .extend(entries.into_iter().rev().map(Pending::Entry));
        self.stack
            .extend(errors.into_iter().rev().map(Pending::Fail));
    }
}

/// Marks I/O errors that come from the gzip layer so they are reported as such.
#[derive(Debug)]
pub(crate) struct GzFault(String);

impl fmt::Display for GzFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GzFault {}

struct GzGuard<R>(R);

impl<R: Read> Read for GzGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                return e;
            }
            let msg = if e.kind() == io::ErrorKind::UnexpectedEof {
                "truncated gzip".to_string()
            } else {
                format!("corrupt gzip: {e}")
            };
            io::Error::new(e.kind(), GzFault(msg))
        })
    }
}

/// The reason to report for an I/O error.
pub(crate) fn io_reason(e: &io::Error) -> String {
    if let Some(g) = e.get_ref().and_then(|x| x.downcast_ref::<GzFault>()) {
        return g.0.clone();
    }
    format!("read error: {e}")
}

/// A reader with bytes pushed back in front (the sniffed head, or a WARC record found inside
/// another's over-long content).
pub(crate) struct Rewind<R> {
    front: Vec<u8>,
    pos: usize,
    inner: R,
    /// An error met while reading `front`, returned once `front` is used up.
    deferred: Option<io::Error>,
}

impl<R: BufRead> Rewind<R> {
    pub(crate) fn new(front: Vec<u8>, inner: R) -> Self {
        Rewind {
            front,
            pos: 0,
            inner,
            deferred: None,
        }
    }

    fn with_error(mut self, e: Option<io::Error>) -> Self {
        self.deferred = e;
        self
    }

    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        let mut v = Vec::with_capacity(bytes.len() + self.front.len() - self.pos);
        v.extend_from_slice(bytes);
        v.extend_from_slice(&self.front[self.pos..]);
        self.front = v;
        self.pos = 0;
    }
}

impl<R: BufRead> Read for Rewind<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Rewind<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.front.len() {
            Ok(&self.front[self.pos..])
        } else if let Some(e) = self.deferred.take() {
            Err(e)
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, n: usize) {
        if self.pos < self.front.len() {
            self.pos = (self.pos + n).min(self.front.len());
            if self.pos == self.front.len() {
                self.front = Vec::new();
                self.pos = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

/// Result of [`read_line_bounded`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    Eof,
    /// A line (with its `\n`, if any) is in the buffer.
    Read,
    /// The line had this many bytes, more than the limit; it was consumed but not kept.
    TooLong(u64),
}

/// Reads one line into `buf` (cleared first) without ever holding more than `max` bytes of it.
pub(crate) fn read_line_bounded<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(match (total, too_long) {
                (0, _) => Line::Eof,
                (_, true) => Line::TooLong(total),
                _ => Line::Read,
            });
        }
        let (n, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        total += n as u64;
        if !too_long {
            if buf.len() + n > max.saturating_add(1) {
                too_long = true;
                buf.clear();
                buf.shrink_to(SNIFF_BYTES);
            } else {
                buf.extend_from_slice(&avail[..n]);
            }
        }
        r.consume(n);
        if done {
            return Ok(if too_long {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}

/// Appends at most `limit` bytes, up to and including the next `\n`; returns the count.
pub(crate) fn read_line_limited<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<usize> {
    let start = buf.len();
    loop {
        let room = limit - (buf.len() - start);
        if room == 0 {
            break;
        }
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        let take = &avail[..avail.len().min(room)];
        match memchr::memchr(b'\n', take) {
            Some(i) => {
                buf.extend_from_slice(&take[..=i]);
                r.consume(i + 1);
                break;
            }
            None => {
                let n = take.len();
                buf.extend_from_slice(take);
                r.consume(n);
            }
        }
    }
    Ok(buf.len() - start)
}

/// Reads up to `limit` bytes; returns them and whether the input had more.
pub(crate) fn read_bounded<R: Read + ?Sized>(
    r: &mut R,
    limit: usize,
) -> io::Result<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    r.take(limit as u64 + 1).read_to_end(&mut out)?;
    let more = out.len() > limit;
    out.truncate(limit);
    Ok((out, more))
}

/// Wraps the raw input (decompressing, sniffing) and picks the record reader.
pub(crate) fn open_reader(
    path: String,
    raw: Box<dyn Read + Send>,
    fmt: Option<Format>,
    gz: bool,
    opts: &Options,
) -> RecordIter {
    let raw: Box<dyn Read + Send> = if gz {
        Box::new(GzGuard(MultiGzDecoder::new(BufReader::new(raw))))
    } else {
        raw
    };
    let mut br = BufReader::with_capacity(64 * 1024, raw);
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    // An error after some bytes (a gzip cut early) is kept for the reader to report in order.
    let deferred = fill_head(&mut br, &mut head, SNIFF_BYTES).err();
    if head.is_empty() {
        let reason = deferred.map_or_else(|| "empty file".to_string(), |e| io_reason(&e));
        return one(Err(RecordError::new(path, reason)));
    }
    if fmt.is_none() && !gz && head.starts_with(&[0x1f, 0x8b]) && deferred.is_none() {
        let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(br));
        return open_reader(path, chained, None, true, opts);
    }
    let sniffed = sniff(&head);
    let fmt = match (fmt, sniffed) {
        (Some(f @ (Format::Jsonl | Format::Warc)), _) => f,
        (_, None) => return one(Err(RecordError::new(path, "binary file, skipped"))),
        (Some(f), Some(_)) => f,
        (None, Some(f)) => f,
    };
    let src = Rewind::new(head, br).with_error(deferred);
    match fmt {
        Format::Text => Box::new(text::TextReader::new(path, src, opts.max_document_bytes)),
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(path, src, opts.max_document_bytes)),
        Format::Warc => Box::new(warc::WarcReader::new(path, src, opts.max_document_bytes)),
        Format::Html => {
            let max = opts.max_document_bytes;
            let mut src = src;
            Box::new(std::iter::once_with(move || {
                read_html_file(path, &mut src, max)
            }))
        }
    }
}

/// Fills `buf` with up to `n` bytes (several reads: a gzip decoder may return little at a time).
fn fill_head<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, n: usize) -> io::Result<()> {
    while buf.len() < n {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        let k = avail.len().min(n - buf.len());
        buf.extend_from_slice(&avail[..k]);
        r.consume(k);
    }
    Ok(())
}

fn one(r: Record) -> RecordIter {
    Box::new(std::iter::once(r))
}

fn read_html_file(path: String, src: &mut Src, max: usize) -> Record {
    let (bytes, more) =
        read_bounded(src, max).map_err(|e| RecordError::new(&path, io_reason(&e)))?;
    if more {
        return Err(RecordError::new(
            path,
            format!(
                "page over the {} limit of one document, skipped",
                crate::size_words(max)
            ),
        ));
    }
    let ex = extract_html_bytes(&bytes, None, None);
    let origin = Origin {
        path: path.clone(),
        ..Default::default()
    };
    document_from_html(ex, path.clone(), origin).map_err(|reason| RecordError::new(path, reason))
}

/// Builds a document from extracted HTML; `Err` with the reason when there is no main text.
pub(crate) fn document_from_html(
    ex: Extracted,
    id: String,
    origin: Origin,
) -> Result<Document, String> {
    if ex.text.trim().is_empty() {
        return Err("no main text".into());
    }
    Ok(Document {
        id,
        url: ex.url,
        title: ex.title,
        author: ex.author,
        published: ex.published,
        modified: ex.modified,
        source: ex.source,
        language: ex.language,
        text: ex.text,
        origin,
        warnings: ex.warnings,
    })
}

/// Guesses the format of `head`; `None` for binary data.
pub(crate) fn sniff(head: &[u8]) -> Option<Format> {
    if looks_binary(head) {
        return None;
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let t = &body[start..];
    if t.starts_with(b"WARC/") {
        return Some(Format::Warc);
    }
    if t.first() == Some(&b'{') {
        return Some(Format::Jsonl);
    }
    let lower: Vec<u8> = t.iter().take(1024).map(u8::to_ascii_lowercase).collect();
    const MARKERS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<div",
        b"<p>",
        b"<p ",
        b"<article",
        b"<!--",
    ];
    if lower.first() == Some(&b'<')
        && MARKERS
            .iter()
            .any(|m| memchr::memmem::find(&lower, m).is_some())
    {
        return Some(Format::Html);
    }
    Some(Format::Text)
}

/// NUL bytes, or more than 30% control bytes and invalid UTF-8.
fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let mut bad = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    let mut rest = head;
    while let Err(e) = std::str::from_utf8(rest) {
        match e.error_len() {
            Some(l) => {
                bad += l;
                rest = &rest[e.valid_up_to() + l..];
            }
            None => break, // cut mid-character at the end of the head
        }
    }
    bad * 10 > head.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), Some(Format::Html));
        assert_eq!(sniff(b"<div class=x>hi</div>"), Some(Format::Html));
        assert_eq!(sniff(b"WARC/1.0\r\n"), Some(Format::Warc));
        assert_eq!(sniff(b"\n{\"text\":1}"), Some(Format::Jsonl));
        assert_eq!(sniff(b"Plain news text.\n"), Some(Format::Text));
        assert_eq!(sniff(b"<3 is a heart"), Some(Format::Text));
        assert_eq!(
            sniff(b"caf\xe9 latin-1 text is still text"),
            Some(Format::Text)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), None);
        assert_eq!(sniff(&[0xff, 0xfe, 0x80, 0x81, 0x82, 0x90, b'a']), None);
    }

    #[test]
    fn bounded_line_reader_skips_long_lines() {
        let data = b"short\nthis line is far too long\nok";
        let mut r = io::Cursor::new(&data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(buf, b"short\n");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 10).unwrap(),
            Line::TooLong(26)
        );
        assert!(buf.is_empty());
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), Line::Read);
        assert_eq!(buf, b"ok");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 10).unwrap(), Line::Eof);
    }

    #[test]
    fn rewind_serves_pushed_back_bytes_first() {
        let mut r = Rewind::new(b"ab".to_vec(), io::Cursor::new(b"cd".to_vec()));
        let mut one = [0u8; 1];
        r.read_exact(&mut one).unwrap();
        r.unread(b"XY");
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "XYbcd");
    }
}
