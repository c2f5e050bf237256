//! A trained model: the tagger and the parser, and how they are stored.
//!
//! File layout (all zstd-compressed): the magic `DYADSYN\0`, the format number, a free-text note
//! of how the model was made, the label names, the tags seen per word, then three tables (tagger,
//! transitions, labeler), each as its size, scale and nonzero rows (row index delta as a varint,
//! then 16-bit weights), and last a checksum of everything before it.

use crate::features::{word_info, WordInfo};
use crate::parser::{Context, Parse, Parser, State};
use crate::perceptron::Table;
use crate::tagger::{HashedMap, Tagger};
use crate::{SyntaxError, Upos};
use std::path::Path;

const MAGIC: &[u8; 8] = b"DYADSYN\0";
/// The version of the file layout and of the feature set; a model of another format is refused.
pub const MODEL_FORMAT: u32 = 1;
/// Hash tables may have at most 2^26 rows.
const MAX_BITS: u32 = 26;
/// A decompressed model may not exceed this size.
const MAX_BYTES: u64 = 1 << 30;

pub struct Model {
    pub(crate) tagger: Tagger,
    pub(crate) parser: Parser,
    /// How the model was made: data, seed, epochs, scores.
    pub note: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("note", &self.note)
            .field("labels", &self.parser.labels.len())
            .finish_non_exhaustive()
    }
}

/// Buffers reused from sentence to sentence.
#[derive(Default)]
pub struct Workspace {
    info: Vec<WordInfo>,
    tags: Vec<Upos>,
    ctx: Context,
    state: State,
    feats: Vec<u64>,
    lower: String,
}

impl Model {
    pub(crate) fn new(tagger: Tagger, parser: Parser, note: String) -> Model {
        Model {
            tagger,
            parser,
            note,
        }
    }

    /// The dependency relation names, indexed by the ids in [`Parse::deprel`].
    pub fn labels(&self) -> &[String] {
        &self.parser.labels
    }

    pub fn label(&self, id: u8) -> &str {
        self.parser
            .labels
            .get(id as usize)
            .map_or("dep", |s| s.as_str())
    }

    pub fn label_id(&self, name: &str) -> Option<u8> {
        self.parser
            .labels
            .iter()
            .position(|l| l == name)
            .map(|i| i as u8)
    }

    pub(crate) fn word_infos(&self, words: &[&str], ws: &mut Workspace) {
        ws.info.clear();
        for w in words {
            let info = word_info(w, &mut ws.lower, |h| self.tagger.seen_tags(h));
            ws.info.push(info);
        }
    }

    /// Tags and parses one sentence of words (UD tokenization, see [`crate::words`]).
    pub fn parse_with(&self, words: &[&str], ws: &mut Workspace, out: &mut Parse) {
        self.word_infos(words, ws);
        self.tagger.tag(&ws.info, &mut ws.tags, &mut ws.feats);
        self.parse_tagged(ws, out);
    }

    /// Parses with the given tags instead of the tagger's.
    pub fn parse_with_tags(
        &self,
        words: &[&str],
        tags: &[Upos],
        ws: &mut Workspace,
        out: &mut Parse,
    ) {
        self.word_infos(words, ws);
        ws.tags.clear();
        ws.tags
            .extend_from_slice(&tags[..words.len().min(tags.len())]);
        ws.tags.resize(words.len(), Upos::X);
        self.parse_tagged(ws, out);
    }

    fn parse_tagged(&self, ws: &mut Workspace, out: &mut Parse) {
        ws.ctx.fill(&ws.info, &ws.tags);
        self.parser.parse(&ws.ctx, &mut ws.state, &mut ws.feats);
        out.upos.clear();
        out.upos.extend_from_slice(&ws.tags);
        out.head.clear();
        out.head.extend_from_slice(&ws.state.head[1..]);
        out.deprel.clear();
        out.deprel.extend_from_slice(&ws.state.label[1..]);
    }

    /// Tags and parses one sentence, allocating its own buffers.
    pub fn parse(&self, words: &[&str]) -> Parse {
        let mut out = Parse::default();
        self.parse_with(words, &mut Workspace::default(), &mut out);
        out
    }

    /// Reads a model file. A missing, truncated or corrupt file is an error naming it.
    pub fn load(path: &Path) -> Result<Model, SyntaxError> {
        let bytes = std::fs::read(path).map_err(|e| SyntaxError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Model::from_bytes(&bytes).map_err(|why| SyntaxError::Model {
            path: path.display().to_string(),
            why,
        })
    }

    pub fn save(&self, path: &Path) -> Result<(), SyntaxError> {
        let io = |e| SyntaxError::Io {
            path: path.display().to_string(),
            source: e,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Write aside, then rename: a failed save never leaves half a model.
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, self.to_bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        put_u32(&mut raw, MODEL_FORMAT);
        put_str(&mut raw, &self.note);
        put_u32(&mut raw, self.parser.labels.len() as u32);
        for l in &self.parser.labels {
            put_str(&mut raw, l);
        }
        raw.push(self.parser.root_label);
        let mut seen: Vec<(u64, u32)> = self.tagger.seen.iter().map(|(&k, &v)| (k, v)).collect();
        seen.sort_unstable();
        put_u32(&mut raw, seen.len() as u32);
        for (k, v) in seen {
            raw.extend_from_slice(&k.to_le_bytes());
            put_u32(&mut raw, v);
        }
        for t in [
            &self.tagger.table,
            &self.parser.transitions,
            &self.parser.labeler,
        ] {
            put_table(&mut raw, t);
        }
        let sum = checksum(&raw);
        raw.extend_from_slice(&sum.to_le_bytes());
        // Compressing into memory fails only on a zstd bug; an empty file then fails to load.
        zstd::bulk::compress(&raw, 19).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let size = match zstd::zstd_safe::get_frame_content_size(bytes) {
            Ok(Some(n)) if n <= MAX_BYTES => n as usize,
            Ok(Some(n)) => return Err(format!("{n} bytes decompressed, more than a model can be")),
            _ => return Err("not zstd-compressed, or truncated".into()),
        };
        let raw = zstd::bulk::decompress(bytes, size)
            .map_err(|e| format!("not zstd-compressed, or truncated ({e})"))?;
        if raw.len() < MAGIC.len() + 12 || &raw[..8] != MAGIC {
            return Err("wrong magic bytes".into());
        }
        let (body, sum) = raw.split_at(raw.len() - 8);
        let sum = u64::from_le_bytes(sum.try_into().map_err(|_| "truncated")?);
        if checksum(body) != sum {
            return Err("checksum mismatch: the file is corrupt".into());
        }
        let mut r = Reader { b: body, at: 8 };
        let format = r.u32()?;
        if format != MODEL_FORMAT {
            return Err(format!(
                "model format {format}, this dyad reads format {MODEL_FORMAT}: retrain with `dyad syntax train`"
            ));
        }
        let note = r.str()?;
        let n_labels = r.u32()? as usize;
        if n_labels == 0 || n_labels > 250 {
            return Err(format!("{n_labels} labels"));
        }
        let labels = (0..n_labels)
            .map(|_| r.str())
            .collect::<Result<Vec<_>, _>>()?;
        let root_label = r.u8()?;
        if root_label as usize >= n_labels {
            return Err("root label out of range".into());
        }
        let n_seen = r.u32()? as usize;
        let mut seen = HashedMap::default();
        seen.reserve(n_seen.min(1 << 22));
        for _ in 0..n_seen {
            let k = r.u64()?;
            seen.insert(k, r.u32()?);
        }
        let tagger = r.table(Upos::COUNT)?;
        let transitions = r.table(crate::parser::ACTIONS)?;
        let labeler = r.table(n_labels)?;
        if r.at != body.len() {
            return Err("trailing bytes after the tables".into());
        }
        Ok(Model {
            tagger: Tagger {
                table: tagger,
                seen,
            },
            parser: Parser {
                transitions,
                labeler,
                labels,
                root_label,
            },
            note,
        })
    }

    /// Sizes, for reports: (nonzero rows of the tagger, transition and label tables, words with
    /// known tags).
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        (
            self.tagger.table.nonzero_rows(),
            self.parser.transitions.nonzero_rows(),
            self.parser.labeler.nonzero_rows(),
            self.tagger.seen.len(),
        )
    }
}

/// A checksum that reads eight bytes at a time: a model is tens of megabytes.
fn checksum(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
    for &x in chunks.remainder() {
        h = (h ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    crate::features::fmix(h)
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_table(out: &mut Vec<u8>, t: &Table) {
    put_u32(out, t.bits);
    put_u32(out, t.classes as u32);
    out.extend_from_slice(&t.scale.to_le_bytes());
    put_u32(out, t.nonzero_rows() as u32);
    let mut last = 0usize;
    for (i, row) in t.w.chunks(t.classes).enumerate() {
        if row.iter().all(|&x| x == 0) {
            continue;
        }
        put_varint(out, (i - last) as u64);
        last = i;
        for &x in row {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().map_err(|_| "truncated")?,
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().map_err(|_| "truncated")?,
        ))
    }
    fn str(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "a name is not UTF-8".to_string())
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a varint runs over 64 bits".into())
    }
    fn table(&mut self, classes: usize) -> Result<Table, String> {
        let bits = self.u32()?;
        let c = self.u32()? as usize;
        if bits > MAX_BITS || c != classes {
            return Err(format!(
                "a table of 2^{bits} rows x {c} classes, expected {classes} classes"
            ));
        }
        let scale = f32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "truncated")?);
        if !(scale.is_finite() && scale > 0.0) {
            return Err("a table's scale is not a positive number".into());
        }
        let rows = 1usize << bits;
        let n = self.u32()? as usize;
        if n > rows {
            return Err("more nonzero rows than rows".into());
        }
        let mut w = crate::perceptron::zeroed(rows * c);
        let mut row = 0usize;
        for k in 0..n {
            let delta = self.varint()? as usize;
            row = row
                .checked_add(delta)
                .filter(|&r| r < rows && (k == 0 || delta > 0))
                .ok_or("a row index out of order or range")?;
            let bytes = self.take(2 * c)?;
            for (j, x) in bytes.chunks_exact(2).enumerate() {
                w[row * c + j] = i16::from_le_bytes([x[0], x[1]]);
            }
        }
        Ok(Table {
            bits,
            classes: c,
            scale,
            w,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_and_foreign_files_are_refused_with_a_reason() {
        assert!(Model::from_bytes(b"").unwrap_err().contains("zstd"));
        let other = zstd::bulk::compress(b"something else entirely", 1).unwrap();
        assert!(Model::from_bytes(&other).unwrap_err().contains("magic"));
        let dir = std::env::temp_dir().join("dyad-syntax-missing-model");
        let err = Model::load(&dir.join("nope.dyadsyn"))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("nope.dyadsyn"), "{err}");
    }
}
