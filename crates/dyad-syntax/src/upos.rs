//! The 17 universal part-of-speech tags.

macro_rules! upos {
    ($($v:ident),* $(,)?) => {
        /// A universal part-of-speech tag.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Upos { $($v),* }

        impl Upos {
            pub const ALL: &'static [Upos] = &[$(Upos::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Upos::$v => stringify!($v)),* }
            }
            pub fn parse(s: &str) -> Option<Upos> {
                match s { $(stringify!($v) => Some(Upos::$v),)* _ => None }
            }
        }
    };
}

upos!(
    ADJ, ADP, ADV, AUX, CCONJ, DET, INTJ, NOUN, NUM, PART, PRON, PROPN, PUNCT, SCONJ, SYM, VERB, X
);

impl Upos {
    pub const COUNT: usize = 17;
    pub fn from_index(i: usize) -> Upos {
        Upos::ALL[i.min(Upos::COUNT - 1)]
    }
}

impl std::fmt::Display for Upos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trip() {
        assert_eq!(Upos::ALL.len(), Upos::COUNT);
        for (i, &u) in Upos::ALL.iter().enumerate() {
            assert_eq!(Upos::parse(u.as_str()), Some(u));
            assert_eq!(Upos::from_index(i), u);
            assert_eq!(u as usize, i);
        }
        assert_eq!(Upos::parse("NOUNS"), None);
    }
}
