//! `read_inputs` over real files: every format, directories, and bad input of each kind.

use std::io::Write;
use std::path::{Path, PathBuf};

use dyad_core::Document;
use dyad_ingest::{read_inputs, Options, Record, RecordError};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("dyad-ingest-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn write(&self, name: &str, data: &[u8]) -> String {
        let p = self.0.join(name);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p.display().to_string()
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(inputs: &[String]) -> Vec<Record> {
    read_inputs(inputs, &Options::default()).collect()
}

fn docs(recs: &[Record]) -> Vec<&Document> {
    recs.iter().filter_map(|r| r.as_ref().ok()).collect()
}

fn errors(recs: &[Record]) -> Vec<&RecordError> {
    recs.iter().filter_map(|r| r.as_ref().err()).collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const PAGE: &str = "<!DOCTYPE html><html><head><title>Story title here - Site</title></head><body>\
    <article><h1>Story title here</h1><p>The first paragraph of a story, long enough to count.</p>\
    </article></body></html>";

fn jsonl_line(id: u32) -> String {
    format!("{{\"id\": \"doc-{id}\", \"text\": \"Paragraph number {id}.\"}}\n")
}

#[test]
fn the_iterator_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&read_inputs(&[], &Options::default()));
}

#[test]
fn each_format_by_extension_and_sniffing() {
    let t = TempDir::new("formats");
    let txt = t.write("a.txt", b"Plain text.\n\nSecond paragraph.\n");
    let html = t.write("b.html", PAGE.as_bytes());
    let jsonl = t.write("c.jsonl", (jsonl_line(1) + &jsonl_line(2)).as_bytes());
    let jsonl_gz = t.write("d.ndjson.gz", &gzip(jsonl_line(3).as_bytes()));
    let sniff_html = t.write("e.page", PAGE.as_bytes());
    let sniff_json = t.write("f.data", jsonl_line(4).as_bytes());
    let sniff_gz = t.write("g.bin", &gzip(PAGE.as_bytes()));
    let sniff_text = t.write("README", b"Just some notes.");
    let recs = read(&[
        txt.clone(),
        html.clone(),
        jsonl,
        jsonl_gz,
        sniff_html.clone(),
        sniff_json,
        sniff_gz.clone(),
        sniff_text.clone(),
    ]);
    assert!(errors(&recs).is_empty(), "{:?}", errors(&recs));
    let d = docs(&recs);
    let ids: Vec<&str> = d.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 9, "{ids:?}");
    assert_eq!(ids[0], txt);
    assert_eq!(d[0].text, "Plain text.\n\nSecond paragraph.\n");
    assert_eq!(ids[1], html);
    assert_eq!(
        d[1].text,
        "Story title here\n\nThe first paragraph of a story, long enough to count."
    );
    assert_eq!(d[1].title.as_deref(), Some("Story title here"));
    assert_eq!(&ids[2..5], &["doc-1", "doc-2", "doc-3"]);
    assert_eq!(ids[5], sniff_html);
    assert_eq!(d[5].text, d[1].text);
    assert_eq!(ids[6], "doc-4");
    assert_eq!(ids[7], sniff_gz);
    assert_eq!(d[7].text, d[1].text);
    assert_eq!(ids[8], sniff_text);
    assert_eq!(d[8].text, "Just some notes.");
}

#[test]
fn directories_are_walked_recursively_in_path_order() {
    let t = TempDir::new("walk");
    t.write("b/2.txt", b"two");
    t.write("b/1.txt", b"one");
    t.write("a.txt", b"zero");
    t.write("c/d/3.txt", b"three");
    t.write(".hidden/x.txt", b"hidden");
    t.write(".DS_Store", b"\0\0\0binary");
    let recs = read(&[t.path()]);
    assert!(errors(&recs).is_empty(), "{:?}", errors(&recs));
    let texts: Vec<&str> = docs(&recs).iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["zero", "one", "two", "three"]);
}

#[test]
fn missing_files_and_unreadable_directories_are_errors_and_reading_goes_on() {
    let t = TempDir::new("missing");
    let ok = t.write("ok.txt", b"fine");
    let missing = t.0.join("nope.txt").display().to_string();
    let locked = t.0.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("x.txt"), b"secret").unwrap();
    let locked_s = locked.display().to_string();
    set_mode(&locked, 0o000);
    // root can read any directory: then only the missing file can fail.
    let unreadable = std::fs::read_dir(&locked).is_err();
    let recs = read(&[missing.clone(), locked_s.clone(), ok.clone()]);
    set_mode(&locked, 0o755);
    let errs = errors(&recs);
    assert_eq!(errs[0].path, missing);
    assert!(errs[0].reason.starts_with("cannot open: "), "{}", errs[0]);
    if unreadable {
        assert_eq!(errs[1].path, locked_s);
        assert!(
            errs[1].reason.starts_with("cannot read directory: "),
            "{}",
            errs[1]
        );
    }
    assert_eq!(docs(&recs).last().unwrap().id, ok);
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[test]
fn empty_and_binary_files_are_one_clear_error_each() {
    let t = TempDir::new("bad");
    let empty = t.write("empty.txt", b"");
    let empty_jsonl = t.write("empty.jsonl", b"");
    let binary = t.write(
        "photo.jpg",
        &[
            0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
        ],
    );
    let binary_txt = t.write("fake.txt", b"abc\0\0\0\x01\x02");
    let empty_gz = t.write("empty.jsonl.gz", &gzip(b""));
    let recs = read(&[
        empty.clone(),
        empty_jsonl,
        binary.clone(),
        binary_txt,
        empty_gz,
    ]);
    let reasons: Vec<String> = errors(&recs).iter().map(|e| e.to_string()).collect();
    assert_eq!(recs.len(), 5);
    assert_eq!(reasons[0], format!("{empty}: empty file"));
    assert_eq!(reasons[2], format!("{binary}: binary file, skipped"));
    assert!(reasons[1].ends_with("empty file") && reasons[3].ends_with("binary file, skipped"));
    assert!(reasons[4].ends_with("empty file"), "{}", reasons[4]);
}

#[test]
fn invalid_utf8_text_is_replaced_with_a_warning() {
    let t = TempDir::new("utf8");
    let p = t.write("latin1.txt", b"Caf\xe9 owner says \x93hello\x94.\r\n");
    let recs = read(&[p]);
    let d = recs[0].as_ref().unwrap();
    assert_eq!(d.text, "Caf\u{FFFD} owner says \u{FFFD}hello\u{FFFD}.\n");
    assert_eq!(d.warnings, ["invalid UTF-8 replaced"]);
}

#[test]
fn html_charset_is_honoured() {
    let t = TempDir::new("charset");
    let page = b"<html><head><meta charset=iso-8859-1><title>x</title></head><body><article>\
        <h1>Caf\xe9 owners protest new rules</h1><p>The owners said \x93no\x94 to the plan on Monday, \
        in a long statement.</p></article></body></html>";
    let p = t.write("latin1.html", page);
    let recs = read(&[p]);
    let d = recs[0].as_ref().unwrap();
    assert_eq!(
        d.text,
        "Caf\u{e9} owners protest new rules\n\nThe owners said \u{201C}no\u{201D} to the plan on Monday, in a long statement."
    );
    assert!(d.warnings.is_empty());
    // Without a declared charset the bytes are replaced, with a warning.
    let p = t.write("nocharset.html", &page.to_vec().replace_meta());
    let recs = read(&[p]);
    let d = recs[0].as_ref().unwrap();
    assert!(d.text.starts_with("Caf\u{FFFD} owners"));
    assert_eq!(d.warnings, ["invalid UTF-8 replaced"]);
}

trait ReplaceMeta {
    fn replace_meta(self) -> Vec<u8>;
}

impl ReplaceMeta for Vec<u8> {
    /// Drops the `<meta charset=...>` tag.
    fn replace_meta(self) -> Vec<u8> {
        let s = b"<meta charset=iso-8859-1>";
        let at = self.windows(s.len()).position(|w| w == s).unwrap();
        [&self[..at], &self[at + s.len()..]].concat()
    }
}

#[test]
fn html_without_main_text_is_an_error() {
    let t = TempDir::new("nomain");
    let a = t.write("scripts.html", b"<html><head><script>var x = 1;</script></head><body><script>document.write('<p>hi</p>')</script></body></html>");
    let b = t.write(
        "nobody.html",
        b"<html><head><title>Nothing</title></head></html>",
    );
    let recs = read(&[a, b]);
    let reasons: Vec<&str> = errors(&recs).iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, ["no main text", "no main text"]);
}

#[test]
fn malformed_jsonl_lines_are_reported_with_line_numbers() {
    let t = TempDir::new("jsonl");
    let data = format!(
        "{}{{\"id\": 1, \"text\": \n{}\n\n{{\"text\": 5}}\n{}",
        jsonl_line(1),
        "not json",
        jsonl_line(5)
    );
    let p = t.write("feed.jsonl", data.as_bytes());
    let recs = read(std::slice::from_ref(&p));
    let errs: Vec<String> = errors(&recs).iter().map(|e| e.to_string()).collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].starts_with(&format!("{p}:2: malformed JSON: EOF while parsing")),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].starts_with(&format!("{p}:3: malformed JSON: expected ident")),
        "{}",
        errs[1]
    );
    assert_eq!(errs[2], format!("{p}:5: `text` is not a string"));
    let ids: Vec<&str> = docs(&recs).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["doc-1", "doc-5"]);
}

#[test]
fn jsonl_line_over_the_limit_is_skipped_with_bounded_memory() {
    let t = TempDir::new("longline");
    let path = t.0.join("big.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(jsonl_line(1).as_bytes()).unwrap();
    // A 4 MiB line against a 64 KiB limit: the reader must skip it without buffering it.
    f.write_all(b"{\"text\": \"").unwrap();
    let chunk = vec![b'x'; 1 << 16];
    for _ in 0..64 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}\n").unwrap();
    f.write_all(jsonl_line(3).as_bytes()).unwrap();
    drop(f);
    let opts = Options {
        max_document_bytes: 64 << 10,
        ..Options::default()
    };
    let recs: Vec<Record> = read_inputs(&[path.display().to_string()], &opts).collect();
    assert_eq!(recs.len(), 3);
    let e = recs[1].as_ref().unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(
        e.reason
            .starts_with("line of 4194317 bytes is over the 64 KiB limit of one document"),
        "{e}"
    );
    assert_eq!(recs[2].as_ref().unwrap().id, "doc-3");
}

/// Generates a 200 MB JSONL file and streams it; run with `cargo test -- --ignored`.
#[test]
#[ignore]
fn very_large_jsonl_file_streams() {
    let t = TempDir::new("huge");
    let path = t.0.join("huge.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let filler = "lorem ipsum dolor sit amet ".repeat(36);
    let mut n = 0u64;
    let mut written = 0u64;
    while written < 200_000_000 {
        let line = format!("{{\"id\": {n}, \"text\": \"{filler}\"}}\n");
        written += line.len() as u64;
        f.write_all(line.as_bytes()).unwrap();
        n += 1;
    }
    drop(f);
    let mut count = 0u64;
    for r in read_inputs(&[path.display().to_string()], &Options::default()) {
        assert!(r.is_ok());
        count += 1;
    }
    assert_eq!(count, n);
}

#[test]
fn large_text_files_are_split_at_paragraphs() {
    let t = TempDir::new("bigtxt");
    let para = "A sentence of the story. ".repeat(8) + "\n\n";
    let p = t.write("long.txt", para.repeat(50).as_bytes());
    let opts = Options {
        max_document_bytes: 1000,
        ..Options::default()
    };
    let recs: Vec<Record> = read_inputs(std::slice::from_ref(&p), &opts).collect();
    let d: Vec<&Document> = docs(&recs);
    assert!(d.len() >= 10);
    assert_eq!(d[0].id, p);
    assert_eq!(d[1].id, format!("{p}#2"));
    assert!(d
        .iter()
        .all(|d| d.text.len() <= 1000 && d.text.starts_with("A sentence")));
    let sentences: usize = d.iter().map(|d| d.text.matches("sentence").count()).sum();
    assert_eq!(sentences, 400);
}

#[test]
fn truncated_gzip_keeps_documents_then_reports() {
    let t = TempDir::new("truncgz");
    let mut data = String::new();
    for i in 0..2000 {
        data.push_str(&jsonl_line(i));
    }
    let gz = gzip(data.as_bytes());
    let p = t.write("feed.jsonl.gz", &gz[..gz.len() / 2]);
    let recs = read(std::slice::from_ref(&p));
    let errs = errors(&recs);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].reason, "truncated gzip");
    assert!(recs.last().unwrap().is_err());
    let d = docs(&recs);
    assert!(d.len() > 100 && d.len() < 2000, "{}", d.len());
    assert!(d
        .iter()
        .enumerate()
        .all(|(i, d)| d.id == format!("doc-{i}")));
}

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2017-07-08T01:02:03Z\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_page() -> Vec<u8> {
    let mut v = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    v.extend_from_slice(PAGE.as_bytes());
    v
}

#[test]
fn warc_gz_with_per_record_members_and_a_truncated_tail() {
    let t = TempDir::new("warc");
    let mut gz = Vec::new();
    for i in 0..3 {
        gz.extend(gzip(&warc_record(
            "response",
            &format!("http://x/{i}"),
            &http_page(),
        )));
    }
    let p = t.write("crawl.warc.gz", &gz);
    let recs = read(&[p]);
    let ids: Vec<&str> = docs(&recs).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["http://x/0", "http://x/1", "http://x/2"]);
    assert!(errors(&recs).is_empty());
    // Cut inside the third member.
    let p = t.write("cut.warc.gz", &gz[..gz.len() - 40]);
    let recs = read(&[p]);
    assert_eq!(docs(&recs).len(), 2);
    let errs = errors(&recs);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].reason, "truncated gzip");
    assert!(errs[0].offset.is_some());
}

#[test]
fn malformed_and_truncated_warc_records_are_skipped() {
    let t = TempDir::new("badwarc");
    let good = warc_record("response", "http://x/ok", &http_page());
    let mut data = good[..good.len() / 2].to_vec(); // cut record, next one follows directly
    data.extend(b"garbage between records\r\n");
    data.extend(warc_record("response", "http://x/ok2", &http_page()));
    data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: zz\r\n\r\nbody\r\n\r\n");
    data.extend(warc_record("response", "http://x/ok3", &http_page()));
    data.extend(&good[..good.len() - 100]); // truncated at end of file
    let p = t.write("bad.warc", &data);
    let recs = read(std::slice::from_ref(&p));
    let ids: Vec<&str> = docs(&recs).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["http://x/ok2", "http://x/ok3"]);
    let errs = errors(&recs);
    assert!(errs.len() >= 3, "{errs:?}");
    assert!(errs.iter().all(|e| e.path == p && e.offset.is_some()));
    assert_eq!(errs[0].offset, Some(0));
    assert!(
        errs.last()
            .unwrap()
            .reason
            .starts_with("truncated WARC record"),
        "{errs:?}"
    );
}

#[test]
fn the_bytes_read_reach_the_input_size() {
    let d = TempDir::new("size");
    d.write("a.txt", b"Russia accused Ukraine.\n");
    d.write("sub/b.jsonl", b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
    d.write(".hidden/c.txt", b"not read, not counted");
    let inputs = [d.path()];
    let opts = Options::default();
    let total = dyad_ingest::input_size(&inputs, &opts).unwrap();
    assert_eq!(total, 24 + 32);
    let reader = read_inputs(&inputs, &opts);
    let read = reader.bytes_read();
    assert_eq!(reader.count(), 3);
    assert_eq!(read.load(std::sync::atomic::Ordering::Relaxed), total);
    // Stdin has no size known in advance.
    assert_eq!(dyad_ingest::input_size(&["-".into()], &opts), None);
}
