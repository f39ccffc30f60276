//! Draws a [`Chart`](super::Chart) as an accessible, deterministic SVG document.
