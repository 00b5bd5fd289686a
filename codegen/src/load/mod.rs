//! Stage 1, load: read a spec (JSON or YAML, one file or several joined by relative `$ref`s),
//! bundle it into one document ([`bundle`]), normalize what real specs get wrong
//! ([`normalize`]), and parse it into `openapiv3`'s model.
//!
//! - Input: the root file's path and bytes.
//! - Output: [`LoadedSpec`]: the document, every file it spans with its SHA-256, where bundled
//!   parts came from, the 3.1 `webhooks`, and the warnings of what was tolerated.
//! - May not: decide a name or a type (that is lowering's), read a file outside the root file's
//!   folder, or go to the network. Errors name the file and the JSON pointer.

pub(crate) mod bundle;
pub(crate) mod normalize;

use crate::{Error, Warning};
use openapiv3::OpenAPI;
use serde::Deserialize as _;
use serde_json::Value;
use std::path::Path;

/// A parsed spec and what it was read from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The parsed document.
    pub spec: OpenAPI,
    /// SHA-256 of the file's bytes, lower-case hex; for a spec of several files, of the list of
    /// their labels and SHA-256s.
    pub sha256: String,
    /// Every file the spec spans, the root first.
    pub files: Vec<bundle::SourceFile>,
    /// Where parts copied from other files (or other places) came from.
    pub origins: Vec<bundle::Origin>,
    /// OpenAPI 3.1 `webhooks`: event name → path item, in the spec's order.
    pub webhooks: Webhooks,
    /// What loading tolerated.
    pub warnings: Vec<Warning>,
}

/// A spec's `webhooks`.
pub type Webhooks = indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>;

/// Parses spec text already in memory; `path` is used in messages, to pick the format, and to
/// find the files its relative `$ref`s name.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec, Error> {
    let (value, bundled) = prepare(path, bytes)?;
    let Prepared {
        files,
        origins,
        sha256,
        webhooks,
        warnings,
    } = bundled;
    // The document is read into the typed spec by value, so each node is freed as it is read
    // and the two never sit in memory whole at once. Tracking the path costs on every node, and
    // only a failure needs it: then the document is prepared again and read, tracked, to say
    // where it broke.
    let spec = match read_spec(value) {
        Some(spec) => spec,
        None => return Err(explain_invalid(path, bytes)),
    };
    Ok(LoadedSpec {
        spec,
        sha256,
        files,
        origins,
        webhooks,
        warnings,
    })
}

/// Schemas at which reading the document is split between two threads: below it, one thread
/// is quicker than two.
const SPLIT_AT: usize = 256;

/// Reads the normalized document into `openapiv3`'s model, or `None` when it is not a valid
/// one. A large `components.schemas` (GitHub's has 582 entries, Stripe's 775) is read half on
/// a second thread while this one reads the rest: reading the typed model is the slowest step
/// of loading, and its schemas are most of the document.
fn read_spec(mut value: Value) -> Option<OpenAPI> {
    let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .filter(|schemas| schemas.len() >= SPLIT_AT)
    else {
        return OpenAPI::deserialize(value).ok();
    };
    // The second half, in order, goes to the other thread; the first stays in the document, is
    // read here with the rest of it, and the halves are joined in their order.
    let half = schemas.len() / 2;
    let mut all = std::mem::take(schemas).into_iter();
    *schemas = all.by_ref().take(half).collect();
    let second: serde_json::Map<String, Value> = all.collect();
    type Schemas = indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::Schema>>;
    let (spec, second) = std::thread::scope(|scope| {
        let other = scope.spawn(move || Schemas::deserialize(Value::Object(second)).ok());
        let spec = OpenAPI::deserialize(value).ok();
        (spec, other.join().ok().flatten())
    });
    let (mut spec, second) = (spec?, second?);
    spec.components.as_mut()?.schemas.extend(second);
    Some(spec)
}

/// What loading knows of a spec besides its (normalized) document.
struct Prepared {
    files: Vec<bundle::SourceFile>,
    origins: Vec<bundle::Origin>,
    sha256: String,
    webhooks: Webhooks,
    warnings: Vec<Warning>,
}

/// Parses, bundles and normalizes the spec, and takes its `webhooks` out of the document.
fn prepare(path: &Path, bytes: &[u8]) -> Result<(Value, Prepared), Error> {
    let value = bundle::parse(path, bytes)?;
    check_version(path, &value)?;
    let bundle = bundle::bundle(path, bytes, value)?;
    let sha256 = match bundle.files.as_slice() {
        [one] => one.sha256.clone(),
        files => bundle::sha256(
            files
                .iter()
                .map(|f| format!("{} {}\n", f.sha256, f.label))
                .collect::<String>()
                .as_bytes(),
        ),
    };
    let mut value = bundle.value;
    let mut warnings = bundle.warnings;
    warnings.extend(normalize::normalize(&mut value));
    let webhooks = match value
        .as_object_mut()
        .and_then(|root| root.remove("webhooks"))
    {
        Some(hooks) => serde_path_to_error::deserialize::<_, Webhooks>(&hooks).map_err(|e| {
            Error::at(
                path,
                format!("/webhooks{}", path_to_pointer(e.path())),
                format!("not a valid OpenAPI `webhooks` map: {}", e.inner()),
            )
            .hint("each webhook is a path item: `post:` with a `requestBody`")
        })?,
        None => Webhooks::new(),
    };
    let prepared = Prepared {
        files: bundle.files,
        origins: bundle.origins,
        sha256,
        webhooks,
        warnings,
    };
    Ok((value, prepared))
}

/// Why a spec that parsed is not a valid OpenAPI document: the document is prepared again and
/// read with its path tracked.
fn explain_invalid(path: &Path, bytes: &[u8]) -> Error {
    let value = match prepare(path, bytes) {
        Ok((value, _)) => value,
        Err(e) => return e,
    };
    let (pointer, message) = match serde_path_to_error::deserialize::<_, OpenAPI>(&value) {
        Ok(_) => {
            return Error::at(
                path,
                "",
                "internal error: the document failed to load, then loaded when read again",
            )
            .hint("this is a bug in the generator; please report it with the spec")
        }
        Err(e) => {
            locate(&value).unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()))
        }
    };
    Error::at(
        path,
        pointer,
        format!("not a valid OpenAPI 3.0 document: {message}"),
    )
    .hint("fix the node at this JSON pointer; the spec file itself is the source of truth")
}

fn check_version(path: &Path, value: &Value) -> Result<(), Error> {
    let version = value.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0") && !version.starts_with("3.1") {
        let found = if let Some(swagger) = value.get("swagger").and_then(Value::as_str) {
            format!("a Swagger {swagger} document")
        } else if version.is_empty() {
            "no `openapi` version field".to_string()
        } else {
            format!("OpenAPI {version}")
        };
        return Err(Error::at(path, "/openapi", format!("expected OpenAPI 3.0.x or 3.1.x, found {found}"))
            .hint("convert the document to OpenAPI 3.0 first (for Swagger 2.0, e.g. with swagger2openapi)"));
    }
    Ok(())
}

/// openapiv3 uses `#[serde(flatten)]` and untagged enums, behind which serde loses track of the
/// path. This checks the nodes where errors usually are (operations, parameters, bodies,
/// responses, components) one by one and returns the deepest one that fails, with its message.
fn locate(spec: &Value) -> Option<(String, String)> {
    use crate::error::pointer_push;
    use openapiv3::{Operation, Parameter, RequestBody, Response, Schema};

    fn probe<T: serde::de::DeserializeOwned>(
        value: &Value,
        pointer: &str,
    ) -> Option<(String, String)> {
        if value.get("$ref").is_some() {
            return None;
        }
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                (
                    format!("{pointer}{}", path_to_pointer(e.path())),
                    e.inner().to_string(),
                )
            })
    }
    fn entries(value: Option<&Value>) -> impl Iterator<Item = (String, &Value)> {
        let object = value.and_then(Value::as_object).into_iter().flatten();
        let array = value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate();
        object
            .map(|(k, v)| (k.clone(), v))
            .chain(array.map(|(i, v)| (i.to_string(), v)))
    }
    fn deeper(
        found: Option<(String, String)>,
        candidate: Option<(String, String)>,
    ) -> Option<(String, String)> {
        match (found, candidate) {
            (Some(f), Some(c)) if c.0.len() > f.0.len() => Some(c),
            (None, c) => c,
            (f, _) => f,
        }
    }

    for (path, item) in entries(spec.get("paths")) {
        let item_ptr = pointer_push("/paths", &path);
        for (key, op) in entries(Some(item)) {
            let op_ptr = pointer_push(&item_ptr, &key);
            if key == "parameters" {
                for (i, p) in entries(Some(op)) {
                    if let Some(found) = probe::<Parameter>(p, &pointer_push(&op_ptr, &i)) {
                        return Some(found);
                    }
                }
                continue;
            }
            let Some(mut found) = probe::<Operation>(op, &op_ptr) else {
                continue;
            };
            for (i, p) in entries(op.get("parameters")) {
                let ptr = pointer_push(&pointer_push(&op_ptr, "parameters"), &i);
                found = deeper(Some(found), probe::<Parameter>(p, &ptr))?;
            }
            if let Some(body) = op.get("requestBody") {
                found = deeper(
                    Some(found),
                    probe::<RequestBody>(body, &pointer_push(&op_ptr, "requestBody")),
                )?;
            }
            for (code, r) in entries(op.get("responses")) {
                let ptr = pointer_push(&pointer_push(&op_ptr, "responses"), &code);
                found = deeper(Some(found), probe::<Response>(r, &ptr))?;
            }
            return Some(found);
        }
    }
    let components = spec.get("components");
    type Probe = fn(&Value, &str) -> Option<(String, String)>;
    let sections: [(&str, Probe); 4] = [
        ("schemas", probe::<Schema>),
        ("parameters", probe::<Parameter>),
        ("requestBodies", probe::<RequestBody>),
        ("responses", probe::<Response>),
    ];
    for (section, check) in sections {
        for (name, node) in entries(components.and_then(|c| c.get(section))) {
            let ptr = pointer_push(&pointer_push("/components", section), &name);
            if let Some(found) = check(node, &ptr) {
                return Some(found);
            }
        }
    }
    None
}

/// Converts serde_path_to_error's path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer = crate::error::pointer_push(&pointer, &index.to_string())
            }
            Segment::Map { key } => pointer = crate::error::pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedSpec, Error> {
        load_bytes(Path::new("spec.json"), text.as_bytes())
    }

    #[test]
    fn malformed_json_says_where() {
        let err = load("{\"openapi\": \"3.0.0\",").unwrap_err();
        assert!(
            err.to_string()
                .contains("spec.json: not valid JSON (line 1"),
            "{err}"
        );
    }

    #[test]
    fn wrong_node_gets_a_pointer() {
        let err = load(
            r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},
            "paths":{"/a":{"get":{"parameters":[{"name":"x","in":"query","required":"yes"}],
            "responses":{"200":{"description":"ok"}}}}}}"#,
        )
        .unwrap_err();
        // `Parameter` is an internally tagged enum, so serde can only point at the parameter.
        assert_eq!(err.pointer, "/paths/~1a/get/parameters/0");
        assert!(err.message.contains("invalid type"), "{err}");
    }

    #[test]
    fn swagger_is_refused_with_advice() {
        let err = load(r#"{"swagger":"2.0"}"#).unwrap_err();
        assert_eq!(err.pointer, "/openapi");
        assert!(err.to_string().contains("Swagger 2.0"), "{err}");
        assert!(err.hint.is_some());
    }

    /// A spec with `n` component schemas `S0`…, the one at `bad` (if any) not a schema.
    fn many_schemas(n: usize, bad: Option<usize>) -> String {
        let schemas: Vec<String> = (0..n)
            .map(|i| match bad {
                Some(b) if b == i => {
                    format!("\"S{i}\": {{\"type\": \"object\", \"properties\": 7}}")
                }
                _ => format!("\"S{i}\": {{\"type\": \"string\"}}"),
            })
            .collect();
        format!(
            r#"{{"openapi":"3.0.0","info":{{"title":"t","version":"1"}},"paths":{{}},
            "components":{{"schemas":{{{}}}}}}}"#,
            schemas.join(",")
        )
    }

    #[test]
    fn many_schemas_read_on_two_threads_keep_their_order() {
        let spec = load(&many_schemas(SPLIT_AT + 3, None)).unwrap();
        let names: Vec<&String> = spec
            .spec
            .components
            .as_ref()
            .unwrap()
            .schemas
            .keys()
            .collect();
        let expected: Vec<String> = (0..SPLIT_AT + 3).map(|i| format!("S{i}")).collect();
        assert_eq!(names, expected.iter().collect::<Vec<_>>());
    }

    #[test]
    fn a_bad_schema_in_either_half_is_found() {
        for bad in [1, SPLIT_AT] {
            let err = load(&many_schemas(SPLIT_AT + 3, Some(bad))).unwrap_err();
            assert!(
                err.pointer
                    .starts_with(&format!("/components/schemas/S{bad}")),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn yaml_is_accepted() {
        let spec = load_bytes(
            Path::new("spec.yaml"),
            b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        assert_eq!(spec.spec.info.title, "t");
        assert_eq!(spec.sha256.len(), 64);
    }
}
