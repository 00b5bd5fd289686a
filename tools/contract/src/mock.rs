//! The mock: Prism, installed on first use, started on a spec and killed on drop; and the spec
//! it is given, which is the spec itself but for the size of made-up arrays and where Prism
//! cannot serve what the spec says.

use codegen::inspect::{essence, is_json_media};
use codegen::pointer_push;
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism release every contract run and test uses, as pinned (with every package under it)
/// by `tools/contract/prism/package.json` and its `package-lock.json`; a test keeps the two in step.
pub const PRISM_VERSION: &str = "5.14.2";

/// The Prism executable: `$PRISM` if set, else `target/prism` under `root`, installed there on
/// first use with `npm ci` from the committed lock file (again whenever the lock file changes).
///
/// # Errors
///
/// When the lock file cannot be read, npm is missing, or the install fails (the message carries
/// npm's output).
pub fn prism(root: &Path) -> Result<PathBuf, String> {
    if let Ok(path) = std::env::var("PRISM") {
        return Ok(PathBuf::from(path));
    }
    let pinned = root.join("tools/contract/prism");
    let prefix = root.join("target/prism");
    let bin = prefix.join("node_modules/.bin/prism");
    let read = |path: PathBuf| {
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let lock = read(pinned.join("package-lock.json"))?;
    let installed = std::fs::read(prefix.join("package-lock.json")).ok();
    if bin.exists() && installed.as_deref() == Some(lock.as_slice()) {
        return Ok(bin);
    }
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::write(prefix.join(file), read(pinned.join(file))?)
            .map_err(|e| format!("cannot write {}: {e}", prefix.join(file).display()))?;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&prefix)
        .output()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !out.status.success() || !bin.exists() {
        return Err(format!(
            "`npm ci` of Prism {PRISM_VERSION} (tools/contract/prism/package-lock.json) failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(bin)
}

/// A running `prism mock`, killed on drop.
pub(super) struct Mock {
    child: Child,
    pub(super) url: String,
}

impl Mock {
    pub(super) fn start(prism: &Path, spec: &Path, dynamic: bool) -> Result<Mock, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free port: {e}"))?;
        let mut cmd = Command::new(prism);
        cmd.arg("mock")
            .arg(spec)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()]);
        if dynamic {
            cmd.arg("--dynamic");
        }
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run prism: {e}"))?;
        let mut mock = Mock {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = mock.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = mock.child.stderr.take() {
                    use std::io::Read as _;
                    let _ = e.read_to_string(&mut stderr);
                }
                let last: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
                return Err(format!("prism exited ({status}): {last}"));
            }
            if started.elapsed() > Duration::from_secs(90) {
                return Err("prism did not listen within 90 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(mock)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many items Prism's dynamic mode puts in an array it makes up, at most (where the schema
/// allows that few). Left to itself, json-schema-faker can make arrays of arrays of objects so
/// large that one Zoom Events response took over 200 s; with this cap, 0.1 s.
const DYNAMIC_MAX_ITEMS: u64 = 2;

/// The spec Prism is given, and the requests the proxy in front of it moves ([`Route`]).
pub(super) struct MockSpec {
    pub(super) path: PathBuf,
    pub(super) routes: Vec<Route>,
}

/// A request the proxy moves to the path Prism has the operation at: `base` with parameter
/// `name` (a header, matched without regard to case, or a query parameter) set to `value` goes
/// to `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Route {
    pub(super) base: String,
    pub(super) place: Place,
    pub(super) name: String,
    pub(super) value: String,
    pub(super) path: String,
}

/// Where the parameter a [`Route`] reads is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Header,
    Query,
}

/// The spec Prism is given for the spec at `path`: a copy in `dir` that differs in three ways
/// only, so requests are judged by the spec's own rules.
///
/// - `x-json-schema-faker: {maxItems: 2}` at its root ([`DYNAMIC_MAX_ITEMS`]; Prism reads the
///   extension to configure its dynamic mode), unless the spec sets `maxItems` there itself.
/// - A response's JSON schema (anything but a string) under `*/*` and under no JSON media type
///   is listed as `application/json`. Prism 5 cannot serve it ("Cannot serialise
///   complex objects as text", `NO_COMPLEX_OBJECT_TEXT`) for the wildcard, although the client reads it as JSON
///   and the API sends JSON (Salesloft, Mandrill, Google's discovery-made specs).
///
/// - A path key with a `#` (AWS: `/#X-Amz-Target=Service.Operation`, `/tags/{arn}#tagKeys`)
///   is not one Prism can route to: the request has no fragment. See [`fragment_paths`].
///
/// A spec that refers to other files, or that cannot be copied, is given as it is (a copy
/// elsewhere would break its references).
pub(super) fn mock_spec(path: &Path, bytes: &[u8], dir: &Path, slug: &str) -> MockSpec {
    let as_is = MockSpec {
        path: path.to_path_buf(),
        routes: Vec::new(),
    };
    let Ok(mut doc) = codegen::inspect::parse_document(path, bytes) else {
        return as_is;
    };
    if refers_elsewhere(&doc) {
        return as_is;
    }
    json_under_wildcard(&mut doc);
    let routes = fragment_paths(&mut doc);
    if let Some(root) = doc.as_object_mut() {
        let faker = root
            .entry("x-json-schema-faker")
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(options) = faker.as_object_mut() {
            options
                .entry("maxItems")
                .or_insert(Value::from(DYNAMIC_MAX_ITEMS));
        }
    }
    let copy = dir.join(format!("{slug}.json"));
    let written = serde_json::to_vec(&doc)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&copy, text))
                .map_err(|e| e.to_string())
        });
    match written {
        Ok(()) => MockSpec { path: copy, routes },
        Err(_) => as_is,
    }
}

/// Moves the operations of path keys with a `#` to keys Prism can route to, and returns the
/// routes the proxy needs for them.
///
/// - `BASE#NAME=VALUE` (AWS's JSON protocol: every operation is `POST /`, told apart by the
///   `X-Amz-Target` header the operation requires; or `/tags#operation=tag-resource`, told
///   apart by a query parameter): the path item moves to `BASE/NAME=VALUE`, and the proxy sends
///   a request for `BASE` with that header, or that query parameter when the operation declares
///   `NAME` in the query, there.
/// - `BASE#…` otherwise (AWS's REST protocols, where the fragment names a required query
///   parameter that tells two operations on one path apart): each operation moves to `BASE`,
///   with the path item's parameters, unless `BASE` has that method already; then it stays
///   where it was, and Prism cannot route to it.
fn fragment_paths(doc: &mut Value) -> Vec<Route> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    // The fragment's name is a query parameter where some operation of the item (or the item)
    // declares it in the query; otherwise a header.
    let in_query = |doc: &Value, item: &Value, name: &str| {
        let declared = |p: &Value| {
            let p = local_target(doc, p);
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("in").and_then(Value::as_str) == Some("query")
        };
        let lists = std::iter::once(item.get("parameters")).chain(
            METHODS
                .iter()
                .map(|m| item.get(*m).and_then(|o| o.get("parameters"))),
        );
        lists
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .any(declared)
    };
    let places: BTreeMap<String, Place> = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, item)| {
            let (_, fragment) = key.split_once('#')?;
            let (name, _) = fragment.split_once('=')?;
            let place = if in_query(doc, item, name) {
                Place::Query
            } else {
                Place::Header
            };
            Some((key.clone(), place))
        })
        .collect();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Vec::new();
    };
    let keys: Vec<String> = paths.keys().filter(|k| k.contains('#')).cloned().collect();
    let mut routes = Vec::new();
    for key in keys {
        let Some((base, fragment)) = key.split_once('#') else {
            continue;
        };
        let header_route = fragment
            .split_once('=')
            .filter(|(name, value)| !name.is_empty() && !value.is_empty() && !value.contains('&'));
        if let Some((name, value)) = header_route {
            let path = format!("{}/{name}={value}", base.trim_end_matches('/'));
            if paths.contains_key(&path) {
                continue;
            }
            if let Some(item) = paths.remove(&key) {
                paths.insert(path.clone(), item);
                let place = places.get(&key).copied().unwrap_or(Place::Header);
                routes.push(Route {
                    base: base.to_string(),
                    place,
                    name: name.to_string(),
                    value: value.to_string(),
                    path,
                });
            }
            continue;
        }
        let Some(Value::Object(mut item)) = paths.remove(&key) else {
            continue;
        };
        let shared = item.get("parameters").cloned();
        let target = paths
            .entry(base.to_string())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        let Some(target) = target.as_object_mut() else {
            paths.insert(key, Value::Object(item));
            continue;
        };
        for method in METHODS {
            if target.contains_key(method) {
                continue;
            }
            let Some(mut operation) = item.remove(method) else {
                continue;
            };
            with_parameters(&mut operation, shared.as_ref());
            target.insert(method.to_string(), operation);
        }
        if METHODS.iter().any(|m| item.contains_key(*m)) {
            paths.insert(key, Value::Object(item));
        }
    }
    routes
}

/// Adds a path item's `parameters` to one of its operations, which it moves out of the item
/// (the operation's own parameter of the same name and place wins, as in the spec).
fn with_parameters(operation: &mut Value, shared: Option<&Value>) {
    let Some(shared) = shared.and_then(Value::as_array) else {
        return;
    };
    let Some(operation) = operation.as_object_mut() else {
        return;
    };
    let own = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(own) = own.as_array_mut() else {
        return;
    };
    let key = |p: &Value| {
        (
            p.get("name").and_then(Value::as_str).map(str::to_string),
            p.get("in").and_then(Value::as_str).map(str::to_string),
            p.get("$ref").and_then(Value::as_str).map(str::to_string),
        )
    };
    for parameter in shared {
        if !own.iter().any(|p| key(p) == key(parameter)) {
            own.push(parameter.clone());
        }
    }
}

/// Whether any `$ref` names another file.
fn refers_elsewhere(node: &Value) -> bool {
    match node {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str().is_some_and(|r| !r.starts_with('#'))) || refers_elsewhere(v)
        }),
        Value::Array(items) => items.iter().any(refers_elsewhere),
        _ => false,
    }
}

/// Renames each response's `*/*` with a non-string schema to `application/json` where the
/// response has no JSON media type; whether any was.
fn json_under_wildcard(doc: &mut Value) -> bool {
    // Pointers to the responses' `content` maps: under operations and under components.
    let mut responses: Vec<String> = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            let op_pointer = pointer_push(&pointer_push("/paths", path), method);
            for (status, _) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                responses.push(pointer_push(
                    &pointer_push(&op_pointer, "responses"),
                    status,
                ));
            }
        }
    }
    let shared = doc
        .pointer("/components/responses")
        .and_then(Value::as_object);
    for name in shared.into_iter().flatten().map(|(k, _)| k) {
        responses.push(pointer_push("/components/responses", name));
    }
    let mut renamed = Vec::new();
    for pointer in responses {
        let Some(content) = doc
            .pointer(&pointer_push(&pointer, "content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let has_json = content.keys().any(|k| is_json_media(k));
        let wildcard = content.iter().find(|(k, m)| {
            essence(k) == "*/*" && m.get("schema").is_some_and(|s| !is_string(doc, s))
        });
        if let (false, Some((key, _))) = (has_json, wildcard) {
            renamed.push((pointer, key.clone()));
        }
    }
    for (pointer, key) in &renamed {
        if let Some(Value::Object(content)) = doc.pointer_mut(&pointer_push(pointer, "content")) {
            // Rebuilt in order: the first media type is the one Prism serves when any will do.
            let old = std::mem::take(content);
            for (k, v) in old {
                let k = if k == *key {
                    "application/json".to_string()
                } else {
                    k
                };
                content.insert(k, v);
            }
        }
    }
    !renamed.is_empty()
}

/// What `node`'s `$ref` names in `doc`, or `node` itself when it has none (or one to another
/// file).
fn local_target<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|r| doc.pointer(r))
        .unwrap_or(node)
}

/// Whether `schema` (or what its `$ref` names) is `type: string`.
fn is_string(doc: &Value, schema: &Value) -> bool {
    let target = local_target(doc, schema);
    target.get("type").and_then(Value::as_str) == Some("string")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_prism_is_the_one_reports_name() {
        let root = tools_shared::workspace_root();
        let text = std::fs::read_to_string(root.join("tools/contract/prism/package.json")).unwrap();
        let package: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            package["dependencies"]["@stoplight/prism-cli"],
            PRISM_VERSION
        );
        let lock =
            std::fs::read_to_string(root.join("tools/contract/prism/package-lock.json")).unwrap();
        let lock: serde_json::Value = serde_json::from_str(&lock).unwrap();
        assert_eq!(
            lock["packages"]["node_modules/@stoplight/prism-cli"]["version"],
            PRISM_VERSION
        );
    }
    use serde_json::json;

    #[test]
    fn json_schemas_under_a_wildcard_are_served_as_json() {
        let mut doc = json!({
            "paths": {"/stages.json": {"get": {"responses": {
                "200": {"content": {"*/*": {"schema": {"type": "array", "items": {"type": "object"}}}}},
                "default": {"$ref": "#/components/responses/Error"}
            }}},
            "/proxy": {"get": {"responses": {
                "200": {"content": {"*/*": {"schema": {"type": "string"}}}}
            }}},
            "/both": {"get": {"responses": {
                "200": {"content": {
                    "application/json": {"schema": {"type": "object"}},
                    "*/*": {"schema": {"type": "object"}}
                }}
            }}}},
            "components": {
                "responses": {"Error": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
                "schemas": {"Problem": {"type": "object"}}
            }
        });
        assert!(json_under_wildcard(&mut doc));
        let content = |p: &str| {
            doc.pointer(p)
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect::<Vec<_>>())
        };
        assert_eq!(
            content("/paths/~1stages.json/get/responses/200/content"),
            Some(vec!["application/json".to_string()])
        );
        assert_eq!(
            content("/components/responses/Error/content"),
            Some(vec!["application/json".to_string()])
        );
        // Text stays text, and a response that has JSON already is left alone.
        assert_eq!(
            content("/paths/~1proxy/get/responses/200/content"),
            Some(vec!["*/*".to_string()])
        );
        assert_eq!(
            content("/paths/~1both/get/responses/200/content"),
            Some(vec!["application/json".to_string(), "*/*".to_string()])
        );
        // Nothing to rename: the spec is given as it is.
        assert!(!json_under_wildcard(&mut doc));
    }

    #[test]
    fn the_mock_makes_small_arrays_unless_the_spec_says_otherwise() {
        let dir = std::env::temp_dir().join(format!("contract-mock-{}", std::process::id()));
        let spec = |extra: Value| {
            let mut doc =
                json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
            if let (Some(root), Value::Object(extra)) = (doc.as_object_mut(), extra) {
                root.extend(extra);
            }
            let bytes = serde_json::to_vec(&doc).expect("serializes");
            let copy = mock_spec(Path::new("t.json"), &bytes, &dir, "t").path;
            let text = std::fs::read(&copy).expect("the copy is written");
            serde_json::from_slice::<Value>(&text).expect("the copy is JSON")
        };
        assert_eq!(
            spec(json!({}))["x-json-schema-faker"],
            json!({"maxItems": 2})
        );
        assert_eq!(
            spec(json!({"x-json-schema-faker": {"maxItems": 9, "locale": "de"}}))
                ["x-json-schema-faker"],
            json!({"maxItems": 9, "locale": "de"})
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_spec_that_refers_to_other_files_is_not_copied() {
        assert!(refers_elsewhere(
            &json!({"a": [{"$ref": "common.yaml#/X"}]})
        ));
        assert!(!refers_elsewhere(
            &json!({"a": [{"$ref": "#/components/schemas/X"}]})
        ));
    }

    #[test]
    fn fragment_paths_move_where_prism_can_route() {
        let mut doc = serde_json::json!({"paths": {
            "/#X-Amz-Target=Hub.List": {"post": {"operationId": "List"}, "parameters": [{"name": "p", "in": "header"}]},
            "/tags/{arn}": {"get": {"operationId": "ListTags"}},
            "/tags/{arn}#tagKeys": {"delete": {"operationId": "Untag"}, "parameters": [{"name": "arn", "in": "path"}]},
            "/tags/{arn}#other": {"get": {"operationId": "Clash"}},
            "/tags#operation=tag": {"post": {"operationId": "Tag", "parameters": [{"$ref": "#/components/parameters/op"}]}},
        }, "components": {"parameters": {"op": {"name": "operation", "in": "query"}}}});
        let routes = fragment_paths(&mut doc);
        assert_eq!(routes, super::super::proxy::tests::amz());
        let paths = &doc["paths"];
        // The header's operation keeps its path item whole, at a path of its own.
        assert_eq!(
            paths["/X-Amz-Target=Hub.List"]["parameters"][0]["name"],
            "p"
        );
        // A fragment's operation joins the path without it, with the item's parameters ...
        assert_eq!(paths["/tags/{arn}"]["delete"]["operationId"], "Untag");
        assert_eq!(
            paths["/tags/{arn}"]["delete"]["parameters"][0]["name"],
            "arn"
        );
        assert_eq!(paths["/tags/{arn}"]["get"]["operationId"], "ListTags");
        // ... unless that path has the method: then it stays where it was.
        assert_eq!(paths["/tags/{arn}#other"]["get"]["operationId"], "Clash");
        assert!(paths.get("/tags/{arn}#tagKeys").is_none());
        assert!(paths.get("/#X-Amz-Target=Hub.List").is_none());
    }
}
