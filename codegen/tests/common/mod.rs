//! What the tests that build generated crates share.

use std::path::Path;

/// The environment for `cargo` building generated crates: one target directory for every such
/// test, so their dependencies (reqwest, tokio, serde, ...) are built and stored once, and no
/// incremental state, since each crate is built once per run. Both keep the suite's disk use
/// small enough for a CI machine.
pub fn generated_crates_build_env() -> [(&'static str, std::ffi::OsString); 2] {
    [
        (
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("generated-target")
                .into_os_string(),
        ),
        ("CARGO_INCREMENTAL", "0".into()),
    ]
}
