//! dyad-dict
