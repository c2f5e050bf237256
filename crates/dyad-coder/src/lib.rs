//! dyad-coder
