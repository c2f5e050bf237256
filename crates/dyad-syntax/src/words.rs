//! From dyad's tokens to the treebanks' words, and back.
//!
//! dyad-text already follows Universal Dependencies for clitics ("Russia's" -> `Russia` `'s`,
//! "can't" -> `ca` `n't`, "cannot" -> `can` `not`), quotes and abbreviations ("U.S.", "Mr.").
//! The one difference is hyphens: dyad keeps "two-hour" and "al-Sudani" as one token, because
//! dictionaries match names whole, while the treebanks split them (`two` `-` `hour`). This module
//! is the one place that maps between the two: [`ud_words`] splits at hyphens for the parser, and
//! [`collapse`] gives each dyad token the tag, head and relation of its piece that heads the rest.

use crate::Parse;
use dyad_core::{Span, Token, TokenKind};

/// A sentence's words as the parser reads them, and the dyad token each comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UdWords {
    pub spans: Vec<Span>,
    pub token: Vec<u32>,
}

impl UdWords {
    pub fn forms<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.spans.iter().map(|s| s.slice(text)).collect()
    }
}

/// Splits `tokens` (spans into `text`) into treebank words.
pub fn ud_words(text: &str, tokens: &[Token], out: &mut UdWords) {
    out.spans.clear();
    out.token.clear();
    for (t, tok) in tokens.iter().enumerate() {
        let s = tok.span.slice(text);
        let whole = tok.kind != TokenKind::Word
            || !s.contains('-')
            || s.contains("://")
            || s.contains('@')
            || s.starts_with('-')
            || s.ends_with('-');
        if whole {
            out.spans.push(tok.span);
            out.token.push(t as u32);
            continue;
        }
        let mut start = tok.span.start;
        for (i, _) in s.match_indices('-') {
            let at = tok.span.start + i as u32;
            if at > start {
                out.spans.push(Span::new(start, at));
                out.token.push(t as u32);
            }
            out.spans.push(Span::new(at, at + 1));
            out.token.push(t as u32);
            start = at + 1;
        }
        if start < tok.span.end {
            out.spans.push(Span::new(start, tok.span.end));
            out.token.push(t as u32);
        }
    }
}

/// The parse of the words, as a parse of the `n_tokens` tokens they came from: each token takes
/// the tag and relation of its first piece whose head lies outside the token, and the token of
/// that head. A token left out of the words (a caller may drop some before parsing) gets tag X,
/// relation 0 and no head.
pub fn collapse(words: &UdWords, parse: &Parse, n_tokens: usize, out: &mut Parse) {
    out.upos.clear();
    out.head.clear();
    out.deprel.clear();
    let one_to_one = words.token.len() == n_tokens
        && words
            .token
            .iter()
            .enumerate()
            .all(|(i, &t)| t as usize == i);
    if one_to_one {
        out.clone_from(parse);
        return;
    }
    let mut first = 0usize;
    for t in 0..n_tokens as u32 {
        let mut end = first;
        while end < words.token.len() && words.token[end] == t {
            end += 1;
        }
        if end == first {
            out.upos.push(crate::Upos::X);
            out.head.push(0);
            out.deprel.push(0);
            continue;
        }
        let inside = |h: u32| h as usize > first && h as usize <= end;
        let piece = (first..end)
            .find(|&i| !inside(parse.head[i]))
            .unwrap_or(first);
        let h = parse.head.get(piece).copied().unwrap_or(0);
        out.upos
            .push(parse.upos.get(piece).copied().unwrap_or(crate::Upos::X));
        out.head.push(if h == 0 {
            0
        } else {
            words.token[h as usize - 1] + 1
        });
        out.deprel
            .push(parse.deprel.get(piece).copied().unwrap_or(0));
        first = end;
    }
}

/// How a tokenization compares with a treebank's on the same text.
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    pub gold_words: usize,
    /// Gold words that are exactly one predicted word.
    pub same: usize,
    /// Disagreements by the kind of gold word: (kind, count, examples).
    pub kinds: Vec<(&'static str, usize, Vec<String>)>,
}

impl Agreement {
    /// Adds one sentence: the predicted and the gold word forms of the same text.
    pub fn add(&mut self, predicted: &[&str], gold: &[&str]) {
        let bounds = |forms: &[&str]| {
            let mut at = 0usize;
            let mut v = Vec::with_capacity(forms.len());
            for f in forms {
                let len = f.chars().filter(|c| !c.is_whitespace()).count();
                v.push((at, at + len));
                at += len;
            }
            v
        };
        let p = bounds(predicted);
        let g = bounds(gold);
        let starts: std::collections::HashSet<usize> = p.iter().map(|x| x.0).collect();
        let ends: std::collections::HashSet<usize> = p.iter().map(|x| x.1).collect();
        for (k, &(a, b)) in g.iter().enumerate() {
            self.gold_words += 1;
            let whole = p.binary_search(&(a, b)).is_ok();
            if whole {
                self.same += 1;
                continue;
            }
            let form = gold[k];
            let kind = if ["'s", "'", "n't", "'re", "'ve", "'ll", "'d", "'m", "s"]
                .contains(&form.to_lowercase().as_str())
            {
                "clitic"
            } else if form == "-" || form.contains('-') {
                "hyphen"
            } else if form.ends_with('.') || form == "." {
                "period or abbreviation"
            } else if form.chars().all(|c| "\"'`«»“”‘’".contains(c)) {
                "quote"
            } else if !starts.contains(&a) || !ends.contains(&b) {
                "joined to a neighbour"
            } else {
                "split"
            };
            let slot = match self.kinds.iter().position(|x| x.0 == kind) {
                Some(i) => i,
                None => {
                    self.kinds.push((kind, 0, Vec::new()));
                    self.kinds.len() - 1
                }
            };
            self.kinds[slot].1 += 1;
            if self.kinds[slot].2.len() < 8 {
                let ctx: Vec<&str> = gold[k.saturating_sub(1)..(k + 2).min(gold.len())].to_vec();
                self.kinds[slot].2.push(ctx.join(" "));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, parts: &[(&str, TokenKind)]) -> Vec<Token> {
        let mut at = 0;
        parts
            .iter()
            .map(|(p, kind)| {
                let start = text[at..].find(p).unwrap() + at;
                at = start + p.len();
                Token {
                    span: Span::new(start as u32, at as u32),
                    norm: Span::default(),
                    kind: *kind,
                    capitalized: false,
                }
            })
            .collect()
    }

    #[test]
    fn hyphenated_words_split_and_collapse_back() {
        let text = "a two-hour talk";
        let toks = tok(
            text,
            &[
                ("a", TokenKind::Word),
                ("two-hour", TokenKind::Word),
                ("talk", TokenKind::Word),
            ],
        );
        let mut w = UdWords::default();
        ud_words(text, &toks, &mut w);
        assert_eq!(w.forms(text), vec!["a", "two", "-", "hour", "talk"]);
        assert_eq!(w.token, vec![0, 1, 1, 1, 2]);
        // a <- talk, two <- hour, - <- hour, hour <- talk, talk root
        let p = Parse {
            upos: vec![
                crate::Upos::DET,
                crate::Upos::NUM,
                crate::Upos::PUNCT,
                crate::Upos::NOUN,
                crate::Upos::NOUN,
            ],
            head: vec![5, 4, 4, 5, 0],
            deprel: vec![1, 2, 3, 4, 5],
        };
        let mut c = Parse::default();
        collapse(&w, &p, 3, &mut c);
        assert_eq!(c.head, vec![3, 3, 0]);
        assert_eq!(c.upos[1], crate::Upos::NOUN);
        assert_eq!(c.deprel, vec![1, 4, 5]);
    }

    #[test]
    fn tokens_left_out_of_the_words_get_no_head() {
        // Tokens 0 and 2 of four were left out; words are tokens 1 and 3, 3 heading 1.
        let w = UdWords {
            spans: vec![Span::new(0, 1), Span::new(2, 3)],
            token: vec![1, 3],
        };
        let p = Parse {
            upos: vec![crate::Upos::NOUN, crate::Upos::VERB],
            head: vec![2, 0],
            deprel: vec![1, 2],
        };
        let mut c = Parse::default();
        collapse(&w, &p, 4, &mut c);
        assert_eq!(c.head, vec![0, 4, 0, 0]);
        assert_eq!(c.upos[0], crate::Upos::X);
        assert_eq!(c.deprel, vec![0, 1, 0, 2]);
    }

    #[test]
    fn urls_and_dashes_stay_whole() {
        let text = "see http://a-b.org - now";
        let toks = tok(
            text,
            &[
                ("see", TokenKind::Word),
                ("http://a-b.org", TokenKind::Word),
                ("-", TokenKind::Punct),
                ("now", TokenKind::Word),
            ],
        );
        let mut w = UdWords::default();
        ud_words(text, &toks, &mut w);
        assert_eq!(w.spans.len(), 4);
    }

    #[test]
    fn agreement_counts_and_classifies() {
        let mut a = Agreement::default();
        a.add(&["two-hour", "talk"], &["two", "-", "hour", "talk"]);
        assert_eq!((a.gold_words, a.same), (4, 1));
        assert_eq!(
            a.kinds.iter().find(|k| k.0 == "hyphen").map(|k| k.1),
            Some(1)
        );
    }
}

/// Tokenizes, splits and parses sentences of a text, reusing its buffers.
#[derive(Default)]
pub struct SentenceParser {
    tokens: dyad_core::Tokens,
    pub words: UdWords,
    workspace: crate::model::Workspace,
    pub parse: Parse,
}

impl SentenceParser {
    /// Parses the sentence at `span` of `text`; the result is in `self.words` and `self.parse`.
    pub fn parse(&mut self, model: &crate::Model, text: &str, span: Span) {
        self.tokens.clear();
        dyad_text::tokenize(text, span, &mut self.tokens);
        ud_words(text, &self.tokens.tokens, &mut self.words);
        let forms = self.words.forms(text);
        model.parse_with(&forms, &mut self.workspace, &mut self.parse);
    }
}

/// A parse as an aligned table, one word a line: number, form, tag, relation and head.
pub fn render(model: &crate::Model, forms: &[&str], parse: &Parse) -> String {
    let width = forms
        .iter()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let mut out = String::new();
    for (i, f) in forms.iter().enumerate() {
        let h = parse.head[i] as usize;
        let head = if h == 0 {
            String::new()
        } else {
            format!("-> {h} {}", forms[h - 1])
        };
        out.push_str(&format!(
            "{:>4}  {:<width$}  {:<5}  {:<12} {}\n",
            i + 1,
            f,
            parse.upos[i].as_str(),
            model.label(parse.deprel[i]),
            head,
        ));
    }
    out
}
