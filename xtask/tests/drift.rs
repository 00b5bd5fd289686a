//! The drift check: `cargo test` alone fails when committed generated code differs from what the
//! generator makes, and every kind of difference is caught.

use std::path::{Path, PathBuf};
use xtask::{generate_crate, sync, Drift, Mode};

#[test]
fn committed_generated_code_is_up_to_date() {
    if let Err(message) = xtask::check(&xtask::workspace_root()) {
        panic!("{message}");
    }
}

/// A scratch copy of the bundled spec, its config and its generated crate.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("specs")).expect("mkdir");
        let root = xtask::workspace_root();
        for file in ["specs/master.json", "specs/master.toml"] {
            std::fs::copy(root.join(file), dir.join(file)).expect("copy spec");
        }
        let out = dir.join("crate");
        sync(&out, &Scratch::generate(&dir), Mode::Write).expect("write crate");
        Scratch { dir }
    }

    fn generate(dir: &Path) -> codegen::Generated {
        generate_crate(
            &dir.join("specs/master.json"),
            Some(&dir.join("specs/master.toml")),
            "specs/master.json".into(),
            "cargo xtask regen".into(),
        )
        .expect("generates")
    }

    fn check(&self) -> Vec<Drift> {
        sync(
            &self.dir.join("crate"),
            &Scratch::generate(&self.dir),
            Mode::Check,
        )
        .expect("check")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn one_changed_byte_is_drift_with_a_diff_naming_the_file() {
    let s = Scratch::new("byte");
    assert!(s.check().is_empty());
    let file = s.dir.join("crate/src/types.rs");
    let mut bytes = std::fs::read(&file).expect("read");
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&file, bytes).expect("write");
    let drift = s.check();
    assert_eq!(drift.len(), 1);
    assert!(matches!(&drift[0], Drift::Changed { path, .. } if path == &file));
    let diff = drift[0].diff(&s.dir);
    assert!(diff.contains("a/crate/src/types.rs (committed)"), "{diff}");
    assert!(
        diff.lines().any(|l| l.starts_with('-')) && diff.lines().any(|l| l.starts_with('+')),
        "{diff}"
    );
}

#[test]
fn new_and_deleted_files_are_drift() {
    let s = Scratch::new("files");
    let extra = s.dir.join("crate/src/extra.rs");
    std::fs::write(&extra, "// hand-written\n").expect("write");
    std::fs::remove_file(s.dir.join("crate/src/lib.rs")).expect("rm");
    // Hand-written files outside what the generator owns are not drift.
    std::fs::create_dir_all(s.dir.join("crate/examples")).expect("mkdir");
    std::fs::write(s.dir.join("crate/examples/demo.rs"), "fn main() {}\n").expect("write");
    let drift = s.check();
    assert_eq!(drift.len(), 2, "{drift:?}");
    assert!(drift
        .iter()
        .any(|d| matches!(d, Drift::Missing { path, .. } if path.ends_with("src/lib.rs"))));
    assert!(drift
        .iter()
        .any(|d| matches!(d, Drift::Stale { path, .. } if path == &extra)));
}

#[test]
fn a_changed_spec_byte_is_drift() {
    let s = Scratch::new("spec");
    let spec = s.dir.join("specs/master.json");
    let text = std::fs::read_to_string(&spec).expect("read").replacen(
        "List all clips",
        "List all Clips",
        1,
    );
    std::fs::write(&spec, text).expect("write");
    let drift = s.check();
    // The summary changes operations.rs; the spec's hash changes every header.
    assert!(drift
        .iter()
        .any(|d| matches!(d, Drift::Changed { path, .. } if path.ends_with("src/operations.rs"))));
    let generated = Scratch::generate(&s.dir);
    assert_eq!(
        drift.len(),
        generated.files.len(),
        "every generated file carries the spec's hash"
    );
}

#[test]
fn write_mode_touches_only_changed_files() {
    let s = Scratch::new("write");
    let generated = Scratch::generate(&s.dir);
    assert!(sync(&s.dir.join("crate"), &generated, Mode::Write)
        .expect("sync")
        .is_empty());
    let lib = s.dir.join("crate/src/lib.rs");
    let before = std::fs::metadata(&lib)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(s.dir.join("crate/src/types.rs"), "changed").expect("write");
    let written = sync(&s.dir.join("crate"), &generated, Mode::Write).expect("sync");
    assert_eq!(written.len(), 1);
    assert_eq!(
        std::fs::metadata(&lib)
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );
    assert!(s.check().is_empty());
}

#[test]
fn a_failing_generation_writes_nothing() {
    let s = Scratch::new("fail");
    std::fs::write(s.dir.join("specs/master.json"), "{ not json").expect("write");
    let result = xtask::generate(&s.dir.join("specs/master.json"), &s.dir.join("out"), None);
    let err = result.expect_err("bad spec");
    assert!(err.contains("master.json: not valid JSON"), "{err}");
    assert!(
        !s.dir.join("out").exists(),
        "nothing may be written when generation fails"
    );
}
