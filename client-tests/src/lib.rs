//! Tests of the generated Zoom client against a local HTTP server; see `tests/`.
