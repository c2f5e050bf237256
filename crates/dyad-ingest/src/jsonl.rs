//! JSON Lines: one document per line.

use std::io::BufRead;

use dyad_core::{Document, Origin};
use serde_json::{Map, Value};

use crate::input::{document_from_html, io_reason, read_line_bounded, Line};
use crate::text::normalize_paragraphs;
use crate::{date, extract_html, Record, RecordError};

pub(crate) struct JsonlReader<R> {
    path: String,
    src: R,
    max: usize,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(path: String, src: R, max: usize) -> Self {
        JsonlReader {
            path,
            src,
            max,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        while !self.done {
            let read = read_line_bounded(&mut self.src, &mut self.buf, self.max);
            let err = |line: u64, reason: String| {
                Some(Err(RecordError::new(&self.path, reason).at_line(line)))
            };
            match read {
                Err(e) => {
                    self.done = true;
                    return err(self.line + 1, io_reason(&e));
                }
                Ok(Line::Eof) => self.done = true,
                Ok(Line::TooLong(n)) => {
                    self.line += 1;
                    return err(
                        self.line,
                        format!(
                            "line of {n} bytes is over the {} limit of one document, skipped",
                            crate::size_words(self.max)
                        ),
                    );
                }
                Ok(Line::Read) => {
                    self.line += 1;
                    let mut bytes = self.buf.as_slice();
                    if self.line == 1 {
                        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                    }
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(
                        parse_record(&self.path, self.line, bytes).map_err(|reason| {
                            RecordError::new(&self.path, reason).at_line(self.line)
                        }),
                    );
                }
            }
        }
        None
    }
}

/// `serde_json` says "at line 1 column N" for a single line; the line is already in the error.
fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(p) => format!("{} at column {}", &msg[..p], e.column()),
        None => msg,
    };
    format!("malformed JSON: {msg}")
}

fn string_field(o: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match o.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Authors may be a string, a list of strings, or objects with a `name`.
fn author_field(o: &Map<String, Value>) -> Option<String> {
    let name = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(m) => m
            .get("name")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        _ => None,
    };
    let v = o.get("author").or_else(|| o.get("authors"))?;
    let names: Vec<String> = match v {
        Value::Array(a) => a
            .iter()
            .filter_map(name)
            .filter(|s| !s.is_empty())
            .collect(),
        other => name(other).into_iter().filter(|s| !s.is_empty()).collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

/// One JSON Lines record (the bytes of its line) as a document, exactly as a `.jsonl` input's
/// line `line` of `path` is read: a record without an `id` gets `path:line`. The error is the
/// reason the record is skipped.
pub fn parse_record(path: &str, line: u64, bytes: &[u8]) -> Result<Document, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    let Value::Object(o) = value else {
        return Err("not a JSON object".into());
    };
    let id = string_field(&o, &["id"]).unwrap_or_else(|| format!("{path}:{line}"));
    let url = string_field(&o, &["url"]);
    let origin = Origin {
        path: path.to_string(),
        line: Some(line),
        offset: None,
    };
    let text = match o.get("text") {
        Some(Value::String(s)) => normalize_paragraphs(s),
        Some(Value::Null) | None => String::new(),
        Some(_) => return Err("`text` is not a string".into()),
    };
    let mut doc = if !text.is_empty() {
        Document {
            id,
            text,
            origin,
            ..Default::default()
        }
    } else {
        match o.get("html") {
            Some(Value::String(h)) => {
                let ex = extract_html(h, url.as_deref());
                document_from_html(ex, id, origin)?
            }
            Some(Value::Null) | None if o.contains_key("text") => return Err("empty `text`".into()),
            Some(Value::Null) | None => return Err("no `text` or `html` field".into()),
            Some(_) => return Err("`html` is not a string".into()),
        }
    };
    // Fields given in the record win over what was extracted from its HTML.
    if url.is_some() {
        doc.url = url;
    }
    if let Some(t) = string_field(&o, &["title", "headline"]) {
        doc.title = Some(t);
    }
    if let Some(a) = author_field(&o) {
        doc.author = Some(a);
    }
    if let Some(s) = string_field(&o, &["source", "site", "publisher"]) {
        doc.source = Some(s);
    }
    if let Some(l) = string_field(&o, &["language", "lang"]) {
        doc.language = Some(l);
    }
    if let Some(raw) = string_field(&o, &["published", "date", "datePublished", "publish_date"]) {
        match date::normalize(&raw) {
            Some(d) => doc.published = Some(d),
            None => doc.warnings.push(format!("unrecognized date {raw:?}")),
        }
    }
    if let Some(raw) = string_field(&o, &["modified", "dateModified"]) {
        if let Some(d) = date::normalize(&raw) {
            doc.modified = Some(d);
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(data: &str, max: usize) -> Vec<Record> {
        JsonlReader::new(
            "feed.jsonl".into(),
            Cursor::new(data.as_bytes().to_vec()),
            max,
        )
        .collect()
    }

    #[test]
    fn reads_fields_and_normalizes() {
        let recs = read(
            concat!(
                r#"{"id": "8011115", "url": "https://x.org/a", "title": "T", "author": "Jeff", "published": "2025-03-14 20:30:26Z", "text": "One.\n\nTwo  three."}"#,
                "\n\n",
                r#"{"id": 42, "date": "2017-07-07", "text": "x", "source": "VOA", "language": "en"}"#,
                "\n",
                r#"{"text": "no id", "datePublished": "sometime"}"#,
            ),
            1 << 20,
        );
        let d: Vec<&Document> = recs.iter().map(|r| r.as_ref().unwrap()).collect();
        assert_eq!(d[0].id, "8011115");
        assert_eq!(d[0].text, "One.\n\nTwo three.");
        assert_eq!(d[0].published.as_deref(), Some("2025-03-14T20:30:26Z"));
        assert_eq!(d[0].origin.line, Some(1));
        assert_eq!(d[1].id, "42");
        assert_eq!(d[1].published.as_deref(), Some("2017-07-07"));
        assert_eq!(d[1].source.as_deref(), Some("VOA"));
        assert_eq!(d[2].id, "feed.jsonl:4");
        assert_eq!(
            d[2].warnings,
            vec!["unrecognized date \"sometime\"".to_string()]
        );
    }

    #[test]
    fn bad_lines_are_errors_and_reading_goes_on() {
        let recs = read(
            "{\"text\": \"ok\"}\n{\"text\": \"a\" \"b\"}\n[1]\n{\"title\": \"t\"}\n{\"html\": \"<script>x</script>\"}\n{\"text\": \"end\"}\n",
            1 << 20,
        );
        let errs: Vec<String> = recs
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errs,
            vec![
                "feed.jsonl:2: malformed JSON: expected `,` or `}` at column 14",
                "feed.jsonl:3: not a JSON object",
                "feed.jsonl:4: no `text` or `html` field",
                "feed.jsonl:5: no main text",
            ]
        );
        assert_eq!(recs.last().unwrap().as_ref().unwrap().text, "end");
    }

    #[test]
    fn html_field_goes_through_extraction() {
        let recs = read(
            r#"{"id": "h", "url": "https://x.org/s", "html": "<html><head><title>Hi - Site</title></head><body><article><h1>Hi there friends</h1><p>Para one is here and long enough to count as text.</p></article></body></html>"}"#,
            1 << 20,
        );
        let d = recs[0].as_ref().unwrap();
        assert_eq!(
            d.text,
            "Hi there friends\n\nPara one is here and long enough to count as text."
        );
        assert_eq!(d.url.as_deref(), Some("https://x.org/s"));
    }

    #[test]
    fn long_lines_are_skipped() {
        let long = format!("{{\"text\": \"{}\"}}", "x".repeat(500));
        let recs = read(&format!("{long}\n{{\"text\": \"fine\"}}\n"), 100);
        assert!(recs[0]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("over the 100 bytes limit of one document"));
        assert_eq!(recs[1].as_ref().unwrap().text, "fine");
        assert_eq!(recs[1].as_ref().unwrap().origin.line, Some(2));
    }
}
