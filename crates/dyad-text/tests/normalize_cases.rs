//! Normalization and its offset map back to the original text.

use dyad_core::Span;
use dyad_text::normalize;

#[test]
fn ascii_is_unchanged() {
    let n = normalize("Plain ASCII text - with \"quotes\".");
    assert_eq!(n.text, "Plain ASCII text - with \"quotes\".");
    assert!(n.is_identity());
    for i in 0..=n.text.len() {
        assert_eq!(n.to_original(i), i);
    }
}

#[test]
fn folds_quotes_dashes_spaces_ellipsis() {
    let src = "“Russia’s war” — it\u{a0}said… ‘no’ – fine\u{2009}ok ‐ x";
    let n = normalize(src);
    assert_eq!(n.text, "\"Russia's war\" - it said... 'no' - fine ok - x");
}

#[test]
fn offsets_map_back() {
    // “ is 3 bytes, ’ is 3 bytes, NBSP is 2 bytes, … is 3 bytes.
    let src = "“A’s b\u{a0}c…d”";
    let n = normalize(src);
    assert_eq!(n.text, "\"A's b c...d\"");
    let pairs: &[(usize, usize)] = &[
        (0, 0),   // " <- “
        (1, 3),   // A
        (2, 4),   // ' <- ’
        (3, 7),   // s
        (4, 8),   // space
        (5, 9),   // b
        (6, 10),  // ' ' <- NBSP
        (7, 12),  // c
        (8, 13),  // first '.' <- …
        (9, 13),  // inside the ellipsis: start of …
        (10, 13), // inside the ellipsis
        (11, 16), // d
        (12, 17), // " <- ”
        (13, 20), // end
    ];
    for &(norm, orig) in pairs {
        assert_eq!(n.to_original(norm), orig, "normalized offset {norm}");
    }
    // Every mapped offset is a char boundary of the original.
    for i in 0..=n.text.len() {
        assert!(src.is_char_boundary(n.to_original(i)));
        assert!(src.is_char_boundary(n.to_original_end(i)));
    }
}

#[test]
fn span_mapping_covers_replaced_chars() {
    let src = "said… “No”";
    let n = normalize(src);
    assert_eq!(n.text, "said... \"No\"");
    // "..." -> "…"
    let s = n.span_to_original(Span::new(4, 7));
    assert_eq!(s.slice(src), "…");
    // "\"No\"" -> "“No”"
    let s = n.span_to_original(Span::new(8, 12));
    assert_eq!(s.slice(src), "“No”");
    // "No" alone
    let s = n.span_to_original(Span::new(9, 11));
    assert_eq!(s.slice(src), "No");
    // Half of the ellipsis still maps to the whole char.
    let s = n.span_to_original(Span::new(5, 6));
    assert_eq!(s.slice(src), "…");
}

#[test]
fn past_the_end_clamps() {
    let n = normalize("a—b");
    assert_eq!(n.text, "a-b");
    assert_eq!(n.to_original(3), 5);
    assert_eq!(n.to_original(100), 5);
    assert_eq!(n.to_original(2), 4);
}

#[test]
fn other_unicode_is_kept() {
    let n = normalize("Côte d'Ivoire, Zelenskyy, Путин");
    assert_eq!(n.text, "Côte d'Ivoire, Zelenskyy, Путин");
    assert!(n.is_identity());
    assert_eq!(n.to_original(5), 5);
}
