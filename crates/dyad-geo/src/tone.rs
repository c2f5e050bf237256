//! Document tone, as GDELT defines AvgTone: the share of positive words minus the share of
//! negative words, times 100 (-100 to +100; news mostly lies between -10 and +10).

use crate::{read_text, GeoError};
use rustc_hash::FxHashMap;
use std::path::Path;

/// A word-valence lexicon: each word's mean valence (VADER: -4 to +4).
#[derive(Debug, Default)]
pub struct Tone {
    valence: FxHashMap<String, f32>,
    /// Where it was read from, for explanations.
    pub path: String,
}

impl Tone {
    pub fn load(path: &Path) -> Result<Tone, GeoError> {
        let text = read_text(path)?;
        Tone::parse(&text, &path.display().to_string())
    }

    /// Reads `word TAB valence [TAB ...]` lines; `#` starts a comment line.
    pub fn parse(text: &str, file: &str) -> Result<Tone, GeoError> {
        let mut valence = FxHashMap::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| GeoError::Format {
                file: file.to_string(),
                line: i + 1,
                why: why.to_string(),
            };
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or_default().trim();
            let v: f32 = cols
                .next()
                .ok_or_else(|| bad("expected a word, a tab and a valence"))?
                .trim()
                .parse()
                .map_err(|_| bad("the valence is not a number"))?;
            if word.is_empty() || !(-5.0..=5.0).contains(&v) {
                return Err(bad("an empty word or a valence outside -5..5"));
            }
            if valence.insert(word.to_lowercase(), v).is_some() {
                return Err(bad(&format!("`{word}` is listed twice")));
            }
        }
        Ok(Tone {
            valence,
            path: file.to_string(),
        })
    }

    pub fn len(&self) -> usize {
        self.valence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.valence.is_empty()
    }

    /// The valence of a word (any case), if the lexicon has it.
    pub fn valence(&self, word: &str) -> Option<f32> {
        if let Some(&v) = self.valence.get(word) {
            return Some(v);
        }
        self.valence.get(&word.to_lowercase()).copied()
    }

    /// The tone of a text: (positive words - negative words) / words x 100, where a word is a run
    /// of letters, digits, apostrophes or hyphens. 0 for a text without words.
    pub fn score(&self, text: &str) -> f64 {
        let (mut words, mut pos, mut neg) = (0u64, 0u64, 0u64);
        for w in text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .map(|w| w.trim_matches(|c| c == '\'' || c == '-'))
            .filter(|w| !w.is_empty())
        {
            words += 1;
            match self.valence(w) {
                Some(v) if v > 0.0 => pos += 1,
                Some(v) if v < 0.0 => neg += 1,
                _ => {}
            }
        }
        if words == 0 {
            return 0.0;
        }
        (pos as f64 - neg as f64) / words as f64 * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Tone {
        Tone::parse("# test\ngood\t1.9\nkill\t-3.7\nwar\t-2.9\n", "t.tsv").unwrap()
    }

    #[test]
    fn tone_is_the_difference_of_shares() {
        let t = lexicon();
        // 8 words, 1 positive, 3 negative (case does not matter).
        let s = t.score("War is not good; they kill in WAR.");
        assert!((s - (1.0 - 3.0) / 8.0 * 100.0).abs() < 1e-9, "{s}");
        assert_eq!(t.score(""), 0.0);
        assert_eq!(t.score("... --- !!!"), 0.0);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = Tone::parse("good\t1\nbad\tx\n", "lex.tsv").unwrap_err();
        assert_eq!(e.to_string(), "lex.tsv:2: the valence is not a number");
        let e = Tone::parse("good\t1\ngood\t2\n", "lex.tsv").unwrap_err();
        assert!(e.to_string().contains("lex.tsv:2"), "{e}");
        assert!(Tone::parse("word\n", "l").is_err());
        assert!(Tone::parse("word\t9\n", "l").is_err());
    }
}
