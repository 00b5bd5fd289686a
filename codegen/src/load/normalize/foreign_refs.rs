//! A schema whose `$ref` points at another kind of component: a response, a request body, a
//! parameter or a header (rumble.run's bodies refer to `#/components/responses/StatusMessage`).
//! It is read as the schema that component carries (a response's or request body's JSON
//! content, a parameter's or header's `schema`), or as any JSON value when it carries none, and
//! recorded as a warning at the `$ref`.

use super::warn;
use crate::error::pointer_push;
use crate::Warning;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The component kinds whose `$ref`s are read as their schema, and what to call one.
const KINDS: &[(&str, &str)] = &[
    ("responses", "a response"),
    ("requestBodies", "a request body"),
    ("parameters", "a parameter"),
    ("headers", "a header"),
];

/// What a schema `$ref` to another kind of component is read as.
pub(super) struct Foreign {
    /// The schema to read in the `$ref`'s place.
    schema: Value,
    /// What the warning says was done, e.g. "a response; read as its `application/json` schema".
    reading: String,
}

/// Every component of [`KINDS`] in `doc`, by the `$ref` that names it.
pub(super) fn foreign_components(doc: &Value) -> BTreeMap<String, Foreign> {
    let mut found = BTreeMap::new();
    let Some(components) = doc.get("components").and_then(Value::as_object) else {
        return found;
    };
    for (kind, what) in KINDS {
        let Some(items) = components.get(*kind).and_then(Value::as_object) else {
            continue;
        };
        for name in items.keys() {
            let reference = pointer_push(&format!("#/components/{kind}"), name);
            let (schema, how) = match carried_schema(items, name) {
                Some((schema, from)) => (schema.clone(), format!("read as its {from}")),
                None => (
                    Value::Object(Map::new()),
                    "it has no schema, so any JSON value is read".to_string(),
                ),
            };
            found.insert(
                reference,
                Foreign {
                    schema,
                    reading: format!("{what}; {how}"),
                },
            );
        }
    }
    found
}

/// The schema the component `name` of `items` carries, following `$ref`s within its kind, and
/// where it was found.
fn carried_schema<'a>(items: &'a Map<String, Value>, name: &str) -> Option<(&'a Value, String)> {
    let mut item = items.get(name)?;
    for _ in 0..8 {
        let Some(next) = item.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let next = next
            .rsplit('/')
            .next()?
            .replace("~1", "/")
            .replace("~0", "~");
        item = items.get(&next)?;
    }
    if let Some(schema) = item.get("schema") {
        return Some((schema, "`schema`".to_string()));
    }
    let content = item.get("content").and_then(Value::as_object)?;
    let (media, body) = content
        .iter()
        .find(|(media, body)| media.contains("json") && body.get("schema").is_some())
        .or_else(|| {
            content
                .iter()
                .find(|(_, body)| body.get("schema").is_some())
        })?;
    Some((body.get("schema")?, format!("`{media}` schema")))
}

/// Replaces `schema` by the schema its `$ref` stands for, when that `$ref` points at a component
/// of [`KINDS`].
pub(super) fn replace(
    schema: &mut Value,
    pointer: &str,
    foreign: &BTreeMap<String, Foreign>,
    warnings: &mut Vec<Warning>,
) {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return;
    };
    let Some(found) = foreign.get(reference) else {
        return;
    };
    warnings.push(warn(
        &pointer_push(pointer, "$ref"),
        format!(
            "the schema `$ref` `{reference}` points at {}",
            found.reading
        ),
    ));
    *schema = found.schema.clone();
}
