//! Every fixture spec in `tests/fixtures/` (one per construct, named after it) is generated,
//! snapshotted with insta, and its whole crate compiled with clippy and rustdoc at `-D warnings`,
//! so a snapshot can never pin code that does not build.

mod common;

use openapi_rs_codegen::inspect::Input;
use openapi_rs_codegen::{Config, Generated};
use std::path::{Path, PathBuf};
use std::process::Command;

fn generate(spec: &Path) -> Generated {
    let name = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("fixture name");
    // A fixture may have a config beside it (`NAME.toml`), for features that only a config turns on.
    let beside = spec.with_extension("toml");
    let mut config = if beside.exists() {
        Config::load(&beside).unwrap_or_else(|e| panic!("{e}"))
    } else {
        Config::default()
    };
    config.krate.name = Some(format!("fixture-{}", name.replace('_', "-")));
    let bytes = std::fs::read(spec).expect("fixture readable");
    openapi_rs_codegen::inspect::generate(&Input {
        spec_path: spec,
        spec_bytes: &bytes,
        spec_label: format!("codegen/tests/fixtures/{name}.json"),
        config,
        command: "cargo test -p openapi-rs-codegen --test fixtures".into(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// Every name the runtime defines (read from its source), the constructors and builder methods
/// the generator writes, and the names the issue that led here found colliding.
fn reserved_names() -> std::collections::BTreeSet<String> {
    let r = openapi_rs_codegen::inspect::reserved();
    let mut names: std::collections::BTreeSet<String> = r
        .items
        .iter()
        .chain(&r.public_types)
        .chain(&r.client_methods)
        .chain(&r.builder_methods)
        .cloned()
        .collect();
    names.extend(
        openapi_rs_codegen::inspect::CONSTRUCTORS
            .iter()
            .map(|s| s.to_string()),
    );
    names.extend(
        [
            "serverToServer",
            "withTokenSource",
            "api",
            "ApiResponse",
            "clone",
            "fmt",
            "send",
            "send_with_meta",
            "prepare",
            "decode",
            "body",
            "client",
            "options",
            "pages",
            "items",
            "request_options",
            "into_future",
            "send_streaming",
            "security",
            "types",
        ]
        .map(String::from),
    );
    names
}

/// A spec built from [`reserved_names`]: an operation per name (with a parameter of that name,
/// and different 200 and 201 bodies, so it also gets a response enum), a schema per name, and a
/// security scheme per `ClientBuilder` method; with a config grant `server_to_server`.
fn reserved_names_crate() -> Generated {
    let names = reserved_names();
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for (i, name) in names.iter().enumerate() {
        let schema = |s: &str| serde_json::json!({"$ref": format!("#/components/schemas/{s}")});
        paths.insert(
            format!("/n{i}"),
            serde_json::json!({"get": {
                "operationId": name,
                "parameters": [{"name": name, "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": schema(name)}}},
                    "201": {"description": "created", "content": {"text/plain": {"schema": {"type": "string"}}}}
                }
            }}),
        );
        schemas.insert(
            name.clone(),
            serde_json::json!({"type": "object", "properties": {name.as_str(): {"type": "string"}}}),
        );
    }
    let mut schemes = serde_json::Map::new();
    for name in &openapi_rs_codegen::inspect::reserved().builder_methods {
        schemes.insert(
            name.clone(),
            serde_json::json!({"type": "http", "scheme": "bearer"}),
        );
    }
    schemes.insert("s2s".into(), serde_json::json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t.test/token", "scopes": {"a": "a"}}}}));
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Reserved names", "version": "1"},
        "servers": [{"url": "https://x.test"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": schemes},
    });
    let mut config: Config = toml::from_str(
        "[auth.grants.server_to_server]\nscheme = \"s2s\"\ntoken_url = \"https://t.test/token\"\nparams = [\"client_id\", \"account_id\"]\n",
    )
    .expect("config");
    config.krate.name = Some("fixture-reserved-names".into());
    let bytes = serde_json::to_vec(&spec).expect("spec");
    openapi_rs_codegen::inspect::generate(&Input {
        spec_path: Path::new("reserved_names.json"),
        spec_bytes: &bytes,
        spec_label: "reserved_names.json".into(),
        config,
        command: "cargo test -p openapi-rs-codegen --test fixtures".into(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reserved_names_are_claimed_by_the_generator_not_the_spec() {
    let generated = reserved_names_crate();
    assert_eq!(generated.operations, reserved_names().len());
    // The spec's operations and builders were renamed around the runtime's names.
    let operations = &generated.files["src/operations.rs"];
    for renamed in [
        "pub fn server_to_server_2(&self",
        "pub fn with_token_source_2(&self",
        "pub fn new_2(&self",
        "pub fn base_url_2(&self",
        "pub enum ApiResponse2 {",
    ] {
        assert!(operations.contains(renamed), "{renamed}");
    }
}

#[test]
fn parameter_types_that_would_share_a_name_are_named_after_their_operation() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/naming_collisions.json");
    let types = &generate(&spec).files["src/types.rs"];
    for expected in [
        // Two `type` parameters of different values: neither is plain `Type`.
        "pub enum ListMeetingReportsType {",
        "pub enum ListWebinarReportsType {",
        // A `status` parameter beside the component schema `Status`.
        "pub struct Status {",
        "pub enum ListMeetingReportsStatus {",
        // Two `meeting` parameters of one shape: the first keeps the plain name.
        "pub enum Meeting {",
        "pub type ListWebinarReportsMeeting = Meeting;",
    ] {
        assert!(types.contains(expected), "{expected}");
    }
    for numbered in ["Type2", "Status2", "Meeting2"] {
        assert!(!types.contains(numbered), "{numbered}");
    }
}

#[test]
fn snapshots() {
    insta::glob!("fixtures/*.json", |spec| {
        let generated = generate(spec);
        let mut text = String::new();
        for file in [
            "src/lib.rs",
            "src/security.rs",
            "src/types.rs",
            "src/operations.rs",
            "src/mock.rs",
        ] {
            // A spec without operations has no mocks.
            if let Some(content) = generated.files.get(file) {
                text.push_str(&format!("// ===== {file} =====\n{content}\n"));
            }
        }
        for w in &generated.warnings {
            text.push_str(&format!("// warning: {w}\n"));
        }
        insta::assert_snapshot!(text);
    });
}

#[test]
fn output_is_deterministic() {
    for spec in fixtures() {
        assert_eq!(
            generate(&spec).files,
            generate(&spec).files,
            "{}",
            spec.display()
        );
    }
}

/// Writes every fixture's crate into one scratch workspace and runs clippy and rustdoc on it.
#[test]
fn fixture_crates_compile_without_warnings() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    // (package, its Cargo features) of every crate gated by features.
    let mut gated: Vec<(String, Vec<String>)> = Vec::new();
    // `PACKAGE/mock` of every crate with typed mocks, so that they are compiled too.
    let mut mocks: Vec<String> = Vec::new();
    for spec in fixtures() {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let generated = generate(&spec);
        let manifest: toml::Table = generated.files["Cargo.toml"]
            .parse()
            .expect("Cargo.toml parses");
        if let Some(features) = manifest.get("features").and_then(|f| f.as_table()) {
            let package = format!("fixture-{}", name.replace('_', "-"));
            if features.contains_key("mock") {
                mocks.push(format!("{package}/mock"));
            }
            let names = features
                .keys()
                .filter(|k| !matches!(k.as_str(), "default" | "full" | "native-roots"))
                .cloned()
                .collect::<Vec<String>>();
            if !names.is_empty() {
                gated.push((package, names));
            }
        }
        for (rel, content) in generated.files {
            let path = root.join(&name).join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, content).expect("write");
        }
        members.push(format!("{name:?}"));
    }
    // A crate whose operations, parameters, schemas and security schemes take every name the
    // runtime defines: it must compile, so no such name can collide.
    for (rel, content) in reserved_names_crate().files {
        let path = root.join("reserved_names").join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    members.push("\"reserved_names\"".to_string());
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace");
    // The main workspace's lock file pins the same dependency versions, so this works offline.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, root.join("Cargo.lock")).expect("copy Cargo.lock");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |args: &[&str], rustdocflags: Option<&str>| {
        let mut cmd = Command::new(&cargo);
        cmd.args(args)
            .current_dir(&root)
            .envs(common::generated_crates_build_env());
        if let Some(flags) = rustdocflags {
            cmd.env("RUSTDOCFLAGS", flags);
        }
        let out = cmd.output().expect("cargo runs");
        assert!(
            out.status.success(),
            "`cargo {}` failed on the fixture crates in {}:\n{}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mocks = mocks.join(",");
    run(
        &[
            "clippy",
            "--offline",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--features",
            &mocks,
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
    run(
        &[
            "doc",
            "--offline",
            "--quiet",
            "--workspace",
            "--no-deps",
            "--features",
            &mocks,
        ],
        Some("-D warnings"),
    );
    // A crate gated by features must also build, without warnings, with none of them and with
    // each one alone: a type that a feature's operations need must never be left out.
    for (package, features) in &gated {
        let mut subsets = vec![String::new()];
        subsets.extend(features.iter().cloned());
        for subset in &subsets {
            let mut args = vec![
                "clippy",
                "--offline",
                "--quiet",
                "--package",
                package,
                "--no-default-features",
            ];
            if !subset.is_empty() {
                args.extend(["--features", subset.as_str()]);
            }
            args.extend(["--", "-D", "warnings"]);
            run(&args, None);
        }
    }
}

/// Without a profile, nothing of Zoom's reaches a crate: no name, URL or header.
#[test]
fn crates_without_a_profile_carry_nothing_of_zoom() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/security_schemes.json");
    let generated = generate(&spec);
    for (path, content) in &generated.files {
        let lower = content.to_lowercase();
        for zoom in ["zoom", "x-zm", "ratelimit", "account_credentials"] {
            assert!(!lower.contains(zoom), "`{zoom}` in {path}");
        }
    }
    assert!(!generated.files.contains_key("src/zoom.rs"));
    // With the profile, the module is there (so the check above can fail).
    let mut config: Config = toml::from_str("[profile]\nvendor = \"zoom\"\n").expect("config");
    config.krate.name = Some("fixture-zoom-profile".into());
    let bytes = std::fs::read(&spec).expect("fixture");
    let with_profile = openapi_rs_codegen::inspect::generate(&Input {
        spec_path: &spec,
        spec_bytes: &bytes,
        spec_label: "security_schemes.json".into(),
        config,
        command: "test".into(),
    })
    .expect("generates");
    assert!(with_profile.files["src/zoom.rs"].contains("x-zm-trackingid"));
}
