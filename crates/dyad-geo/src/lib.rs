//! dyad-geo: where events happen and how their documents sound.
//!
//! - [`Gazetteer`]: countries, first-order divisions and populated places from GeoNames, with the
//!   FIPS 10-4 codes GDELT's geography columns use, read from `dict/geo/places.tsv.zst`.
//! - [`Tone`]: a document's tone as GDELT's AvgTone defines it, from a word-valence lexicon
//!   (`dict/tone/vader.tsv`).

mod gazetteer;
mod tone;

pub use gazetteer::{name_hash, Gazetteer, Kind, Place};
pub use tone::Tone;

/// Errors of reading the gazetteer or the tone lexicon; each names its file (and line).
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}: {why}")]
    Format {
        file: String,
        line: usize,
        why: String,
    },
}

/// Reads a file, decompressing it when its name ends in `.zst`.
fn read_text(path: &std::path::Path) -> Result<String, GeoError> {
    let io = |e| GeoError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let bytes = if path.extension().is_some_and(|e| e == "zst") {
        zstd::decode_all(&bytes[..]).map_err(io)?
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|_| GeoError::Format {
        file: path.display().to_string(),
        line: 0,
        why: "not UTF-8".into(),
    })
}

/// The gazetteer's file under a dictionary directory.
pub const PLACES_FILE: &str = "geo/places.tsv.zst";
/// Names that place nothing alone (regions, seas, directions), under a dictionary directory.
pub const NOT_PLACES_FILE: &str = "geo/not-places.txt";
/// The tone lexicon's file under a dictionary directory.
pub const TONE_FILE: &str = "tone/vader.tsv";

/// The gazetteer and the tone lexicon, as the coder uses them.
#[derive(Debug, Default)]
pub struct Geo {
    pub places: Gazetteer,
    pub tone: Tone,
}

impl Geo {
    /// Loads both files of a dictionary directory, side by side.
    pub fn load(dict_dir: &std::path::Path) -> Result<Geo, GeoError> {
        let (places, tone) = std::thread::scope(|scope| {
            let places = scope.spawn(|| Gazetteer::load(&dict_dir.join(PLACES_FILE)));
            let tone = Tone::load(&dict_dir.join(TONE_FILE));
            let places = places
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (places, tone)
        });
        let mut places = places?;
        places.path = PLACES_FILE.to_string();
        let not_places = dict_dir.join(NOT_PLACES_FILE);
        if not_places.exists() {
            places.set_not_places(&read_text(&not_places)?);
        }
        let mut tone = tone?;
        tone.path = TONE_FILE.to_string();
        Ok(Geo { places, tone })
    }
}
