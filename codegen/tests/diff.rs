//! The spec-change report: each fixture case (a change applied to `diff/base.json`) gets its
//! expected verdict, and for a sample of them, a small program written against the old crate
//! compiles against the new one exactly when the verdict is not `major`.

mod common;

use openapi_rs_codegen::diff::{diff, Report};
use openapi_rs_codegen::inspect::Input;
use openapi_rs_codegen::Config;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// Applies `add`, `remove` and `replace` operations (RFC 6902) to `doc`.
fn apply(mut doc: Value, ops: Option<&Value>) -> Value {
    for op in ops.and_then(Value::as_array).into_iter().flatten() {
        let path = op["path"].as_str().expect("path");
        let (parent, last) = path.rsplit_once('/').expect("a pointer");
        let key = last.replace("~1", "/").replace("~0", "~");
        let target = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent}"));
        match (op["op"].as_str(), target) {
            (Some("remove"), Value::Object(map)) => {
                map.remove(&key);
            }
            (Some("remove"), Value::Array(items)) => {
                items.remove(key.parse::<usize>().expect("index"));
            }
            (Some("add" | "replace"), Value::Object(map)) => {
                map.insert(key, op["value"].clone());
            }
            (Some("add" | "replace"), Value::Array(items)) => {
                items[key.parse::<usize>().expect("index")] = op["value"].clone();
            }
            other => panic!("unsupported op {other:?} at {path}"),
        }
    }
    doc
}

struct Case {
    verdict: String,
    old: Value,
    new: Value,
    new_config: Option<String>,
}

fn cases() -> BTreeMap<String, Case> {
    let base = read_json("base.json");
    let Value::Object(cases) = read_json("cases.json") else {
        panic!("cases.json is an object")
    };
    cases
        .into_iter()
        .map(|(name, c)| {
            let case = Case {
                verdict: c["verdict"].as_str().expect("verdict").to_string(),
                old: apply(base.clone(), c.get("old")),
                new: apply(base.clone(), c.get("new")),
                new_config: c["new_config"].as_str().map(str::to_string),
            };
            (name, case)
        })
        .collect()
}

fn config(text: Option<&str>, name: &str) -> Config {
    let mut config: Config = toml::from_str(text.unwrap_or("")).expect("config");
    config.krate.name = Some(name.to_string());
    config
}

fn input<'a>(bytes: &'a [u8], config: Config) -> Input<'a> {
    Input {
        spec_path: Path::new("spec.json"),
        spec_bytes: bytes,
        spec_label: "spec.json".into(),
        config,
        command: "cargo test -p openapi-rs-codegen --test diff".into(),
    }
}

fn report(case: &Case) -> Report {
    let old = serde_json::to_vec(&case.old).expect("old");
    let new = serde_json::to_vec(&case.new).expect("new");
    let old =
        openapi_rs_codegen::inspect::model(&input(&old, config(None, "api"))).expect("old model");
    let new =
        openapi_rs_codegen::inspect::model(&input(&new, config(case.new_config.as_deref(), "api")))
            .expect("new model");
    diff(&old, &new)
}

#[test]
fn every_case_gets_its_verdict() {
    let mut all = String::new();
    for (name, case) in cases() {
        let report = report(&case);
        assert_eq!(
            report.semver().as_str(),
            case.verdict,
            "{name}:\n{}",
            report.text()
        );
        assert!(
            report
                .text()
                .ends_with(&format!("semver: {}\n", case.verdict)),
            "the verdict is the last line"
        );
        // Every case but those that only change docs shows up as a change.
        assert!(
            !report.changes.is_empty() || name.ends_with("docs_only"),
            "{name}"
        );
        all.push_str(&format!("===== {name}\n{}", report.text()));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn markdown_is_a_pr_comment() {
    let cases = cases();
    let md = report(&cases["required_field_added"]).markdown();
    assert!(
        md.starts_with("### API changes: 1 change(s) (1 major"),
        "{md}"
    );
    assert!(
        md.contains("| major | required field `color` added"),
        "{md}"
    );
    assert!(md.trim_end().ends_with("semver: major"), "{md}");
}

/// Programs written against the old crate (as `api`): each uses what its case changes.
const USES: &[(&str, &str)] = &[
    ("operation_added", "let _ = client.list_things().limit(3);"),
    ("operation_removed", "let _ = client.get_thing(\"id\");"),
    ("optional_parameter_added", "let _ = client.list_things().limit(3);"),
    ("required_parameter_added", "let _ = client.list_things();"),
    ("field_added", "let mut t = api::types::Thing::new(\"x\"); t.size = None; let _ = t;"),
    ("required_field_added", "let _ = api::types::Thing::new(\"x\");"),
    ("shared_inline_enum_gains_a_value_on_one_side", "let mut t = api::types::Thing::new(\"x\"); t.status = Some(api::types::ThingStatus::Active); let _ = client.list_things().status(api::types::ThingStatus::Archived); let _ = match api::types::ThingStatus::Active { api::types::ThingStatus::Archived => 1, _ => 0 };"),
    ("tuple_gains_an_element", "let mut t = api::types::Thing::new(\"x\"); t.at = Some(api::types::ThingAt(1.0, 2.0)); let _ = t;"),
    ("shared_inline_struct_gains_a_field_on_one_side", "let o = api::types::ThingOwner::default(); let p: api::types::ListOwnersResponseOwner = o.clone(); let _ = client.create_thing().body({ let mut t = api::types::Thing::new(\"x\"); t.owner = Some(p); t });"),
    ("field_becomes_required", "let t = api::types::Thing::default(); let _: Option<String> = t.name;"),
    ("enum_value_added", "let s = api::types::Status::Active; let _ = match s { api::types::Status::Archived => 1, _ => 0 };"),
    ("type_renamed", "let _: Option<api::types::ThingOwner> = None;"),
    ("base_url_changed", "let _ = api::DEFAULT_BASE_URL;"),
    ("security_scheme_removed", "let _ = api::ClientBuilder::new().api_key(\"k\");"),
];

#[test]
fn verdicts_agree_with_the_compiler() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-crates");
    let _ = std::fs::remove_dir_all(&root);
    let cases = cases();
    let mut members = Vec::new();
    let write_crate = |dir: &Path, spec: &Value, config_text: Option<&str>, package: &str| {
        let bytes = serde_json::to_vec(spec).expect("spec");
        let generated =
            openapi_rs_codegen::inspect::generate(&input(&bytes, config(config_text, package)))
                .unwrap_or_else(|e| panic!("{e}"));
        for (rel, content) in generated.files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, content).expect("write");
        }
    };
    for (name, program) in USES {
        let case = &cases[*name];
        for side in ["old", "new"] {
            let (spec, config_text) = match side {
                "old" => (&case.old, None),
                _ => (&case.new, case.new_config.as_deref()),
            };
            let api_package = format!("api-{}-{side}", name.replace('_', "-"));
            write_crate(&root.join(name).join(side), spec, config_text, &api_package);
            let user = root.join(name).join(format!("use-{side}"));
            std::fs::create_dir_all(user.join("src")).expect("mkdir");
            std::fs::write(
                user.join("Cargo.toml"),
                format!(
                    "[package]\nname = \"use-{}-{side}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\napi = {{ package = \"{api_package}\", path = \"../{side}\" }}\n",
                    name.replace('_', "-")
                ),
            )
            .expect("write");
            std::fs::write(
                user.join("src/main.rs"),
                format!("#![allow(unused)]\nfn main() {{\n    let client = api::ClientBuilder::new().build().expect(\"client\");\n    {program}\n}}\n"),
            )
            .expect("write");
            members.push(format!("\"{name}/{side}\""));
            members.push(format!("\"{name}/use-{side}\""));
        }
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("workspace");
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, root.join("Cargo.lock")).expect("copy Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "check",
            "--offline",
            "--workspace",
            "--keep-going",
            "--message-format=short",
        ])
        .current_dir(&root)
        .envs(common::generated_crates_build_env())
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (name, _) in USES {
        let package = |side: &str| format!("use-{}-{side}", name.replace('_', "-"));
        let fails = |side: &str| stderr.contains(&format!("could not compile `{}`", package(side)));
        assert!(
            !fails("old"),
            "{name}: the program must compile against the old crate:\n{stderr}"
        );
        let verdict = report(&cases[*name]).semver().as_str();
        assert_eq!(
            fails("new"),
            verdict == "major",
            "{name}: verdict {verdict}, but the program {} against the new crate:\n{stderr}",
            if fails("new") {
                "does not compile"
            } else {
                "compiles"
            }
        );
        // Every API crate itself compiles.
        for side in ["old", "new"] {
            let api = format!("api-{}-{side}", name.replace('_', "-"));
            assert!(
                !stderr.contains(&format!("could not compile `{api}`")),
                "{stderr}"
            );
        }
    }
}
