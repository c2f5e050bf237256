//! dyad-text
