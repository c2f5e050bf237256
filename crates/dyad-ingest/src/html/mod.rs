//! Main-content extraction from news pages.
//!
//! The approach: parse into a small DOM, drop what is never article text (scripts, navigation,
//! asides, figures, share/promo/byline widgets by tag, role or class), pick the content root
//! (explicit article-body markers, then `<article>`, then `<main>`, then paragraph scoring), and
//! emit one paragraph per block element. The headline and dek are kept even when the page puts
//! them outside the content root. Leftover boilerplate lines ("Subscribe", "Advertisement",
//! bylines, datelines) are removed by pattern as a last pass.

pub mod dom;
pub(crate) mod entities;

use crate::date;
use dom::{Dom, NodeData};

/// Text and metadata extracted from one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Main text: headline, dek and article paragraphs separated by `\n\n`. Empty if none found.
    pub text: String,
    pub title: Option<String>,
    pub author: Option<String>,
    /// ISO 8601.
    pub published: Option<String>,
    pub modified: Option<String>,
    /// Canonical URL (absolute when a base URL was given).
    pub url: Option<String>,
    /// Site or publisher name.
    pub source: Option<String>,
    pub language: Option<String>,
    /// Non-fatal problems, e.g. "invalid UTF-8 replaced".
    pub warnings: Vec<String>,
}

/// Extracts the main text and metadata of one HTML page.
pub fn extract_html(html: &str, base_url: Option<&str>) -> Extracted {
    let dom = dom::parse(html);
    let mut out = Extractor::new(&dom).run();
    if let Some(base) = base_url {
        out.url = match out.url.take() {
            Some(u) => Some(resolve_url(base, &u)),
            None => Some(base.to_string()),
        };
    }
    out
}

/// Like [`extract_html`] for raw bytes: honours a BOM, the HTTP charset (`charset`) and
/// `<meta charset>`; otherwise decodes UTF-8 lossily with a warning.
pub fn extract_html_bytes(
    bytes: &[u8],
    base_url: Option<&str>,
    charset: Option<&str>,
) -> Extracted {
    let (html, warnings) = decode_html(bytes, charset);
    let mut out = extract_html(&html, base_url);
    out.warnings.splice(0..0, warnings);
    out
}

/// Decodes an HTML page to text; returns the warnings met.
pub fn decode_html(bytes: &[u8], charset: Option<&str>) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    let (enc, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (Some(enc), &bytes[bom_len..]),
        None => {
            let label = charset
                .map(str::to_string)
                .or_else(|| sniff_meta_charset(bytes));
            let enc = label.as_deref().and_then(|l| {
                let e = encoding_rs::Encoding::for_label(l.trim().as_bytes());
                if e.is_none() {
                    warnings.push(format!("unknown charset {l:?}, read as UTF-8"));
                }
                e
            });
            // A declared UTF-16 without BOM is always a lie in practice (the spec says so too).
            let enc = enc.map(|e| {
                if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                }
            });
            (enc, bytes)
        }
    };
    match enc {
        Some(e) if e != encoding_rs::UTF_8 => {
            let (text, had_errors) = e.decode_without_bom_handling(body);
            if had_errors {
                warnings.push(format!("invalid {} bytes replaced", e.name()));
            }
            (text.into_owned(), warnings)
        }
        _ => {
            let text = String::from_utf8_lossy(body);
            if matches!(text, std::borrow::Cow::Owned(_)) {
                warnings.push("invalid UTF-8 replaced".to_string());
            }
            (text.into_owned(), warnings)
        }
    }
}

/// Finds `<meta charset=X>` or `<meta http-equiv=Content-Type content="...; charset=X">` in the
/// first 4 KiB (where the spec requires it to be).
fn sniff_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + p;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let mut v = &tag[c + 7..];
            while let Some((&b, rest)) = v.split_first() {
                if b == b'=' || b == b' ' || b == b'"' || b == b'\'' {
                    v = rest;
                } else {
                    break;
                }
            }
            let len = v
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                .unwrap_or(v.len());
            if len > 0 {
                return Some(String::from_utf8_lossy(&v[..len]).into_owned());
            }
        }
        from = end.max(start + 1);
    }
    None
}

/// Joins a possibly relative URL to `base` (enough for canonical links: absolute,
/// protocol-relative, root-relative and path-relative).
pub fn resolve_url(base: &str, url: &str) -> String {
    let url = url.trim();
    if url.contains("://") || base.is_empty() {
        return url.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |p| p + 3);
    if let Some(rest) = url.strip_prefix("//") {
        return format!("{}{}", &base[..scheme_end], rest);
    }
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |p| scheme_end + p);
    if url.starts_with('/') {
        return format!("{}{}", &base[..host_end], url);
    }
    let dir_end = base[host_end..]
        .rfind('/')
        .map_or(base.len(), |p| host_end + p + 1);
    if dir_end > base.len() || dir_end <= host_end {
        return format!("{}/{}", &base[..host_end], url);
    }
    format!("{}{}", &base[..dir_end], url)
}

/// Collapses runs of whitespace to one space and drops invisible characters.
///
/// As in a browser, only ASCII whitespace collapses: a no-break space (`&nbsp;`) is kept as
/// U+00A0, so text matches what the page shows. Paragraphs made only of no-break spaces (spacer
/// paragraphs) come out empty.
pub fn collapse_ws(s: &str) -> String {
    let is_ws =
        |c: char| c.is_ascii_whitespace() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}');
    let invisible = |c: char| {
        matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{AD}'
        )
    };
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_ws(c) {
            pending_space = !out.is_empty();
        } else if !invisible(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    if out.chars().all(|c| c == '\u{A0}' || c == ' ') {
        out.clear();
    }
    out
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Class or id fragments that mark non-article parts of a page.
const NEG_SUBSTR: &[&str] = &[
    "share",
    "social",
    "related",
    "newsletter",
    "subscri",
    "advert",
    "promo",
    "byline",
    "caption",
    "comment",
    "breadcrumb",
    "sidebar",
    "footer",
    "cookie",
    "outbrain",
    "taboola",
    "sponsor",
    "dateline",
    "timestamp",
    "recirc",
    "popup",
    "modal",
    "site-header",
    "site-nav",
    "masthead",
    "screen-reader",
    "visually-hidden",
    "paywall",
    "signup",
    "sign-up",
    "author",
    "credit",
    "toolbar",
    "pagination",
    "most-popular",
    "trending",
    "read-more",
    "readmore",
    "more-stories",
    "skip-link",
    "disqus",
    "consent",
];
/// Whole words (class split on punctuation) with the same meaning; too short to match inside
/// other words.
const NEG_WORDS: &[&str] = &[
    "ad",
    "ads",
    "nav",
    "navbar",
    "menu",
    "meta",
    "date",
    "dates",
    "time",
    "hidden",
    "hide",
    "published",
    "updated",
    "posted",
    "widget",
    "banner",
    "login",
    "sr",
    "photo",
    "media",
    "image",
    "img",
    "gallery",
    "video",
    "embed",
    "print",
    "tag",
    "tags",
    "topics",
    "more",
    "icon",
    "logo",
    "rail",
    "aside",
    "teaser",
    "overlay",
    "dialog",
    "kicker",
    "eyebrow",
];
/// Markers of the article body itself.
const POS_SUBSTR: &[&str] = &[
    "article-body",
    "articlebody",
    "article__body",
    "article_body",
    "story-body",
    "storybody",
    "story__body",
    "entry-content",
    "post-content",
    "post-body",
    "article-content",
    "articlecontent",
    "article__content",
    "story-content",
    "article-text",
    "articletext",
    "body-text",
    "content-body",
    "post-entry",
    "main-text",
];
const DEK_WORDS: &[&str] = &[
    "dek",
    "deck",
    "standfirst",
    "subtitle",
    "subhead",
    "subheadline",
    "summary",
    "description",
    "excerpt",
    "lede",
    "strapline",
    "intro",
    "lead",
    "sub",
];

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "figure"
            | "figcaption"
            | "form"
            | "hr"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "fieldset"
            | "hgroup"
            | "option"
    )
}

/// Elements that never hold article text.
fn is_junk_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "img"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "label"
            | "nav"
            | "aside"
            | "footer"
            | "figure"
            | "figcaption"
            | "menu"
            | "dialog"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "xmp"
            | "noembed"
            | "noframes"
            | "plaintext"
    )
}

struct Block {
    text: String,
    /// Innermost block element holding the text.
    node: usize,
}

struct Extractor<'a> {
    dom: &'a Dom,
    removed: Vec<bool>,
    /// Non-whitespace characters of kept text in the subtree.
    text_len: Vec<u32>,
    /// Of which inside links.
    link_len: Vec<u32>,
    /// Paragraphs of 80+ characters with few links in the subtree.
    long_paras: Vec<u32>,
    order: Vec<usize>,
}

impl<'a> Extractor<'a> {
    fn new(dom: &'a Dom) -> Self {
        let n = dom.nodes.len();
        Extractor {
            dom,
            removed: vec![false; n],
            text_len: vec![0; n],
            link_len: vec![0; n],
            long_paras: vec![0; n],
            order: dom.preorder(),
        }
    }

    fn class_id(&self, id: usize) -> String {
        let mut s = String::new();
        for key in ["class", "id"] {
            if let Some(v) = self.dom.attr(id, key) {
                s.push_str(&v.to_ascii_lowercase());
                s.push(' ');
            }
        }
        s
    }

    fn is_hidden(&self, id: usize) -> bool {
        let d = self.dom;
        if d.attr(id, "hidden").is_some() || d.attr(id, "aria-hidden") == Some("true") {
            return true;
        }
        if let Some(style) = d.attr(id, "style") {
            let s: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            if s.contains("display:none") || s.contains("visibility:hidden") {
                return true;
            }
        }
        matches!(
            d.attr(id, "role"),
            Some(
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "menu"
                    | "menubar"
                    | "search"
                    | "dialog"
                    | "alertdialog"
                    | "toolbar"
            )
        )
    }

    fn is_positive(&self, id: usize) -> bool {
        if self
            .dom
            .attr(id, "itemprop")
            .is_some_and(|v| v.eq_ignore_ascii_case("articlebody"))
        {
            return true;
        }
        let c = self.class_id(id);
        POS_SUBSTR.iter().any(|p| c.contains(p))
    }

    fn is_negative_class(&self, id: usize) -> bool {
        let c = self.class_id(id);
        if c.is_empty() {
            return false;
        }
        NEG_SUBSTR.iter().any(|p| c.contains(p)) || words(&c).any(|w| NEG_WORDS.contains(&w))
    }

    fn non_ws_len(t: &str) -> u32 {
        t.chars().filter(|c| !c.is_whitespace()).count() as u32
    }

    fn mark_hard_junk(&mut self) {
        let d = self.dom;
        let mut in_article = vec![false; d.nodes.len()];
        for &id in &self.order {
            let parent = d.parent(id);
            let (p_removed, p_article) =
                parent.map_or((false, false), |p| (self.removed[p], in_article[p]));
            let Some(name) = d.name(id) else {
                self.removed[id] = p_removed;
                continue;
            };
            in_article[id] = p_article || matches!(name, "article" | "main");
            let junk = is_junk_tag(name) || (name == "header" && !p_article) || self.is_hidden(id);
            self.removed[id] = p_removed || junk;
        }
    }

    fn compute_stats(&mut self) {
        let d = self.dom;
        self.text_len.iter_mut().for_each(|x| *x = 0);
        self.link_len.iter_mut().for_each(|x| *x = 0);
        self.long_paras.iter_mut().for_each(|x| *x = 0);
        for &id in self.order.iter().rev() {
            if self.removed[id] {
                continue;
            }
            match &d.nodes[id].data {
                NodeData::Text(t) => self.text_len[id] = Self::non_ws_len(t),
                NodeData::Element { name, .. } => {
                    if name == "a" {
                        self.link_len[id] = self.text_len[id];
                    }
                    if name == "p"
                        && self.text_len[id] >= 80
                        && self.link_len[id] * 2 < self.text_len[id]
                    {
                        self.long_paras[id] += 1;
                    }
                }
                NodeData::Document => {}
            }
            if let Some(p) = d.parent(id) {
                self.text_len[p] += self.text_len[id];
                self.link_len[p] += self.link_len[id];
                self.long_paras[p] += self.long_paras[id];
            }
        }
    }

    fn mark_soft_junk(&mut self) {
        let d = self.dom;
        for i in 0..self.order.len() {
            let id = self.order[i];
            let Some(name) = d.name(id) else { continue };
            if self.removed[id] {
                continue;
            }
            if d.parent(id).is_some_and(|p| self.removed[p]) {
                self.removed[id] = true;
                continue;
            }
            if matches!(name, "html" | "body" | "article" | "main") || self.is_positive(id) {
                continue;
            }
            let substantial = self.long_paras[id] >= 3;
            let negative = self.is_negative_class(id) && !substantial;
            let tl = self.text_len[id];
            let link_dense = matches!(name, "ul" | "ol" | "div" | "section" | "p" | "table" | "dl")
                && tl > 0
                && self.link_len[id] * 2 > tl
                && self.long_paras[id] < 2;
            if negative || link_dense {
                self.removed[id] = true;
            }
        }
    }

    /// Content roots in document order.
    fn choose_roots(&self) -> Vec<usize> {
        let d = self.dom;
        let kept = |id: usize| !self.removed[id];
        let enough = |id: usize| self.text_len[id] >= 140;
        let outermost = |ids: Vec<usize>| -> Vec<usize> {
            let mut out: Vec<usize> = Vec::new();
            for id in ids {
                if !out.iter().any(|&o| d.ancestors(id).any(|a| a == o)) {
                    out.push(id);
                }
            }
            out
        };

        let positive: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&id| d.name(id).is_some() && kept(id) && self.is_positive(id))
            .collect();
        let positive = outermost(positive);
        let best = positive
            .iter()
            .map(|&id| self.text_len[id])
            .max()
            .unwrap_or(0);
        if best >= 140 {
            return positive
                .into_iter()
                .filter(|&id| self.text_len[id] * 5 >= best)
                .collect();
        }

        for tag in ["article", "main"] {
            let best = self
                .order
                .iter()
                .copied()
                .filter(|&id| d.name(id) == Some(tag) && kept(id) && enough(id))
                .max_by_key(|&id| (self.text_len[id], std::cmp::Reverse(id)));
            if let Some(b) = best {
                return vec![b];
            }
        }
        if let Some(b) = self
            .order
            .iter()
            .copied()
            .find(|&id| d.attr(id, "role") == Some("main") && kept(id) && enough(id))
        {
            return vec![b];
        }
        self.score_paragraphs()
    }

    /// Readability-style scoring: paragraphs vote for their parent and grandparent.
    fn score_paragraphs(&self) -> Vec<usize> {
        let d = self.dom;
        let mut score = vec![0f64; d.nodes.len()];
        for &id in &self.order {
            if self.removed[id] || !matches!(d.name(id), Some("p" | "pre" | "td" | "blockquote")) {
                continue;
            }
            let len = self.text_len[id];
            if len < 25 {
                continue;
            }
            let text = d.text(id);
            let s = 1.0 + text.matches(',').count() as f64 + (len as f64 / 100.0).min(3.0);
            if let Some(p) = d.parent(id) {
                score[p] += s;
                if let Some(g) = d.parent(p) {
                    score[g] += s / 2.0;
                }
            }
        }
        let density = |id: usize| {
            let t = self.text_len[id].max(1) as f64;
            1.0 - (self.link_len[id] as f64 / t).min(1.0)
        };
        let best = (0..d.nodes.len())
            .filter(|&id| score[id] > 0.0)
            .map(|id| (id, score[id] * density(id)))
            .fold(None::<(usize, f64)>, |acc, x| match acc {
                Some(a) if a.1 >= x.1 => Some(a),
                _ => Some(x),
            });
        let Some((top, top_score)) = best else {
            return vec![Dom::ROOT];
        };
        // Paragraphs split across sibling containers: take the strong siblings too.
        let Some(parent) = d.parent(top) else {
            return vec![top];
        };
        let threshold = (top_score * 0.2).max(10.0);
        d.children(parent)
            .iter()
            .copied()
            .filter(|&c| c == top || (!self.removed[c] && score[c] * density(c) >= threshold))
            .collect()
    }

    fn collect_blocks(&self, roots: &[usize]) -> Vec<Block> {
        let mut c = Collector {
            ex: self,
            blocks: Vec::new(),
            buf: String::new(),
            block_stack: Vec::new(),
            br_run: 0,
        };
        for &r in roots {
            c.block_stack.push(r);
            c.walk(r);
            c.flush();
            c.block_stack.pop();
        }
        c.blocks
    }

    fn run(mut self) -> Extracted {
        let meta = Meta::collect(self.dom);
        self.mark_hard_junk();
        self.compute_stats();
        self.mark_soft_junk();
        self.compute_stats();
        let roots = self.choose_roots();
        let mut blocks = self.collect_blocks(&roots);
        let d = self.dom;

        let title_hint = meta.title();
        let in_roots = |id: usize| {
            roots
                .iter()
                .any(|&r| r == id || d.ancestors(id).any(|a| a == r))
        };
        let h1s: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&id| d.name(id) == Some("h1"))
            .collect();
        let block_h1 = |b: &Block| {
            std::iter::once(b.node)
                .chain(d.ancestors(b.node))
                .find(|&a| d.name(a) == Some("h1"))
        };
        let mut dateline: Option<String> = None;

        if let Some(pos) = blocks.iter().position(|b| block_h1(b).is_some()) {
            // Kickers, breadcrumbs and timestamps sit above the headline.
            let mut i = 0;
            blocks.retain(|b| {
                i += 1;
                i > pos || b.text.chars().count() >= 120
            });
        } else if let Some(h1) = self.external_headline(&h1s, title_hint.as_deref(), &in_roots) {
            let mut head = vec![Block {
                text: collapse_ws(&d.text(h1)),
                node: h1,
            }];
            if let Some(dek) = self.external_dek(h1) {
                head.push(Block {
                    text: collapse_ws(&d.text(dek)),
                    node: dek,
                });
            }
            blocks.splice(0..0, head);
        }

        let mut kept: Vec<String> = Vec::with_capacity(blocks.len());
        for b in blocks {
            if b.text.is_empty() || kept.last() == Some(&b.text) {
                continue;
            }
            if let Some(date_text) = boilerplate(&b.text) {
                if dateline.is_none() && date_text {
                    dateline = date::normalize(&b.text);
                }
                continue;
            }
            kept.push(b.text);
        }

        let mut out = meta.into_extracted();
        if out.published.is_none() {
            out.published = dateline.or_else(|| self.dateline_from_removed());
        }
        if out.title.is_none() {
            out.title = h1s
                .first()
                .map(|&h| collapse_ws(&d.text(h)))
                .filter(|t| !t.is_empty());
        }
        out.text = kept.join("\n\n");
        out
    }

    fn external_headline(
        &self,
        h1s: &[usize],
        title: Option<&str>,
        in_roots: &dyn Fn(usize) -> bool,
    ) -> Option<usize> {
        let d = self.dom;
        let usable = |id: usize| {
            !in_roots(id)
                && !self.is_hidden(id)
                && !d.ancestors(id).any(|a| {
                    matches!(
                        d.name(a),
                        Some("nav" | "aside" | "footer" | "figure" | "form")
                    )
                })
        };
        let norm = |s: &str| collapse_ws(s).to_lowercase();
        if let Some(t) = title.map(norm).filter(|t| !t.is_empty()) {
            if let Some(&h) = h1s.iter().find(|&&h| {
                let h1 = norm(&d.text(h));
                usable(h)
                    && !h1.is_empty()
                    && (t.contains(&h1) || h1.contains(&t))
                    && h1.chars().count() >= 10
            }) {
                return Some(h);
            }
        }
        h1s.iter()
            .copied()
            .find(|&h| usable(h) && collapse_ws(&d.text(h)).chars().count() >= 15)
    }

    fn external_dek(&self, h1: usize) -> Option<usize> {
        let d = self.dom;
        let parent = d.parent(h1)?;
        let sibs = d.children(parent);
        let at = sibs.iter().position(|&s| s == h1)?;
        let next = sibs[at + 1..]
            .iter()
            .copied()
            .find(|&s| match &d.nodes[s].data {
                NodeData::Text(t) => !t.trim().is_empty(),
                NodeData::Element { .. } => true,
                NodeData::Document => false,
            })?;
        let name = d.name(next)?;
        let c = self.class_id(next);
        let dek_class = words(&c).any(|w| DEK_WORDS.contains(&w));
        let ok = (matches!(name, "h2" | "h3")
            || (dek_class && matches!(name, "p" | "div" | "span")))
            && !self.is_negative_class(next)
            && !collapse_ws(&d.text(next)).is_empty();
        ok.then_some(next)
    }

    /// A publication date from byline/date widgets that were removed from the text.
    fn dateline_from_removed(&self) -> Option<String> {
        let d = self.dom;
        for &id in &self.order {
            if d.name(id).is_none() || !self.removed[id] || d.name(id) == Some("script") {
                continue;
            }
            let c = self.class_id(id);
            if !words(&c).any(|w| {
                matches!(
                    w,
                    "date"
                        | "dates"
                        | "dateline"
                        | "time"
                        | "timestamp"
                        | "published"
                        | "posted"
                        | "meta"
                        | "byline"
                )
            }) {
                continue;
            }
            let text = collapse_ws(&d.text(id));
            if text.len() < 200 {
                if let Some(date) = date::normalize(&text) {
                    return Some(date);
                }
            }
        }
        // Last resort: a short element that is nothing but a date ("Nov. 24, 2022").
        self.order.iter().find_map(|&id| {
            let name = d.name(id)?;
            if matches!(name, "script" | "style" | "title" | "option") || d.children(id).len() > 3 {
                return None;
            }
            let text = collapse_ws(&d.text(id));
            (boilerplate(&text) == Some(true))
                .then(|| date::normalize(&text))
                .flatten()
        })
    }
}

struct Collector<'e, 'a> {
    ex: &'e Extractor<'a>,
    blocks: Vec<Block>,
    buf: String,
    block_stack: Vec<usize>,
    br_run: u32,
}

impl Collector<'_, '_> {
    fn flush(&mut self) {
        let text = collapse_ws(&self.buf);
        self.buf.clear();
        self.br_run = 0;
        if !text.is_empty() {
            let node = *self.block_stack.last().unwrap_or(&Dom::ROOT);
            self.blocks.push(Block { text, node });
        }
    }

    fn walk(&mut self, id: usize) {
        let d = self.ex.dom;
        if self.ex.removed[id] {
            return;
        }
        match &d.nodes[id].data {
            NodeData::Text(t) => {
                if !t.trim().is_empty() {
                    self.br_run = 0;
                }
                self.buf.push_str(t);
            }
            NodeData::Document => {
                for &c in d.children(id) {
                    self.walk(c);
                }
            }
            NodeData::Element { name, .. } => {
                if name == "br" {
                    self.br_run += 1;
                    if self.br_run >= 2 {
                        self.flush();
                    } else {
                        self.buf.push(' ');
                    }
                    return;
                }
                if is_block(name) {
                    self.flush();
                    self.block_stack.push(id);
                    for &c in d.children(id) {
                        self.walk(c);
                    }
                    self.flush();
                    self.block_stack.pop();
                } else {
                    for &c in d.children(id) {
                        self.walk(c);
                    }
                }
            }
        }
    }
}

/// Whether a paragraph is page furniture rather than article text. `Some(true)` when it is a
/// date line (a fallback publication date), `Some(false)` for other boilerplate.
fn boilerplate(text: &str) -> Option<bool> {
    let n = text.chars().count();
    if n > 300 {
        return None;
    }
    let lower = text.to_lowercase();
    let l = lower.trim_start_matches(['*', '•', '|', '-', '–', '—', ' ', '(', '[']);
    const DATE_PREFIX: &[&str] = &[
        "posted on",
        "posted:",
        "published on",
        "published:",
        "published ",
        "first published",
        "updated on",
        "updated:",
        "last updated",
        "updated ",
        "originally published",
    ];
    if DATE_PREFIX.iter().any(|p| l.starts_with(p)) && n < 120 {
        return Some(true);
    }
    const PREFIX: &[&str] = &[
        "advertisement",
        "subscribe",
        "sign up for",
        "sign up to",
        "share this",
        "share on",
        "share via",
        "related stories",
        "related articles",
        "related coverage",
        "related:",
        "read more",
        "read also",
        "also read",
        "see also",
        "more from",
        "recommended",
        "click here",
        "follow us",
        "copyright",
        "©",
        "all rights reserved",
        "screengrab",
        "screenshot via",
        "photo:",
        "photo by",
        "photos:",
        "photograph:",
        "image:",
        "image via",
        "image credit",
        "credit:",
        "photo credit",
        "continue reading",
        "listen to this article",
        "we use cookies",
        "privacy policy",
        "terms of service",
        "get our newsletter",
        "download the app",
        "watch:",
        "video:",
        "sponsored",
    ];
    if PREFIX.iter().any(|p| l.starts_with(p)) {
        return Some(false);
    }
    // "By Jane Doe" / "By Jane Doe, Reuters": short, starts with By, not a sentence.
    if n <= 80
        && text.starts_with("By ")
        && text[3..].starts_with(|c: char| c.is_uppercase())
        && !text.ends_with(['.', '!', '?', '"', '\u{201D}'])
    {
        return Some(false);
    }
    if n <= 40 && date::normalize(text).is_some() && text.split_whitespace().count() <= 8 {
        return Some(true);
    }
    None
}

/// Metadata from `<head>` and JSON-LD.
#[derive(Default)]
struct Meta {
    /// (key, content) of `<meta>` tags, keys lowercased (`property`, `name` or `itemprop`).
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    html_lang: Option<String>,
    title_tag: Option<String>,
    ld: Option<serde_json::Value>,
    time_datetime: Option<String>,
}

impl Meta {
    fn collect(d: &Dom) -> Meta {
        let mut m = Meta::default();
        let mut ld_candidates: Vec<serde_json::Value> = Vec::new();
        for id in d.preorder() {
            match d.name(id) {
                Some("meta") => {
                    let key = d
                        .attr(id, "property")
                        .or_else(|| d.attr(id, "name"))
                        .or_else(|| d.attr(id, "itemprop"))
                        .or_else(|| d.attr(id, "http-equiv"));
                    if let (Some(k), Some(v)) = (key, d.attr(id, "content")) {
                        let v = collapse_ws(v);
                        if !v.is_empty() {
                            m.metas.push((k.to_ascii_lowercase(), v));
                        }
                    }
                }
                Some("link") => {
                    let rel = d.attr(id, "rel").unwrap_or("").to_ascii_lowercase();
                    if m.canonical.is_none() && rel.split_whitespace().any(|r| r == "canonical") {
                        m.canonical = d
                            .attr(id, "href")
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string);
                    }
                }
                Some("html") if m.html_lang.is_none() => {
                    m.html_lang = d
                        .attr(id, "lang")
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string);
                }
                Some("title") if m.title_tag.is_none() => {
                    let t = collapse_ws(&d.text(id));
                    if !t.is_empty() {
                        m.title_tag = Some(t);
                    }
                }
                Some("script")
                    if d.attr(id, "type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
                {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(d.text(id).trim()) {
                        ld_candidates.push(v);
                    }
                }
                Some("time") if m.time_datetime.is_none() => {
                    m.time_datetime = d.attr(id, "datetime").map(str::to_string);
                }
                _ => {}
            }
        }
        m.ld = ld_candidates
            .iter()
            .find_map(|v| find_article(v, 0))
            .cloned();
        m
    }

    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(mk, _)| mk == k)
                .map(|(_, v)| v.clone())
        })
    }

    fn ld_str(&self, key: &str) -> Option<String> {
        let v = self.ld.as_ref()?.get(key)?;
        ld_text(v)
    }

    fn title(&self) -> Option<String> {
        self.meta(&["og:title", "twitter:title"])
            .or_else(|| self.ld_str("headline"))
            .or_else(|| self.title_tag.as_deref().map(strip_site_suffix))
            .map(|t| collapse_ws(&t))
            .filter(|t| !t.is_empty())
    }

    fn into_extracted(self) -> Extracted {
        let dates = |ld_key: &str, keys: &[&str]| {
            self.ld_str(ld_key)
                .and_then(|s| date::normalize(&s))
                .or_else(|| {
                    keys.iter()
                        .find_map(|k| self.meta(&[k]).and_then(|s| date::normalize(&s)))
                })
        };
        let published = dates(
            "datePublished",
            &[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "publish-date",
                "publish_date",
                "article.published",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date.issued",
                "dc.date",
                "dcterms.created",
                "dcterms.date",
                "date",
            ],
        )
        .or_else(|| self.time_datetime.as_deref().and_then(date::normalize));
        let modified = dates(
            "dateModified",
            &[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "dcterms.modified",
                "last-modified",
            ],
        );
        let author = self
            .ld
            .as_ref()
            .and_then(|v| v.get("author"))
            .and_then(ld_names)
            .or_else(|| {
                self.meta(&[
                    "author",
                    "article:author",
                    "parsely-author",
                    "sailthru.author",
                    "dc.creator",
                ])
            })
            .filter(|a| !a.contains("://"));
        let source = self
            .ld
            .as_ref()
            .and_then(|v| v.get("publisher"))
            .and_then(ld_names)
            .or_else(|| self.meta(&["og:site_name", "application-name"]))
            .or_else(|| self.title_tag.as_deref().and_then(site_suffix));
        let language = self
            .html_lang
            .clone()
            .or_else(|| self.meta(&["og:locale", "content-language", "language", "dc.language"]))
            .or_else(|| self.ld_str("inLanguage"));
        let url = self
            .canonical
            .clone()
            .or_else(|| self.meta(&["og:url"]))
            .or_else(|| self.ld_str("url"));
        Extracted {
            title: self.title(),
            author,
            published,
            modified,
            url,
            source,
            language,
            ..Default::default()
        }
    }
}

/// Site-name separators in `<title>`.
const TITLE_SEPS: &[&str] = &[
    " | ",
    " - ",
    " \u{2013} ",
    " \u{2014} ",
    " :: ",
    " \u{00B7} ",
];

fn split_title(t: &str) -> Option<(&str, &str)> {
    let (pos, sep) = TITLE_SEPS
        .iter()
        .filter_map(|s| t.rfind(s).map(|p| (p, *s)))
        .max_by_key(|(p, _)| *p)?;
    let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
    // The site name is the shorter side; keep titles that merely contain a dash.
    (tail.chars().count() * 2 < head.chars().count() && !tail.trim().is_empty())
        .then_some((head.trim(), tail.trim()))
}

fn strip_site_suffix(t: &str) -> String {
    split_title(t).map_or(t, |(h, _)| h).to_string()
}

fn site_suffix(t: &str) -> Option<String> {
    split_title(t).map(|(_, s)| s.to_string())
}

fn is_article_type(v: &serde_json::Value) -> bool {
    let check = |t: &str| t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Report";
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => check(s),
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str()).any(check),
        _ => false,
    }
}

fn find_article(v: &serde_json::Value, depth: u32) -> Option<&serde_json::Value> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_article(x, depth + 1)),
        serde_json::Value::Object(o) => {
            if is_article_type(v) {
                return Some(v);
            }
            o.get("@graph")
                .or_else(|| o.get("mainEntity"))
                .and_then(|g| find_article(g, depth + 1))
        }
        _ => None,
    }
}

fn ld_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => {
            Some(collapse_ws(&entities::decode(s))).filter(|s| !s.is_empty())
        }
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `"Name"`, `{"name": "Name"}` or a list of those, joined with ", ".
fn ld_names(v: &serde_json::Value) -> Option<String> {
    let one = |x: &serde_json::Value| match x {
        serde_json::Value::Object(o) => o.get("name").and_then(ld_text),
        other => ld_text(other),
    };
    let names: Vec<String> = match v {
        serde_json::Value::Array(a) => a.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_and_invisibles() {
        assert_eq!(collapse_ws("  a\t\n b\u{200B}c \u{FEFF} d "), "a bc d");
        assert_eq!(collapse_ws("a\u{A0}b"), "a\u{A0}b");
        assert_eq!(collapse_ws(" \u{A0} "), "");
    }

    #[test]
    fn resolves_relative_urls() {
        let base = "https://ex.org/news/2017/story.html";
        assert_eq!(resolve_url(base, "/a/b"), "https://ex.org/a/b");
        assert_eq!(resolve_url(base, "//cdn.ex.org/x"), "https://cdn.ex.org/x");
        assert_eq!(
            resolve_url(base, "other.html"),
            "https://ex.org/news/2017/other.html"
        );
        assert_eq!(resolve_url(base, "http://z.org/"), "http://z.org/");
        assert_eq!(resolve_url("https://ex.org", "x"), "https://ex.org/x");
    }

    #[test]
    fn title_suffix_is_stripped_only_when_short() {
        assert_eq!(
            strip_site_suffix("Big story about things - The Site"),
            "Big story about things"
        );
        assert_eq!(
            strip_site_suffix("Short - A long long long long tail"),
            "Short - A long long long long tail"
        );
        assert_eq!(
            site_suffix("Big story about things | Site").as_deref(),
            Some("Site")
        );
    }

    #[test]
    fn boilerplate_lines() {
        assert_eq!(boilerplate("Advertisement"), Some(false));
        assert_eq!(boilerplate("By Andrew Couts"), Some(false));
        assert_eq!(boilerplate("By Friday, troops had left."), None);
        assert_eq!(boilerplate("Posted on Jul 7, 2017"), Some(true));
        assert_eq!(boilerplate("July 7, 2017"), Some(true));
        assert_eq!(boilerplate("Putin denied it."), None);
    }

    #[test]
    fn meta_charset_is_sniffed() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head></html>";
        let (text, warnings) = decode_html(page, None);
        assert!(text.contains("Caf\u{e9}"), "{text}");
        assert!(warnings.is_empty());
        let page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\xe9";
        assert!(decode_html(page, None).0.ends_with('\u{e9}'));
        let (text, warnings) = decode_html(b"<p>caf\xe9</p>", None);
        assert_eq!(text, "<p>caf\u{FFFD}</p>");
        assert_eq!(warnings, vec!["invalid UTF-8 replaced".to_string()]);
    }
}
