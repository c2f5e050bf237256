//! Character classes and word lists shared by the segmenter and the tokenizer.
//!
//! Everything here is a `match` or a byte table: no allocation, no hashing.

/// ASCII byte classes for the tokenizer.
pub(crate) const WS: u8 = 0;
pub(crate) const ALPHA: u8 = 1;
pub(crate) const DIGIT: u8 = 2;
pub(crate) const PUNCT: u8 = 3;
pub(crate) const HIGH: u8 = 4;

/// Class of every byte: ASCII whitespace, letter, digit, other ASCII (punctuation, symbols and
/// control characters), or a non-ASCII byte (decode the char to decide).
pub(crate) static BYTE_CLASS: [u8; 256] = {
    let mut t = [HIGH; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' || b == 0x0b || b == 0x0c {
            WS
        } else if b.is_ascii_alphabetic() {
            ALPHA
        } else if b.is_ascii_digit() {
            DIGIT
        } else {
            PUNCT
        };
        i += 1;
    }
    t
};

/// Combining marks (accents written as a separate code point): part of the word they follow.
#[inline]
pub(crate) fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0670 | 0x06D6..=0x06DC | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE20..=0xFE2F)
}

/// Invisible format characters (soft hyphen, zero-width space/joiners, word joiner, BOM): they
/// neither start nor end a word and are left out of normalized forms.
#[inline]
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// A char that belongs inside a word.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining(c)
}

/// Apostrophes: straight, curly, prime-like and modifier letter.
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{00B4}' | '`' | '\u{02BC}' | '\u{2032}'
    )
}

/// Hyphens that join the parts of a word ("al-Sudani", "two‐hour"). En and em dashes do not.
#[inline]
pub(crate) fn is_word_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Folded form of a quote, dash or ellipsis char; `None` for any other char.
#[inline]
pub fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{00B4}' | '`' | '\u{02BC}'
        | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => "\"",
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2043}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => "-",
        '\u{2026}' => "...",
        _ => return None,
    })
}

/// Chars that may close a sentence after its final punctuation: quotes and brackets.
#[inline]
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '\u{201D}'
            | '\u{2019}'
            | '\u{00BB}'
            | '\u{203A}'
            | '\u{201C}'
    )
}

/// Chars that may open a sentence before its first word: quotes and brackets.
#[inline]
pub(crate) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '('
            | '['
            | '{'
            | '\u{201C}'
            | '\u{2018}'
            | '\u{00AB}'
            | '\u{2039}'
            | '\u{201E}'
    )
}

/// How an abbreviation's period behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbrev {
    /// Always followed by more of the sentence ("Mr.", "Gen.", "vs.", "e.g.").
    Title,
    /// Can end a sentence ("U.S.", "Inc.", "Jr.", "a.m.", initials): ends one only when the next
    /// word is a typical sentence starter.
    Ambiguous,
}

/// Classifies `word` (the text before a period, without the period) as an abbreviation.
pub(crate) fn abbrev(word: &str) -> Option<Abbrev> {
    // In a hyphenated compound the last part decides ("Kenya-U.S").
    let word = match word.rfind('-') {
        Some(p) => &word[p + 1..],
        None => word,
    };
    let b = word.as_bytes();
    if b.is_empty() {
        return None;
    }
    if b.contains(&b'.') {
        // Dotted initialisms: "U.S", "U.N", "a.m", "Ph.D", "e.g", "D.C", "U.S.A".
        let mut ok = true;
        for part in b.split(|&c| c == b'.') {
            if part.is_empty() || part.len() > 2 || !part.iter().all(u8::is_ascii_alphabetic) {
                ok = false;
                break;
            }
        }
        if !ok {
            return None;
        }
        return Some(match word {
            "e.g" | "i.e" | "E.g" | "I.e" => Abbrev::Title,
            _ => Abbrev::Ambiguous,
        });
    }
    // A single capital letter: an initial ("Robert S. Mueller", "George W. Bush").
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return Some(Abbrev::Ambiguous);
        }
    }
    match word {
        "Mr" | "Mrs" | "Ms" | "Messrs" | "Mmes" | "Dr" | "Drs" | "Prof" | "Profs" | "Sen"
        | "Sens" | "Rep" | "Reps" | "Gov" | "Govs" | "Gen" | "Gens" | "Lt" | "Col" | "Maj"
        | "Capt" | "Cmdr" | "Cdr" | "Sgt" | "Cpl" | "Pvt" | "Spc" | "Adm" | "Brig" | "Rev"
        | "Hon" | "Pres" | "Supt" | "Insp" | "Det" | "Amb" | "Atty" | "Msgr" | "Fr" | "Mt"
        | "Ft" | "Ret" | "Nos" | "MR" | "MRS" | "MS" | "DR" | "SEN" | "REP" | "GOV" | "GEN"
        | "vs" | "Vs" | "v" | "cf" | "approx" | "Approx" | "viz" | "ca" => Some(Abbrev::Title),
        "Jr" | "Sr" | "St" | "Inc" | "Co" | "Corp" | "Ltd" | "Bros" | "Plc" | "Cos" | "Assn"
        | "Dept" | "Govt" | "Univ" | "Ave" | "Blvd" | "Rd" | "Hwy" | "No" | "etc" | "al"
        | "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct"
        | "Nov" | "Dec" | "Ala" | "Ariz" | "Ark" | "Calif" | "Colo" | "Conn" | "Fla" | "Ga"
        | "Kan" | "Kans" | "Ky" | "Md" | "Mich" | "Minn" | "Mont" | "Neb" | "Nev" | "Okla"
        | "Pa" | "Tenn" | "Tex" | "Va" | "Vt" | "Wis" | "Wyo" | "INC" | "CO" | "CORP" | "LTD"
        | "JR" | "SR" | "ST" => Some(Abbrev::Ambiguous),
        _ => None,
    }
}

/// Capitalized words that typically begin a sentence. After an ambiguous abbreviation ("U.S.",
/// "Inc.", an initial) a sentence ends only if one of these follows.
pub(crate) fn is_sentence_starter(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Here"
            | "In"
            | "On"
            | "At"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "However"
            | "Meanwhile"
            | "Also"
            | "After"
            | "Before"
            | "When"
            | "While"
            | "If"
            | "As"
            | "Although"
            | "Though"
            | "Since"
            | "Because"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "Our"
            | "My"
            | "Your"
            | "Some"
            | "Many"
            | "Most"
            | "Several"
            | "Both"
            | "Each"
            | "Every"
            | "All"
            | "Other"
            | "Earlier"
            | "Later"
            | "Last"
            | "Next"
            | "Still"
            | "Then"
            | "Now"
            | "Today"
            | "Yesterday"
            | "Tomorrow"
            | "What"
            | "Who"
            | "Why"
            | "How"
            | "Where"
            | "Which"
            | "Such"
            | "According"
            | "Under"
            | "During"
            | "For"
            | "From"
            | "With"
            | "Without"
            | "By"
            | "Despite"
            | "Instead"
            | "Asked"
            | "Speaking"
            | "Separately"
            | "Elsewhere"
            | "Further"
            | "Furthermore"
            | "Moreover"
            | "Nevertheless"
            | "Nonetheless"
            | "Thus"
            | "Therefore"
            | "Indeed"
            | "Not"
            | "Neither"
            | "Nor"
            | "Only"
            | "Even"
            | "Just"
            | "Among"
            | "Amid"
            | "Over"
            | "Within"
            | "Until"
            | "Unlike"
            | "Following"
            | "Once"
            | "Whether"
            | "Perhaps"
            | "Another"
            | "Any"
            | "Few"
            | "Much"
            | "More"
            | "Mr"
            | "Mrs"
            | "Ms"
            | "Dr"
            | "To"
            | "Let"
            | "Again"
            | "Already"
            | "Yes"
            | "No"
            | "Please"
            | "Overall"
            | "Finally"
            | "First"
            | "Second"
            | "Third"
            | "Similarly"
            | "Likewise"
            | "Previously"
            | "Currently"
            | "Recently"
            | "Afterward"
            | "Afterwards"
            | "Initially"
            | "Ultimately"
            | "Shortly"
            | "Soon"
            | "Meantime"
            | "Otherwise"
            | "Accordingly"
            | "Consequently"
            | "Additionally"
            | "Besides"
            | "Regardless"
            | "Rather"
            | "Clearly"
            | "Obviously"
            | "Notably"
            | "Importantly"
            | "Unfortunately"
            | "Fortunately"
            | "Eventually"
            | "Around"
            | "About"
            | "Against"
            | "Between"
            | "Through"
            | "Throughout"
            | "Upon"
            | "Along"
            | "Beyond"
            | "Behind"
            | "Near"
            | "Inside"
            | "Outside"
            | "Across"
            | "Toward"
            | "Towards"
            | "Via"
            | "Whatever"
            | "Whoever"
            | "Whichever"
            | "Wherever"
            | "Whenever"
            | "Everyone"
            | "Everybody"
            | "Everything"
            | "Nobody"
            | "Nothing"
            | "None"
            | "Someone"
            | "Somebody"
            | "Something"
            | "Anyone"
            | "Anything"
            | "One"
            | "Two"
            | "Three"
            | "Four"
            | "Five"
            | "Six"
            | "Seven"
            | "Eight"
            | "Nine"
            | "Ten"
    )
}

/// Words that report speech. A `?` or `!` inside a quote does not end the sentence when the quote
/// is followed by its attribution (`"Why not?" Trump asked.`).
pub(crate) fn is_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "says"
            | "asked"
            | "asks"
            | "told"
            | "tells"
            | "added"
            | "adds"
            | "wrote"
            | "writes"
            | "tweeted"
            | "replied"
            | "replies"
            | "shouted"
            | "shouts"
            | "chanted"
            | "exclaimed"
            | "wondered"
            | "demanded"
            | "responded"
            | "answered"
            | "insisted"
            | "declared"
            | "continued"
            | "posted"
            | "cried"
            | "yelled"
            | "recalled"
            | "quipped"
            | "warned"
            | "stated"
            | "noted"
            | "explained"
            | "argued"
            | "countered"
            | "posed"
            | "tweets"
    )
}

/// Pronoun stems after which `'re`, `'ve`, `'ll`, `'d`, `'m` are contractions to split off.
pub(crate) fn is_contraction_stem(stem: &str) -> bool {
    let b = stem.as_bytes();
    if b.len() > 5 {
        return false;
    }
    let mut low = [0u8; 5];
    for (d, s) in low.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &low[..b.len()],
        b"i" | b"you"
            | b"he"
            | b"she"
            | b"it"
            | b"we"
            | b"they"
            | b"who"
            | b"that"
            | b"there"
            | b"what"
            | b"where"
            | b"here"
            | b"how"
            | b"why"
            | b"when"
    )
}

/// Decodes the char starting at byte `i` of `s` (which must be a char boundary).
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        s.get(i..)?.chars().next()
    }
}

/// Decodes the char ending at byte `i` of `s` (i.e. the char just before position `i`).
#[inline]
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    if i == 0 {
        return None;
    }
    let b = s.as_bytes()[i - 1];
    if b < 0x80 {
        Some(b as char)
    } else {
        s.get(..i)?.chars().next_back()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_classes() {
        assert_eq!(abbrev("U.S"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("Ph.D"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("e.g"), Some(Abbrev::Title));
        assert_eq!(abbrev("Mr"), Some(Abbrev::Title));
        assert_eq!(abbrev("Inc"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("S"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("Ö"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("voanews.com"), None);
        assert_eq!(abbrev("Moscow"), None);
        assert_eq!(abbrev("Kenya-U.S"), Some(Abbrev::Ambiguous));
        assert_eq!(abbrev("al-Sudani"), None);
        assert_eq!(abbrev("s"), None);
        assert_eq!(abbrev(""), None);
    }

    #[test]
    fn contraction_stems() {
        assert!(is_contraction_stem("They"));
        assert!(is_contraction_stem("I"));
        assert!(!is_contraction_stem("Sa"));
        assert!(!is_contraction_stem("somebody"));
    }
}
