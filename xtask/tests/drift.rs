//! The drift check: `cargo test` alone fails when committed generated code differs from what the
//! generator makes, and every kind of difference is caught.

use codegen::Drift;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::generate_crate;

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
        Scratch::generate(&dir).write_to(&out).expect("write crate");
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
        Scratch::generate(&self.dir)
            .check(self.dir.join("crate"))
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
    // The summary changes operations.rs; the spec's hash is in lib.rs alone.
    let mut changed: Vec<String> = drift
        .iter()
        .map(|d| match d {
            Drift::Changed { path, .. }
            | Drift::Missing { path, .. }
            | Drift::Stale { path, .. } => path.display().to_string(),
        })
        .collect();
    changed.sort();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].ends_with("src/lib.rs"), "{changed:?}");
    assert!(changed[1].ends_with("src/operations.rs"), "{changed:?}");
}

#[test]
fn write_mode_touches_only_changed_files() {
    let s = Scratch::new("write");
    let generated = Scratch::generate(&s.dir);
    assert!(generated
        .write_to(s.dir.join("crate"))
        .expect("sync")
        .is_empty());
    let lib = s.dir.join("crate/src/lib.rs");
    let before = std::fs::metadata(&lib)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(s.dir.join("crate/src/types.rs"), "changed").expect("write");
    let written = generated.write_to(s.dir.join("crate")).expect("sync");
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
    let result = xtask::generate(
        &s.dir.join("specs/master.json"),
        &s.dir.join("out"),
        None,
        false,
    );
    let err = result.expect_err("bad spec");
    assert!(err.contains("master.json: not valid JSON"), "{err}");
    assert!(
        !s.dir.join("out").exists(),
        "nothing may be written when generation fails"
    );
}

/// Copies a directory tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("read dir")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn editing_any_file_of_a_multi_file_spec_is_drift_that_names_the_file() {
    let dir = std::env::temp_dir().join(format!("xtask-drift-multi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root = xtask::workspace_root();
    std::fs::create_dir_all(dir.join("specs")).expect("mkdir");
    std::fs::copy(
        root.join("specs/chatbot.yaml"),
        dir.join("specs/chatbot.yaml"),
    )
    .expect("copy");
    copy_tree(&root.join("specs/chatbot"), &dir.join("specs/chatbot"));
    let config = std::fs::read_to_string(root.join("specs/chatbot.toml")).expect("config");
    let config = config.replace(
        "output = \"client-tests/generated/chatbot\"",
        "output = \"out\"",
    );
    std::fs::write(dir.join("specs/chatbot.toml"), config).expect("write config");
    xtask::regen(&dir, false).expect("regen");
    xtask::check(&dir).expect("no drift right after regen");

    // A description in one of the path files: only docs change, and the check says which file.
    let edited = dir.join("specs/chatbot/paths/message.yaml");
    let text = std::fs::read_to_string(&edited).expect("read");
    assert!(text.contains("description:"));
    std::fs::write(
        &edited,
        text.replacen("description: ", "description: Edited. ", 1),
    )
    .expect("edit");
    let message = xtask::check(&dir).expect_err("drift");
    assert!(
        message.contains(
            "spec: specs/chatbot/paths/message.yaml changed since the crate was generated"
        ),
        "{message}"
    );
    assert!(
        !message.contains("specs/chatbot/paths/messages.yaml changed"),
        "{message}"
    );
    // The combined SHA-256 in every header changed too.
    assert!(message.contains("(sha256 "), "{message}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `regen` and `check` say what a spec change does to the API, against the committed spec.
#[test]
fn regen_and_check_print_the_api_changes_since_head() {
    let dir = std::env::temp_dir().join(format!("xtask-api-changes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).expect("mkdir");
    let root = xtask::workspace_root();
    std::fs::copy(
        root.join("specs/master.json"),
        dir.join("specs/master.json"),
    )
    .expect("copy");
    let config = std::fs::read_to_string(root.join("specs/master.toml")).expect("config");
    std::fs::write(
        dir.join("specs/master.toml"),
        config.replace("output = \"generated-client\"", "output = \"out\""),
    )
    .expect("write config");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "specs"]);
    git(&["commit", "-q", "-m", "spec"]);
    let unchanged = xtask::regen(&dir, false).expect("regen");
    assert!(
        unchanged.contains("specs/master.json: no change to the crate's API since HEAD"),
        "{unchanged}"
    );

    // Zoom adds a clip status: a compatible change.
    let text = std::fs::read_to_string(dir.join("specs/master.json")).expect("spec");
    let mut spec: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    fn add_status(v: &mut serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(map) => {
                let mut n = 0;
                if let Some(serde_json::Value::Array(values)) = map.get_mut("enum") {
                    if values.iter().any(|x| x == "RECORD_SUCCESS") {
                        values.push("RECORD_ARCHIVED".into());
                        n += 1;
                    }
                }
                n + map.values_mut().map(add_status).sum::<usize>()
            }
            serde_json::Value::Array(items) => items.iter_mut().map(add_status).sum(),
            _ => 0,
        }
    }
    assert!(add_status(&mut spec) > 0);
    std::fs::write(dir.join("specs/master.json"), spec.to_string()).expect("edit");
    let message = xtask::check(&dir).expect_err("drift");
    assert!(
        message.contains("API changes of specs/master.json against HEAD"),
        "{message}"
    );
    assert!(
        message.contains("enum value `RECORD_ARCHIVED` added"),
        "{message}"
    );
    assert!(message.contains("semver: minor"), "{message}");
    let report = xtask::regen(&dir, false).expect("regen");
    assert!(report.contains("semver: minor"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
