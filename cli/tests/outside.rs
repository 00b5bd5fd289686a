//! The `openapi-rs` command as a user outside this workspace runs it: in a temporary folder of
//! its own, a multi-file spec (Zoom's Chatbot API, `specs/chatbot.yaml` and the files under
//! `specs/chatbot/`) goes through generate → build → check (clean) → edit one spec file → check
//! (fails, naming the file) → diff. Also `--help` everywhere, a typo's suggestion, and the exit
//! codes `--help` documents.

mod common;

use common::{cargo_build, copy_tree, run, text, workspace, Scratch, CLI};
use std::path::Path;
use std::process::Command;

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
    // The same check from the crate's own folder, the paths spelled from there: the headers
    // name the command as `generate` was typed, and that spelling is not drift.
    let from_crate = [
        "check",
        "--spec",
        "../api/chatbot.yaml",
        "--out",
        ".",
        "--config",
        "../api/chatbot.toml",
    ];
    let out = run(&dir.join("client"), &from_crate);
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

    // Piped into a reader that stops early (`| head`): still the command's own exit code, not
    // a panic's. The pipe is closed before the command has generated anything to write.
    let mut child = Command::new(CLI)
        .args([&["check"][..], &target].concat())
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("the CLI ends");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

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

    // `--runtime` at a folder that is not the runtime crate: a bad argument, refused before
    // anything is written (Cargo would otherwise fail on the generated manifest).
    user_spec(dir);
    let codegen = workspace().join("codegen");
    let out = run(
        dir,
        &[
            "generate",
            "--spec",
            "api/chatbot.yaml",
            "--out",
            "client",
            "--runtime",
            &codegen.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not of `openapi-rs-runtime`"),
        "{}",
        text(&out)
    );
    assert!(!dir.join("client").exists(), "nothing is written");

    // A folder that holds a crate of the user's own: refused (exit 3), its files untouched.
    std::fs::create_dir_all(dir.join("mine/src")).expect("mkdir");
    std::fs::write(dir.join("mine/Cargo.toml"), "[package]\nname = \"mine\"\n").expect("write");
    std::fs::write(dir.join("mine/src/lib.rs"), "// mine\n").expect("write");
    let out = run(
        dir,
        &["generate", "--spec", "api/chatbot.yaml", "--out", "mine"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds a crate the generator did not make"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("mine/src/lib.rs")).expect("read"),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_dir(dir.join("mine/src"))
            .expect("dir")
            .count(),
        1,
        "nothing is added"
    );

    // `check` of a folder with no crate: out of date, said in one line rather than every file
    // printed as added.
    let out = run(
        dir,
        &[
            "check",
            "--spec",
            "api/chatbot.yaml",
            "--out",
            "nowhere",
            "--config",
            "api/chatbot.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(out.stdout.is_empty(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no generated crate here"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_crate_generated_with_a_shared_runtime_builds_and_checks_its_version() {
    let scratch = Scratch::new("shared");
    let dir = &scratch.0;
    user_spec(dir);
    let runtime = workspace().join("runtime");
    let runtime = runtime.to_string_lossy();
    let target = [
        "--spec",
        "api/chatbot.yaml",
        "--out",
        "client",
        "--config",
        "api/chatbot.toml",
        "--runtime",
        runtime.as_ref(),
    ];
    let out = run(dir, &[&["generate"][..], &target].concat());
    assert!(out.status.success(), "{}", text(&out));
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("openapi-rs-runtime = { path = \""),
        "{manifest}"
    );
    // Only the runtime, besides the optional crates of the opt-in `middleware` and `mock`
    // features.
    let required: Vec<&str> = manifest
        .lines()
        .skip_while(|l| *l != "[dependencies]")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.contains("optional = true"))
        .collect();
    assert!(
        required.len() == 1 && required[0].starts_with("openapi-rs-runtime = "),
        "only the runtime: {manifest}"
    );
    // The Chatbot spec needs the Zoom profile and none of the runtime's other optional parts.
    assert!(
        manifest.contains("default-features = false, features = [\"zoom\"]"),
        "{manifest}"
    );
    assert!(
        !dir.join("client/src/client.rs").exists(),
        "no copy of the runtime"
    );
    let build = cargo_build(&dir.join("client"), &[]);
    assert!(
        build.status.success(),
        "the crate does not build:\n{}",
        text(&build)
    );
    let out = run(dir, &[&["check"][..], &target].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Made for another runtime version: a compile error that says what to do.
    let lib = dir.join("client/src/lib.rs");
    let text_of_lib = std::fs::read_to_string(&lib).expect("lib.rs");
    assert!(
        text_of_lib.contains("is_version(\"0.1.0\")"),
        "{text_of_lib}"
    );
    std::fs::write(
        &lib,
        text_of_lib.replace("is_version(\"0.1.0\")", "is_version(\"9.9.9\")"),
    )
    .expect("edit");
    let build = cargo_build(&dir.join("client"), &[]);
    assert!(!build.status.success(), "a version mismatch must not build");
    assert!(
        String::from_utf8_lossy(&build.stderr)
            .contains("regenerate it with the generator that goes with your runtime"),
        "{}",
        text(&build)
    );
}

/// The README's recipe for a user's own xtask, taken from the README as written, run as the
/// `main` of a tool outside the workspace.
#[test]
fn the_readme_recipe_for_a_users_own_xtask_runs() {
    let scratch = Scratch::new("xtask-recipe");
    let dir = &scratch.0;
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let section = readme
        .split("### From your own xtask or tool: the library")
        .nth(1)
        .expect("the README has the recipe");
    let code: String = section
        .split("```rust,no_run\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block")
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .map(|l| format!("        {l}\n"))
        .collect();
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::create_dir_all(dir.join("api")).expect("mkdir");
    // The recipe's paths: the security test spec (JSON is YAML too) and a config.
    std::fs::copy(
        root.join("specs/security.json"),
        dir.join("api/openapi.yaml"),
    )
    .expect("copy");
    std::fs::write(
        dir.join("api/my-client.toml"),
        "[crate]\nname = \"my-client\"\n",
    )
    .expect("config");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"my-xtask\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nopenapi-rs-codegen = {{ path = \"{}\" }}\n",
            root.join("codegen").display()
        ),
    )
    .expect("manifest");
    std::fs::write(
        dir.join("src/main.rs"),
        format!(
            "fn main() {{\n    let run = || {{\n{code}    }};\n    if let Err(e) = run() {{\n        eprintln!(\"{{e}}\");\n        std::process::exit(1);\n    }}\n}}\n"
        ),
    )
    .expect("main.rs");
    let build = cargo_build(dir, &[]);
    assert!(
        build.status.success(),
        "the recipe does not build:\n{}",
        text(&build)
    );
    let out = Command::new(workspace().join("target/outside/debug/my-xtask"))
        .current_dir(dir)
        .output()
        .expect("the tool runs");
    assert!(out.status.success(), "{}", text(&out));
    let manifest = std::fs::read_to_string(dir.join("crates/my-client/Cargo.toml"))
        .expect("the recipe wrote the crate");
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    // Written, then checked: nothing differs, so the check prints nothing.
    assert!(out.stderr.is_empty(), "{}", text(&out));
}
