//! Part of stage 1 (loading): a spec spread over several files, joined by relative `$ref`s, and
//! `$ref`s to any JSON pointer, become one document whose every `$ref` has the form
//! `#/components/KIND/NAME`, the only form later stages resolve.
//!
//! Contract:
//! - Files are read only inside the root spec's folder (after resolving `.` and `..`), never
//!   from a URL; anything else is an error naming the file and the pointer of the `$ref`.
//! - What a `$ref` points at is decided by where the `$ref` stands (a schema, a parameter, a
//!   response, a request body, a header, a path item), not by the target's location, so a
//!   fragment like `common.yaml#/definitions/NewPet` or `#/paths/~1a/get/responses/200` works.
//! - A target outside the root document's `components` is copied there once, named after the
//!   fragment's last token (`NewPet`) or, for a whole file, the file's stem (`pet.yaml` →
//!   `pet`), with a number added when the name is taken. The same file reached through
//!   different relative paths is one target. Cycles across files end at the copy made first.
//!   A path item is inlined where it is referenced (components cannot hold one in 3.0).
//! - Every copy remembers where it came from ([`Origin`]), so that errors and warnings about it
//!   name the original file and pointer.
//! - A single-file spec whose `$ref`s are all `#/components/KIND/NAME` is left untouched.

mod bundler;

use crate::error::pointer_push;
use crate::Error;
use bundler::{absolute, normalize, Bundler};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// One file of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Its path relative to the root spec's folder, with `/` (the root spec: its file name).
    pub label: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

pub use crate::error::Origin;

/// The bundled document and what it was made of.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// One document, every `$ref` local to `components`.
    pub value: Value,
    /// The root file first, then the others in the order they were first referenced.
    pub files: Vec<SourceFile>,
    /// Where copied parts came from.
    pub origins: Vec<Origin>,
    /// What was tolerated.
    pub warnings: Vec<crate::Warning>,
}

/// What a `$ref` stands for, known from where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    PathItem,
    Example,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::PathItem => "pathItems",
        }
    }
}

/// Parses JSON or YAML; `path` names the file in errors and picks the format.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value, Error> {
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) || bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{');
    if is_yaml {
        serde_yaml::from_slice(bytes).map_err(|e| {
            let line = e
                .location()
                .map(|l| format!(" (line {}, column {})", l.line(), l.column()));
            Error::at(
                path,
                "",
                format!("not valid YAML{}: {e}", line.unwrap_or_default()),
            )
        })
    } else {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::at(
                path,
                "",
                format!(
                    "not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        })
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Bundles the spec at `path` (whose bytes are `bytes`, already parsed into `root`).
pub fn bundle(path: &Path, bytes: &[u8], root: Value) -> Result<Bundle, Error> {
    let label = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = vec![SourceFile {
        label: label.clone(),
        sha256: sha256(bytes),
    }];
    if !needs_bundling(&root) {
        return Ok(Bundle {
            value: root,
            files,
            origins: Vec::new(),
            warnings: Vec::new(),
        });
    }
    let dir = normalize(&absolute(path.parent().unwrap_or(Path::new(""))));
    let root_path = dir.join(&label);
    let mut b = Bundler {
        dir,
        given_dir: path.parent().unwrap_or(Path::new("")).to_path_buf(),
        docs: BTreeMap::new(),
        files,
        origins: Vec::new(),
        memo: BTreeMap::new(),
        taken: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        warnings: Vec::new(),
        root_path: root_path.clone(),
    };
    for (section, entries) in root
        .get("components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let names = entries
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys().cloned());
        b.taken.entry(section.clone()).or_default().extend(names);
    }
    b.docs.insert(root_path.clone(), root.clone());
    let mut value = root;
    b.walk_document(&mut value, &root_path)?;
    // Copies go into the root's components, in the order they were made.
    if !b.hoisted.is_empty() {
        let Some(doc) = value.as_object_mut() else {
            return Err(Error::at(path, "", "the spec is not a JSON object"));
        };
        let components = doc
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        for (section, entries) in std::mem::take(&mut b.hoisted) {
            if let Some(c) = components.as_object_mut() {
                let target = c
                    .entry(section)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(t) = target.as_object_mut() {
                    for (name, node) in entries {
                        t.insert(name, node);
                    }
                }
            }
        }
    }
    Ok(Bundle {
        value,
        files: b.files,
        origins: b.origins,
        warnings: b.warnings,
    })
}

/// Whether any `$ref` leaves the file or points outside `#/components/KIND/NAME`.
fn needs_bundling(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if !is_component_ref(r) {
                    return true;
                }
            }
            map.values().any(needs_bundling)
        }
        Value::Array(items) => items.iter().any(needs_bundling),
        _ => false,
    }
}

fn is_component_ref(r: &str) -> bool {
    r.strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| !name.is_empty() && !name.contains('/'))
}
