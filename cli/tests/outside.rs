//! The `openapi-rs` command as a user outside this workspace runs it: in a temporary folder of
//! its own, a multi-file spec (Zoom's Chatbot API, `specs/chatbot.yaml` and the files under
//! `specs/chatbot/`) goes through generate → build → check (clean) → edit one spec file → check
//! (fails, naming the file) → diff. Also `--help` everywhere, a typo's suggestion, and the exit
//! codes `--help` documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLI: &str = env!("CARGO_BIN_EXE_openapi-rs");

fn workspace() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A folder outside the workspace, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("openapi-rs-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        assert!(
            !dir.starts_with(workspace()),
            "the scratch folder must be outside the workspace"
        );
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

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

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(CLI)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The spec and its config in `dir/api/`, as a user's repository would hold them.
fn user_spec(dir: &Path) {
    let root = workspace();
    std::fs::create_dir_all(dir.join("api")).expect("mkdir");
    std::fs::copy(
        root.join("specs/chatbot.yaml"),
        dir.join("api/chatbot.yaml"),
    )
    .expect("copy");
    copy_tree(&root.join("specs/chatbot"), &dir.join("api/chatbot"));
    // The user's config: the workspace's, less the key only `cargo xtask regen` reads.
    let config = std::fs::read_to_string(root.join("specs/chatbot.toml")).expect("config");
    let config: String = config
        .lines()
        .filter(|l| !l.starts_with("output"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("api/chatbot.toml"), config).expect("write config");
}

#[test]
fn generate_build_check_edit_check_diff_outside_the_workspace() {
    let scratch = Scratch::new("flow");
    let dir = &scratch.0;
    user_spec(dir);
    let target = [
        "--spec",
        "api/chatbot.yaml",
        "--out",
        "client",
        "--config",
        "api/chatbot.toml",
    ];

    let out = run(dir, &[&["generate"][..], &target].concat());
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join("client/Cargo.toml").is_file());
    assert!(dir.join("client/src/lib.rs").is_file());

    // The crate builds on its own, outside any workspace. The workspace's lock file keeps the
    // dependency versions it was tested with, and its target folder the compiled dependencies.
    std::fs::copy(
        workspace().join("Cargo.lock"),
        dir.join("client/Cargo.lock"),
    )
    .expect("lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = Command::new(&cargo)
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", workspace().join("target/outside"))
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(dir.join("client"))
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "the generated crate does not build:\n{}",
        text(&build)
    );

    let out = run(dir, &[&["check"][..], &target].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // One file of the multi-file spec changes: a new description.
    std::fs::create_dir_all(dir.join("old")).expect("mkdir");
    std::fs::copy(dir.join("api/chatbot.yaml"), dir.join("old/chatbot.yaml")).expect("copy");
    copy_tree(&dir.join("api/chatbot"), &dir.join("old/chatbot"));
    let edited = dir.join("api/chatbot/paths/messages.yaml");
    let spec = std::fs::read_to_string(&edited).expect("read");
    assert!(spec.contains("description: "), "{spec}");
    std::fs::write(
        &edited,
        spec.replacen("description: ", "description: Edited. ", 1),
    )
    .expect("edit");

    let out = run(dir, &[&["check"][..], &target].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("spec: chatbot/paths/messages.yaml changed since the crate was generated"),
        "{}",
        text(&out)
    );
    assert!(
        stdout.contains("+++ b/src/"),
        "a diff of the generated files:\n{}",
        text(&out)
    );
    assert!(
        !stdout.contains("spec: chatbot/schemas"),
        "only the edited file is named:\n{}",
        text(&out)
    );

    let out = run(
        dir,
        &[
            "diff",
            "old/chatbot.yaml",
            "api/chatbot.yaml",
            "--config",
            "api/chatbot.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some("semver: patch"),
        "{}",
        text(&out)
    );

    // Generating again brings the folder up to date.
    let out = run(dir, &[&["generate"][..], &target].concat());
    assert!(out.status.success(), "{}", text(&out));
    let out = run(dir, &[&["check"][..], &target].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn diff_reports_a_removed_operation_the_config_renames_and_fails_on_major() {
    let scratch = Scratch::new("diff");
    let dir = &scratch.0;
    let root = workspace();
    std::fs::copy(root.join("specs/master.json"), dir.join("old.json")).expect("copy");
    std::fs::copy(root.join("specs/master.toml"), dir.join("master.toml")).expect("copy");
    let mut spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("old.json")).expect("read"))
            .expect("JSON");
    let paths = spec["paths"].as_object_mut().expect("paths");
    let before = paths.len();
    paths.retain(|_, item| !item.to_string().contains("\"GetUserClips\""));
    assert_eq!(
        paths.len(),
        before - 1,
        "the renamed operation's path is dropped"
    );
    std::fs::write(dir.join("new.json"), spec.to_string()).expect("write");

    let args = ["diff", "old.json", "new.json", "--config", "master.toml"];
    let out = run(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("major  operation removed: `Client::list_clips`"),
        "{}",
        text(&out)
    );
    assert_eq!(
        stdout.lines().last(),
        Some("semver: major"),
        "{}",
        text(&out)
    );
    assert!(
        stderr.contains("[rename.operations] names operation `GetUserClips`")
            && stderr.contains("is stale"),
        "a warning for the config entry that names nothing now:\n{}",
        text(&out)
    );
    let out = run(dir, &[&args[..], &["--fail-on", "major"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let out = run(dir, &[&args[..], &["--format", "md"]].concat());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("### API changes"),
        "{}",
        text(&out)
    );
}

#[test]
fn help_typos_and_bad_input_have_their_exit_codes() {
    let scratch = Scratch::new("help");
    let dir = &scratch.0;
    for args in [
        &["--help"][..],
        &["generate", "--help"],
        &["check", "--help"],
        &["diff", "--help"],
    ] {
        let out = run(dir, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Exit codes:"),
            "{}",
            text(&out)
        );
    }
    let out = run(dir, &["genrate"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("generate"),
        "{}",
        text(&out)
    );
    let out = run(dir, &["generate", "--spec", "x.json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing --out: {}",
        text(&out)
    );

    // A spec that is not JSON: the file is named, and nothing is written.
    std::fs::write(dir.join("broken.json"), "{ not json").expect("write");
    let out = run(
        dir,
        &["generate", "--spec", "broken.json", "--out", "client"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.json"),
        "{}",
        text(&out)
    );
    assert!(
        !dir.join("client").exists(),
        "nothing is written for a spec that fails"
    );
    let out = run(
        dir,
        &["generate", "--spec", "missing.json", "--out", "client"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing.json"),
        "{}",
        text(&out)
    );
}
