//! A CAMEO actor code held inline, so mentions never allocate.

use std::fmt;

/// Up to five 3-letter units (`RUSGOV`, `IGOUNOPKO`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Code {
    buf: [u8; 15],
    len: u8,
}

impl Code {
    pub fn new(s: &str) -> Code {
        let mut c = Code::default();
        c.push(s);
        c
    }
    /// Appends role units, silently stopping at the capacity (five units).
    pub fn push(&mut self, s: &str) {
        for &b in s.as_bytes() {
            if (self.len as usize) < self.buf.len() && b.is_ascii_uppercase() {
                self.buf[self.len as usize] = b;
                self.len += 1;
            }
        }
    }
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case bytes are ever stored.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
    pub fn len(&self) -> usize {
        self.len as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_concatenate_units() {
        let mut c = Code::new("RUS");
        c.push("GOV");
        assert_eq!(c.as_str(), "RUSGOV");
        assert_eq!(c.len(), 6);
        let mut full = Code::new("AAABBBCCCDDDEEE");
        full.push("FFF");
        assert_eq!(full.as_str(), "AAABBBCCCDDDEEE");
    }
}
