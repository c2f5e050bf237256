//! A small, forgiving HTML parser producing an arena tree.
//!
//! It is not a full HTML5 tree builder: it handles what matters for reading articles (raw-text
//! elements, void elements, implied end tags of `p`/`li`/table cells, stray end tags) and never
//! fails. Nesting depth is capped so that later recursive walks cannot overflow the stack on
//! hostile input.

use super::entities;

/// Deeper elements are attached flat to the element at this depth.
const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone)]
pub enum NodeData {
    Document,
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub data: NodeData,
}

#[derive(Debug, Clone)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Dom {
    pub const ROOT: usize = 0;

    pub fn name(&self, id: usize) -> Option<&str> {
        match &self.nodes[id].data {
            NodeData::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    pub fn attr(&self, id: usize, key: &str) -> Option<&str> {
        match &self.nodes[id].data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    pub fn children(&self, id: usize) -> &[usize] {
        &self.nodes[id].children
    }

    pub fn parent(&self, id: usize) -> Option<usize> {
        self.nodes[id].parent
    }

    /// All node ids in document order (pre-order), without recursion.
    pub fn preorder(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![Self::ROOT];
        while let Some(id) = stack.pop() {
            out.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
        }
        out
    }

    /// Concatenated text of a subtree (raw, not whitespace-normalized).
    pub fn text(&self, id: usize) -> String {
        let mut out = String::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            match &self.nodes[n].data {
                NodeData::Text(t) => out.push_str(t),
                NodeData::Element { name, .. } if is_raw_text(name) && n != id => {}
                _ => stack.extend(self.nodes[n].children.iter().rev()),
            }
        }
        out
    }

    /// Ancestors of `id`, nearest first (excluding `id`).
    pub fn ancestors(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }
}

pub fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
    )
}

/// Elements whose content is not markup. `title`/`textarea` content has entities decoded.
pub fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "textarea"
            | "title"
            | "plaintext"
    )
}

/// Elements before which an open `<p>` is implicitly closed.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
    )
}

/// Elements that bound the search for an open `<p>`/`<li>` to close.
fn is_scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "body"
            | "div"
            | "article"
            | "section"
            | "main"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "td"
            | "th"
            | "table"
            | "blockquote"
            | "figure"
            | "button"
            | "form"
    )
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<usize>,
}

impl Builder {
    fn current(&self) -> usize {
        *self.stack.last().unwrap_or(&Dom::ROOT)
    }

    fn append(&mut self, data: NodeData) -> usize {
        let parent = self.current();
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(parent),
            children: Vec::new(),
            data,
        });
        self.nodes[parent].children.push(id);
        id
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        let cur = self.current();
        if let Some(&last) = self.nodes[cur].children.last() {
            if let NodeData::Text(s) = &mut self.nodes[last].data {
                s.push_str(t);
                return;
            }
        }
        self.append(NodeData::Text(t.to_string()));
    }

    fn name_at(&self, i: usize) -> &str {
        match &self.nodes[self.stack[i]].data {
            NodeData::Element { name, .. } => name,
            _ => "",
        }
    }

    /// Pops up to and including the nearest open `target` within scope, if any.
    fn close_in_scope(&mut self, targets: &[&str], boundaries: &[&str]) {
        for i in (1..self.stack.len()).rev() {
            let n = self.name_at(i);
            if targets.contains(&n) {
                self.stack.truncate(i);
                return;
            }
            if boundaries.contains(&n) || is_scope_boundary(n) {
                return;
            }
        }
    }

    fn start(&mut self, name: String, attrs: Vec<(String, String)>) -> usize {
        if matches!(name.as_str(), "html" | "body" | "head") && self.is_open(&name) {
            return self.current();
        }
        if closes_p(&name) {
            self.close_in_scope(&["p"], &[]);
        }
        match name.as_str() {
            "li" => self.close_in_scope(&["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => self.close_in_scope(&["dt", "dd"], &["dl"]),
            "tr" => self.close_in_scope(&["tr", "td", "th"], &["tbody", "thead", "tfoot"]),
            "td" | "th" => self.close_in_scope(&["td", "th"], &["tr"]),
            "option" => self.close_in_scope(&["option"], &["select"]),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let top = self.name_at(self.stack.len() - 1);
                if top.len() == 2 && top.starts_with('h') && top.as_bytes()[1].is_ascii_digit() {
                    self.stack.pop();
                }
            }
            _ => {}
        }
        let void = is_void(&name);
        let id = self.append(NodeData::Element { name, attrs });
        if !void && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        id
    }

    fn is_open(&self, name: &str) -> bool {
        (1..self.stack.len()).any(|i| self.name_at(i) == name)
    }

    fn end(&mut self, name: &str) {
        if matches!(name, "html" | "body" | "head") {
            if name == "head" {
                self.close_in_scope(&["head"], &[]);
            }
            return;
        }
        for i in (1..self.stack.len()).rev() {
            if self.name_at(i) == name {
                self.stack.truncate(i);
                return;
            }
        }
    }
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0].to_ascii_lowercase();
    let upper = needle[0].to_ascii_uppercase();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let off = memchr::memchr2(first, upper, &hay[i..=hay.len() - needle.len()])?;
        let at = i + off;
        if hay[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Index of the previous char boundary at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Parses a whole document.
pub fn parse(html: &str) -> Dom {
    let mut b = Builder {
        nodes: vec![Node {
            parent: None,
            children: Vec::new(),
            data: NodeData::Document,
        }],
        stack: vec![Dom::ROOT],
    };
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    let mut decoded = String::new();
    while i < len {
        let Some(off) = memchr::memchr(b'<', &bytes[i..]) else {
            decoded.clear();
            entities::decode_into(&html[i..], &mut decoded);
            b.text(&decoded);
            break;
        };
        let lt = i + off;
        if lt > i {
            decoded.clear();
            entities::decode_into(&html[i..lt], &mut decoded);
            b.text(&decoded);
        }
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            i = match memchr::memmem::find(&rest[4..], b"-->") {
                Some(p) => lt + 4 + p + 3,
                None => len,
            };
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = match memchr::memchr(b'>', rest) {
                Some(p) => lt + p + 1,
                None => len,
            };
        } else if rest.len() > 2 && rest[1] == b'/' && rest[2].is_ascii_alphabetic() {
            let mut j = lt + 2;
            while j < len && !is_space(bytes[j]) && bytes[j] != b'>' && bytes[j] != b'/' {
                j += 1;
            }
            let name = html[lt + 2..j].to_ascii_lowercase();
            i = match memchr::memchr(b'>', &bytes[j..]) {
                Some(p) => j + p + 1,
                None => len,
            };
            b.end(&name);
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (name, attrs, self_closing, next) = parse_tag(html, lt + 1);
            i = next;
            let id = b.start(name.clone(), attrs);
            if is_raw_text(&name) && !self_closing {
                let close = format!("</{name}");
                let end = find_ci(&bytes[i..], close.as_bytes()).map_or(len, |p| i + p);
                let raw = &html[i..end];
                if name == "title" || name == "textarea" {
                    decoded.clear();
                    entities::decode_into(raw, &mut decoded);
                    b.text(&decoded);
                } else {
                    b.text(raw);
                }
                i = match memchr::memchr(b'>', &bytes[end..]) {
                    Some(p) => end + p + 1,
                    None => len,
                };
                if b.current() == id {
                    b.stack.pop();
                }
            } else if self_closing && b.current() == id && !is_void(&name) {
                // Only foreign elements really self-close, but treating `<div/>` as empty is
                // harmless for text extraction and avoids swallowing the rest of the page.
                b.stack.pop();
            }
        } else {
            b.text("<");
            i = lt + 1;
        }
        i = floor_boundary(html, i.min(len));
        if i <= lt {
            // Defensive: always make progress.
            i = lt + 1;
            while i < len && !html.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    Dom { nodes: b.nodes }
}

/// Parses a start tag whose name begins at `start`; returns name, attributes, whether it ended
/// with `/>`, and the index just after the tag.
fn parse_tag(html: &str, start: usize) -> (String, Vec<(String, String)>, bool, usize) {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut j = start;
    while j < len && !is_space(bytes[j]) && bytes[j] != b'>' && bytes[j] != b'/' {
        j += 1;
    }
    let name = html[start..j].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut self_closing = false;
    loop {
        while j < len && (is_space(bytes[j]) || bytes[j] == b'/') {
            self_closing = bytes[j] == b'/';
            j += 1;
        }
        if j >= len {
            return (name, attrs, self_closing, len);
        }
        if bytes[j] == b'>' {
            return (name, attrs, self_closing, j + 1);
        }
        self_closing = false;
        let ks = j;
        j += 1; // an attribute name may start with '='
        while j < len && !is_space(bytes[j]) && !matches!(bytes[j], b'=' | b'>' | b'/') {
            j += 1;
        }
        let key = html[ks..j].to_ascii_lowercase();
        while j < len && is_space(bytes[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < len && bytes[j] == b'=' {
            j += 1;
            while j < len && is_space(bytes[j]) {
                j += 1;
            }
            if j < len && (bytes[j] == b'"' || bytes[j] == b'\'') {
                let q = bytes[j];
                let vs = j + 1;
                let ve = memchr::memchr(q, &bytes[vs..]).map_or(len, |p| vs + p);
                value = entities::decode(&html[vs..ve]);
                j = (ve + 1).min(len);
            } else {
                let vs = j;
                while j < len && !is_space(bytes[j]) && bytes[j] != b'>' {
                    j += 1;
                }
                value = entities::decode(&html[vs..j]);
            }
        }
        if !attrs.iter().any(|(k, _)| *k == key) {
            attrs.push((key, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom) -> String {
        let mut out = String::new();
        for id in dom.preorder() {
            let depth = dom.ancestors(id).count().saturating_sub(1);
            match &dom.nodes[id].data {
                NodeData::Element { name, .. } => {
                    out.push_str(&format!("{}{}\n", " ".repeat(depth), name))
                }
                NodeData::Text(t) if !t.trim().is_empty() => {
                    out.push_str(&format!("{}{:?}\n", " ".repeat(depth), t.trim()))
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn implied_end_tags_and_raw_text() {
        let dom = parse(
            "<body><p>one<p>two<div>x</div><ul><li>a<li>b</ul>\
             <script>if (a<b) {}</p></script><title>A &amp; B</title></body>",
        );
        let o = outline(&dom);
        assert_eq!(
            o,
            "body\n p\n  \"one\"\n p\n  \"two\"\n div\n  \"x\"\n ul\n  li\n   \"a\"\n  li\n   \"b\"\n \
             script\n  \"if (a<b) {}</p>\"\n title\n  \"A & B\"\n"
        );
    }

    #[test]
    fn attributes_quoted_unquoted_and_entities() {
        let dom = parse(r#"<a href=/x?a=1&amp;b=2 class='c d' data-x="y" disabled>t</a>"#);
        let a = dom.preorder()[1];
        assert_eq!(dom.attr(a, "href"), Some("/x?a=1&b=2"));
        assert_eq!(dom.attr(a, "class"), Some("c d"));
        assert_eq!(dom.attr(a, "disabled"), Some(""));
        assert_eq!(dom.text(a), "t");
    }

    #[test]
    fn stray_end_tags_and_unclosed_markup_do_not_break() {
        let dom = parse("</div><p>a</span>b<!-- c<p>d</p> --><b>e<");
        assert_eq!(dom.text(Dom::ROOT), "abe<");
        let dom = parse("<p class=\"unterminated>text");
        assert_eq!(dom.nodes.len(), 2);
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(100_000) + "x";
        let dom = parse(&html);
        let deepest = dom
            .preorder()
            .into_iter()
            .map(|id| dom.ancestors(id).count())
            .max();
        assert!(deepest.unwrap() <= MAX_DEPTH + 1);
        assert_eq!(dom.text(Dom::ROOT), "x");
    }
}
