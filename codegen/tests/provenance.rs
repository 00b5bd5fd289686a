//! The spec's identity lives in one place: a spec change touches only the files whose code
//! changed, plus `src/lib.rs`, whose header `check` reads to name the spec files that changed.

use openapi_rs_codegen::Generator;

#[test]
fn one_new_field_changes_types_and_the_lib_header_only() {
    let dir = std::env::temp_dir().join(format!("openapi-rs-provenance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let spec = std::fs::read_to_string("tests/fixtures/request_bodies.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let old_path = dir.join("old.json");
    std::fs::write(&old_path, &spec).unwrap();
    value["components"]["schemas"]["Note"]["properties"]["color"] =
        serde_json::json!({"type": "string"});
    let new_path = dir.join("new.json");
    std::fs::write(&new_path, value.to_string()).unwrap();

    let label = |g: Generator| g.spec_label("api.json").command("regen");
    let old = label(Generator::new(&old_path)).generate().unwrap();
    let new = label(Generator::new(&new_path)).generate().unwrap();
    let changed: Vec<&str> = new
        .files
        .iter()
        .filter(|(path, text)| old.files.get(*path) != Some(text))
        .map(|(path, _)| path.as_str())
        .collect();
    assert_eq!(changed, ["src/lib.rs", "src/types.rs"]);
    let _ = std::fs::remove_dir_all(&dir);
}
