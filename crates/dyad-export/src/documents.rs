//! What identifies a document across inputs, as the store and the Spark job both count it: its
//! key (URL, else id), its publisher (for NumSources) and a hash of its content (to tell a new
//! version of an article from the same one read again).

use crate::{EventRecord, GdeltContext};
use dyad_core::{Document, Event};
use dyad_dict::Dictionary;

/// The place part of an event's key: the place's type and feature id ("4:99072"), '' when no
/// place is coded. Events at different places are different events, as in GDELT.
pub fn place_key(e: &dyad_core::Event) -> String {
    e.place
        .as_ref()
        .map_or_else(String::new, |p| format!("{}:{}", p.geo_type, p.feature_id))
}

/// The key a document is stored under: its URL when it has one, else its id. A new version of
/// an article at the same URL replaces the old one.
pub fn document_key(d: &Document) -> &str {
    match d.url.as_deref() {
        Some(u) if !u.trim().is_empty() => u,
        _ => &d.id,
    }
}

/// The publisher of a document, for NumSources: the URL's host without `www.`, else the source
/// name, else empty.
pub fn domain_of(d: &Document) -> String {
    if let Some(u) = d.url.as_deref() {
        if let Some((_, rest)) = u.split_once("://") {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = host.rsplit('@').next().unwrap_or(host);
            let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
            let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
            if !host.is_empty() {
                return host;
            }
        }
    }
    d.source.clone().unwrap_or_default()
}

/// A 64-bit hash of the parts, 8 bytes at a time; stable across platforms and releases (unlike
/// std's hasher). Not cryptographic: it tells a changed article from the stored one.
fn stable_hash(parts: &[&str]) -> String {
    let mix = |h: u64, w: u64| (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        let b = p.as_bytes();
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let r = chunks.remainder();
        let mut last = [0u8; 8];
        last[..r.len()].copy_from_slice(r);
        h = mix(h, u64::from_le_bytes(last));
        h = mix(h, b.len() as u64);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    format!("{h:016x}")
}

pub fn content_hash(d: &Document, dict_version: &str) -> String {
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    stable_hash(&[
        &d.id,
        &o(&d.url),
        &o(&d.title),
        &o(&d.author),
        &o(&d.published),
        &o(&d.modified),
        &o(&d.source),
        &o(&d.language),
        &d.text,
        dict_version,
    ])
}

impl EventRecord {
    /// The record an event gets from its first-seen mention in `doc`; the counts (NumMentions,
    /// NumSources, NumArticles) and GLOBALEVENTID are zero, for the caller to fill in.
    pub fn first_seen(e: &Event, doc: &Document, in_lead: bool, dict: &Dictionary) -> Self {
        let stamp = crate::gdelt_timestamp_utc(doc.published.as_deref());
        let ctx = GdeltContext {
            global_event_id: 0,
            num_mentions: 0,
            num_sources: 0,
            num_articles: 0,
            is_root: in_lead,
            date_added: &stamp,
            source_url: doc.url.as_deref().unwrap_or(&doc.id),
        };
        EventRecord::from_event(e, &ctx, dict)
    }
}
