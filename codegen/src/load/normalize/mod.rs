//! Between reading and parsing: real-world deviations from OpenAPI 3.0 that `openapiv3` would
//! reject, each rewritten to its most faithful 3.0 reading and recorded as a warning with its JSON
//! pointer. OpenAPI 3.1 documents are mapped onto the same model here too (`type` arrays with
//! `null` become `nullable`, `const` a one-value `enum`, numeric `exclusiveMinimum` a bound).
//!
//! This file holds the document-level fixes and the walk that finds schemas; `schema.rs` holds
//! the named fixes applied to each schema ([`schema::FIXES`]).

mod foreign_refs;
mod json_schema;
pub(crate) use json_schema::{CONST_KEY, TUPLE_KEY};
mod schema;

use crate::error::pointer_push;
use crate::Warning;
use foreign_refs::Foreign;
use schema::{fix_schema, is_null_schema, NULL_ALTERNATIVE};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Rewrites `doc` in place; returns what was changed.
pub fn normalize(doc: &mut Value) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(root) = doc.as_object_mut() else {
        return warnings;
    };
    // 3.1 allows a document without `paths` (webhooks only); `openapiv3` does not.
    if !root.contains_key("paths") {
        root.insert("paths".into(), Value::Object(Map::new()));
    }
    info_31_fields_are_kept(root);
    path_item_refs_are_inlined(root, &mut warnings);
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        for key in ["title", "version"] {
            if !info.get(key).is_some_and(Value::is_string) {
                let fixed = info.get(key).map(scalar_text).unwrap_or_default();
                warnings.push(warn(
                    &pointer_push("/info", key),
                    format!("`{key}` is missing or not a string; read as {fixed:?}"),
                ));
                info.insert(key.into(), Value::String(fixed));
            }
        }
    }
    // A 3.1-only top-level member the 3.0 model has no place for. (`webhooks` stays: its schemas
    // are normalized with the rest, and loading takes it out afterwards.)
    // OpenAPI 3.1's own dialect is the one read; another is read as if it were, with a warning.
    if let Some(dialect) = root.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some("https://spec.openapis.org/oas/3.1/dialect/base") {
            warnings.push(warn(
                "/jsonSchemaDialect",
                format!(
                    "the dialect {dialect} is read as OpenAPI 3.1's own \
                     (`https://spec.openapis.org/oas/3.1/dialect/base`)"
                ),
            ));
        }
    }
    // In 3.1 a `{"type": "null"}` alternative is the standard way to say "may be null".
    let is_31 = root
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    operations_have_responses(root, &mut warnings);
    callbacks_are_left_out(root, &mut warnings);
    responses_have_descriptions(root, &mut warnings);
    walk(doc, "", &mut warnings);
    if is_31 {
        warnings.retain(|w| !w.message.starts_with(NULL_ALTERNATIVE));
    }
    warnings
}

/// 3.1's `info.summary` and `license.identifier` (an SPDX expression), which the 3.0 model has no
/// place for, kept as extensions for the crate docs.
fn info_31_fields_are_kept(root: &mut Map<String, Value>) {
    let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(summary) = info.remove("summary") {
        info.insert("x-summary".into(), summary);
    }
    if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
        if let Some(identifier) = license.remove("identifier") {
            license.insert("x-identifier".into(), identifier);
        }
    }
}

/// 3.1's `components.pathItems`: a path that is a `$ref` to one becomes a copy of it, since the
/// 3.0 model has no such component.
fn path_item_refs_are_inlined(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    let Some(Value::Object(items)) = items else {
        return;
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(target) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let Some(name) = target.strip_prefix("#/components/pathItems/") else {
            continue;
        };
        match items.get(&name.replace("~1", "/").replace("~0", "~")) {
            Some(found) => *item = found.clone(),
            None => warnings.push(warn(
                &pointer_push(&pointer_push("/paths", path), "$ref"),
                format!("`{target}` names no path item; the path is left out"),
            )),
        }
    }
    paths.retain(|_, item| item.get("$ref").is_none());
}

fn warn(pointer: &str, message: String) -> Warning {
    Warning {
        pointer: pointer.to_string(),
        message,
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A response without the required `description` gets an empty one.
fn responses_have_descriptions(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let mut fix = |responses: &mut Map<String, Value>, base: &str| {
        for (code, response) in responses.iter_mut() {
            // A response `$ref` that points at a schema means "the body is this schema".
            let schema_ref = response
                .get("$ref")
                .and_then(Value::as_str)
                .filter(|r| r.starts_with("#/components/schemas/"))
                .map(str::to_string);
            if let Some(reference) = schema_ref {
                *response = serde_json::json!({
                    "description": "",
                    "content": {"application/json": {"schema": {"$ref": reference}}}
                });
                warnings.push(warn(
                    &pointer_push(base, code),
                    format!("response `$ref` points at the schema `{reference}`; read as a JSON body of that schema"),
                ));
                continue;
            }
            if let Some(r) = response.as_object_mut() {
                if !r.contains_key("$ref") && !r.get("description").is_some_and(Value::is_string) {
                    r.insert("description".into(), Value::String(String::new()));
                    warnings.push(warn(
                        &pointer_push(base, code),
                        "response has no `description`; read as empty".into(),
                    ));
                }
            }
        }
    };
    for section in ["paths", "webhooks"] {
        let Some(paths) = root.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                let base = pointer_push(
                    &pointer_push(&pointer_push(&format!("/{section}"), path), method),
                    "responses",
                );
                fix(responses, &base);
            }
        }
    }
    if let Some(responses) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("responses"))
        .and_then(Value::as_object_mut)
    {
        fix(responses, "/components/responses");
    }
}

/// The HTTP methods of a path item (its other keys are parameters, servers, docs).
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation without `responses` (openapi-generator accepts it) documents no response: it
/// gets a `default` one whose body is any bytes, so the call hands back the raw body.
fn operations_have_responses(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            if !METHODS.contains(&method.as_str()) || op.contains_key("responses") {
                continue;
            }
            op.insert(
                "responses".into(),
                serde_json::json!({"default": {
                    "description": "",
                    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}
                }}),
            );
            warnings.push(warn(
                &pointer_push(&pointer_push("/paths", path), method),
                "the operation has no `responses`; the call returns the raw response body as text"
                    .into(),
            ));
        }
    }
}

/// An operation's `callbacks` (requests the server makes to the client) are not generated; they
/// are left out with a warning, before `openapiv3` refuses the ones it cannot read (PeerTube's
/// `$ref` in place of a callback's path item).
fn callbacks_are_left_out(root: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            if METHODS.contains(&method.as_str()) && op.remove("callbacks").is_some() {
                warnings.push(warn(
                    &pointer_push(&pointer_push(&pointer_push("/paths", path), method), "callbacks"),
                    "callbacks (requests the server makes to the client) are not generated; left out".into(),
                ));
            }
        }
    }
}

/// Walks the document and fixes every schema in it: values in schema positions, and objects
/// that look like schemas wherever they are. A schema `$ref` to a response, request body,
/// parameter or header is first replaced by the schema that component carries.
fn walk(value: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    let foreign = foreign_refs::foreign_components(value);
    let mut walk = Walk {
        foreign: &foreign,
        warnings,
    };
    walk.visit(value, pointer, false);
}

/// What the walk carries: the components a schema `$ref` may wrongly point at, and the warnings.
struct Walk<'a> {
    foreign: &'a BTreeMap<String, Foreign>,
    warnings: &'a mut Vec<Warning>,
}

impl Walk<'_> {
    fn visit(&mut self, value: &mut Value, pointer: &str, schema: bool) {
        if schema {
            foreign_refs::replace(value, pointer, self.foreign, self.warnings);
        }
        match value {
            Value::Object(map) => {
                if schema || looks_like_schema(map) {
                    fix_schema(map, pointer, self.warnings);
                }
                for (key, child) in map.iter_mut() {
                    // Examples are data, not spec structure.
                    if key == "example" || key == "examples" || key == "default" || key == "enum" {
                        continue;
                    }
                    // The tuple's element schemas are the spec's `prefixItems`.
                    let token = if key == json_schema::TUPLE_KEY {
                        "prefixItems"
                    } else {
                        key.as_str()
                    };
                    let at = pointer_push(pointer, token);
                    match child {
                        // A map from names to schemas is not a schema itself, whatever its names
                        // (Azure's `SwaggerSchema` has properties named `allOf` and `properties`),
                        // and each of its values is one.
                        Value::Object(names) if NAME_MAPS.contains(&key.as_str()) => {
                            for (name, schema) in names.iter_mut() {
                                // A boolean schema (3.1): `true` allows anything, `false` nothing.
                                if let Value::Bool(allows) = *schema {
                                    *schema = if allows {
                                        Value::Object(Map::new())
                                    } else {
                                        serde_json::json!({"not": {}})
                                    };
                                }
                                self.visit(schema, &pointer_push(&at, name), true);
                            }
                        }
                        // Members of a list of schemas are schemas, whatever they look like.
                        Value::Array(members) if SCHEMA_LISTS.contains(&key.as_str()) => {
                            for (i, member) in members.iter_mut().enumerate() {
                                self.visit(member, &pointer_push(&at, &i.to_string()), true);
                            }
                        }
                        _ => self.visit(child, &at, SCHEMA_VALUES.contains(&key.as_str())),
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    self.visit(child, &pointer_push(pointer, &i.to_string()), false);
                }
            }
            _ => {}
        }
    }
}

/// Keywords whose value is a schema (where it is an object), so it is fixed even when it does
/// not look like one (`{"enum": ["a", "b"]}` without a `type`).
const SCHEMA_VALUES: &[&str] = &[
    "schema",
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "not",
    "contains",
    "propertyNames",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", json_schema::TUPLE_KEY];

/// Keywords whose value maps names to schemas.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "definitions",
    "$defs",
    "schemas",
];

fn looks_like_schema(map: &Map<String, Value>) -> bool {
    map.get("type").is_some_and(|t| {
        t.is_array()
            || t.as_str().is_some_and(|t| {
                matches!(
                    t,
                    "string" | "integer" | "number" | "boolean" | "array" | "object" | "null"
                )
            })
    }) || map.contains_key("const")
        // JSON Schema 2020-12 keywords that only a schema has.
        || [
            "$dynamicRef",
            "if",
            "not",
            "prefixItems",
            "contentEncoding",
            "contentMediaType",
            "dependentRequired",
            "unevaluatedProperties",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
        || (map.contains_key("allOf") && map.contains_key("properties"))
        || ["anyOf", "oneOf"].iter().any(|k| {
            map.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|alternatives| alternatives.iter().any(is_null_schema))
        })
        || map.get("discriminator").is_some_and(Value::is_string)
        || map.get("exclusiveMinimum").is_some_and(Value::is_number)
        || map.get("exclusiveMaximum").is_some_and(Value::is_number)
}

#[cfg(test)]
mod tests;
