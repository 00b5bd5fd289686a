//! Between reading and parsing: real-world deviations from OpenAPI 3.0 that `openapiv3` would
//! reject, each rewritten to its most faithful 3.0 reading and recorded as a warning with its JSON
//! pointer. OpenAPI 3.1 documents are mapped onto the same model here too (`type` arrays with
//! `null` become `nullable`, `const` a one-value `enum`, numeric `exclusiveMinimum` a bound).

use crate::error::pointer_push;
use crate::Warning;
use serde_json::{Map, Value};

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
    root.remove("jsonSchemaDialect");
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

/// How the warning for a `null` alternative starts (3.1 documents get none).
const NULL_ALTERNATIVE: &str = "a `{\"type\": \"null\"}` alternative";

/// `{"type": "null"}` (3.1 style), which 3.0 specs use among `anyOf`/`oneOf` alternatives too.
fn is_null_schema(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.get("type").and_then(Value::as_str) == Some("null")
            && m.keys()
                .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
    })
}

/// A `null` alternative among `anyOf`/`oneOf` means the value may be null: it is taken out and
/// the schema is `nullable`; a single alternative left is the schema itself (a `$ref` through a
/// one-member `allOf`, the 3.0 way to make a reference nullable).
fn null_alternatives_make_nullable(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(alternatives)) = map.get_mut(key) else {
            continue;
        };
        let before = alternatives.len();
        alternatives.retain(|a| !is_null_schema(a));
        if alternatives.len() == before || alternatives.is_empty() {
            continue;
        }
        let single = (alternatives.len() == 1).then(|| alternatives.remove(0));
        map.insert("nullable".into(), Value::Bool(true));
        warnings.push(warn(
            &pointer_push(pointer, key),
            format!("{NULL_ALTERNATIVE} of `{key}`; read as a nullable value"),
        ));
        let Some(single) = single else {
            continue;
        };
        map.remove(key);
        match single {
            Value::Object(only) if only.contains_key("$ref") => {
                map.insert("allOf".into(), Value::Array(vec![Value::Object(only)]));
            }
            Value::Object(only) => {
                for (k, v) in only {
                    map.entry(k).or_insert(v);
                }
            }
            other => {
                map.insert("allOf".into(), Value::Array(vec![other]));
            }
        }
    }
}

/// Visits every object; the ones that look like schemas, and the values of maps from names to
/// schemas, are rewritten.
fn walk(value: &mut Value, pointer: &str, warnings: &mut Vec<Warning>) {
    visit(value, pointer, false, warnings);
}

fn visit(value: &mut Value, pointer: &str, schema: bool, warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(map) => {
            if schema || looks_like_schema(map) {
                fix_schema(map, pointer, warnings);
            }
            for (key, child) in map.iter_mut() {
                // Examples are data, not spec structure.
                if key == "example" || key == "examples" || key == "default" || key == "enum" {
                    continue;
                }
                let at = pointer_push(pointer, key);
                match child {
                    // A map from names to schemas is not a schema itself, whatever its names
                    // (Azure's `SwaggerSchema` has properties named `allOf` and `properties`),
                    // and each of its values is one.
                    Value::Object(names) if NAME_MAPS.contains(&key.as_str()) => {
                        for (name, schema) in names.iter_mut() {
                            visit(schema, &pointer_push(&at, name), true, warnings);
                        }
                    }
                    _ => visit(child, &at, false, warnings),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                visit(
                    child,
                    &pointer_push(pointer, &i.to_string()),
                    false,
                    warnings,
                );
            }
        }
        _ => {}
    }
}

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

/// Keywords of a schema object (not property names), for values found misplaced.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "description",
    "title",
    "required",
    "additionalProperties",
    "nullable",
    "enum",
    "default",
    "example",
    "items",
    "minimum",
    "maximum",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords whose value is not of the kind the keyword takes, and that no reading can save: a
/// `type` that is an object (codat.io's `itemType`), a `pattern` that is a number (api.video's
/// `timecode`), a `format` that is not a string. Each is left out with a warning.
fn malformed_keywords_are_dropped(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let malformed = |key: &str, value: &Value| match key {
        "type" => !value.is_string() && !value.is_array(),
        "pattern" | "format" => !value.is_string(),
        _ => false,
    };
    for key in ["type", "pattern", "format"] {
        if let Some(value) = map.get(key).filter(|v| malformed(key, v)) {
            let shown: String = value.to_string().chars().take(60).collect();
            warnings.push(warn(
                &pointer_push(pointer, key),
                format!("`{key}` is {shown}, not what the keyword takes; left out"),
            ));
            map.remove(key);
        }
    }
}

/// The fixes [`fix_schema`] applies to every schema, in order, each a function of its own with
/// its own test.
const FIXES: &[Fix] = &[
    malformed_keywords_are_dropped,
    null_alternatives_make_nullable,
    string_discriminator_is_its_property_name,
    own_properties_join_the_all_of,
    numbers_written_as_strings_are_read,
    misplaced_values_among_properties,
    type_arrays_are_read,
    null_type_is_nullable,
    const_is_an_enum_of_one,
    numeric_exclusive_bounds_are_read,
    examples_give_the_example,
    an_array_enum_belongs_to_its_items,
    array_properties_describe_its_items,
    enum_values_take_the_schema_type,
];

/// One named rewrite of a schema object, with the warnings it gives.
type Fix = fn(&mut Map<String, Value>, &str, &mut Vec<Warning>);

/// A schema's `type` when it is one name.
fn schema_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

fn fix_schema(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    for fix in FIXES {
        fix(map, pointer, warnings);
    }
}

/// A Swagger 2-style string `discriminator` names the property (`propertyName`).
fn string_discriminator_is_its_property_name(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if let Some(Value::String(property)) = map.get("discriminator").cloned() {
        map.insert(
            "discriminator".into(),
            serde_json::json!({"propertyName": property}),
        );
        warnings.push(warn(
            &pointer_push(pointer, "discriminator"),
            format!("`discriminator` is the string {property:?} (Swagger 2 style); read as its `propertyName`"),
        ));
    }
}

/// `allOf` beside the schema's own `properties` (Azure's resources: `allOf: [Resource]` plus
/// `properties`): `openapiv3` keeps one or the other, so the own part becomes one more member
/// of the `allOf`, and the schema is just the `allOf`.
fn own_properties_join_the_all_of(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if map.get("allOf").is_some_and(Value::is_array) && map.contains_key("properties") {
        let mut own = Map::new();
        own.insert("type".into(), Value::String("object".into()));
        for key in ["properties", "required", "additionalProperties"] {
            if let Some(value) = map.remove(key) {
                own.insert(key.into(), value);
            }
        }
        if map.get("type").and_then(Value::as_str) == Some("object") {
            map.remove("type");
        }
        if let Some(Value::Array(members)) = map.get_mut("allOf") {
            members.push(Value::Object(own));
        }
    }
}

/// Numbers written as strings (`minimum: "1"`): read as the number.
fn numbers_written_as_strings_are_read(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    for key in [
        "minimum",
        "maximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ] {
        if let Some(Value::String(text)) = map.get(key) {
            let parsed = text.trim().parse::<serde_json::Number>().ok();
            let fixed = parsed.clone().map_or(Value::Null, Value::Number);
            warnings.push(warn(
                &pointer_push(pointer, key),
                match parsed {
                    Some(_) => format!("`{key}` is the string {text:?}; read as the number"),
                    None => format!("`{key}` is the string {text:?}, not a number; ignored"),
                },
            ));
            if fixed.is_null() {
                map.remove(key);
            } else {
                map.insert(key.into(), fixed);
            }
        }
    }
}

/// Values among `properties` that are not schemas. A schema keyword written one level too deep
/// (`additionalProperties: false`, `type: object` inside `properties`) belongs to the object;
/// a boolean schema `true` is any value, `false` a property that can never be present.
fn misplaced_values_among_properties(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let mut moved: Vec<(String, Value)> = Vec::new();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        let misplaced: Vec<String> = props
            .iter()
            .filter(|(_, v)| !v.is_object())
            .map(|(k, _)| k.clone())
            .collect();
        for name in misplaced {
            let at = pointer_push(&pointer_push(pointer, "properties"), &name);
            let Some(value) = props.remove(&name) else {
                continue;
            };
            if SCHEMA_KEYWORDS.contains(&name.as_str()) {
                warnings.push(warn(
                    &at,
                    format!("`{name}` is written inside `properties`; read as the object's own"),
                ));
                moved.push((name, value));
            } else if value == Value::Bool(true) {
                props.insert(name, Value::Object(Map::new()));
            } else {
                warnings.push(warn(
                    &at,
                    "the property's schema is not a schema object; left out".into(),
                ));
            }
        }
    }
    for (name, value) in moved {
        map.entry(name).or_insert(value);
    }
}

/// 3.1 type arrays: ["string", "null"] is a nullable string; several non-null types are
/// any value.
fn type_arrays_are_read(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
        if names.contains(&"null") {
            map.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [one] => {
                map.insert("type".into(), Value::String((*one).to_string()));
            }
            _ => {
                map.remove("type");
                if non_null.len() > 1 {
                    warnings.push(warn(
                        pointer,
                        format!(
                            "`type` lists {}; read as any JSON value",
                            non_null.join(", ")
                        ),
                    ));
                }
            }
        }
    }
}

fn null_type_is_nullable(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
}

fn const_is_an_enum_of_one(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
}

fn numeric_exclusive_bounds_are_read(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

fn examples_give_the_example(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if let Some(Value::Array(examples)) = map.remove("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.into_iter().next() {
                map.insert("example".into(), first);
            }
        }
    }
}

/// `enum` on an array belongs to its items.
fn an_array_enum_belongs_to_its_items(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if schema_type(map) == Some("array") {
        if let Some(values) = map.remove("enum") {
            if let Some(items) = map.get_mut("items").and_then(Value::as_object_mut) {
                if !items.contains_key("enum") {
                    items.insert("enum".into(), values);
                    if !items.contains_key("type") {
                        items.insert("type".into(), Value::String("string".into()));
                    }
                }
            }
            warnings.push(warn(
                pointer,
                "`enum` on an array; read as the enum of its items".into(),
            ));
        }
    }
}

/// `properties` on an array (VTEX's policy `actions`, `items: {}` beside the properties its
/// items have): they describe the items, so they become the items' schema when that says
/// nothing; beside items that say something, they are dropped.
fn array_properties_describe_its_items(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if schema_type(map) == Some("array") && map.contains_key("properties") {
        let items_empty = match map.get("items") {
            None => true,
            Some(Value::Object(items)) => items.is_empty(),
            Some(_) => false,
        };
        let moved = ["properties", "required", "additionalProperties"]
            .into_iter()
            .filter_map(|key| map.remove(key).map(|value| (key.to_string(), value)));
        let mut object: Map<String, Value> = moved.collect();
        if items_empty {
            object.insert("type".into(), Value::String("object".into()));
            map.insert("items".into(), Value::Object(object));
            warnings.push(warn(
                pointer,
                "`properties` on an array; read as the properties of its items".into(),
            ));
        } else {
            warnings.push(warn(
                pointer,
                "`properties` on an array whose `items` has its own schema; ignored".into(),
            ));
        }
    }
}

/// Enum values must have the schema's type.
fn enum_values_take_the_schema_type(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let ty = schema_type(map).map(str::to_string);
    if let Some(Value::Array(values)) = map.get("enum").cloned() {
        match ty.as_deref() {
            Some("string") if values.iter().any(|v| !v.is_string() && !v.is_null()) => {
                let fixed = values
                    .iter()
                    .map(|v| {
                        if v.is_null() {
                            Value::Null
                        } else {
                            Value::String(scalar_text(v))
                        }
                    })
                    .collect();
                map.insert("enum".into(), Value::Array(fixed));
                warnings.push(warn(
                    pointer,
                    "string `enum` has values that are not strings; read as their text".into(),
                ));
            }
            Some("integer") if values.iter().any(|v| !v.is_i64() && !v.is_null()) => {
                map.remove("enum");
                warnings.push(warn(
                    pointer,
                    "integer `enum` has values that are not integers; the enum is left out".into(),
                ));
            }
            Some("number") if values.iter().any(|v| !v.is_number() && !v.is_null()) => {
                map.remove("enum");
                warnings.push(warn(
                    pointer,
                    "number `enum` has values that are not numbers; the enum is left out".into(),
                ));
            }
            Some("boolean") if values.iter().any(|v| !v.is_boolean() && !v.is_null()) => {
                map.remove("enum");
                warnings.push(warn(
                    pointer,
                    "boolean `enum` has values that are not booleans; the enum is left out".into(),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema(mut v: Value) -> (Value, Vec<Warning>) {
        let mut w = Vec::new();
        walk(&mut v, "/s", &mut w);
        (v, w)
    }

    /// Runs one fix on a schema; the result and the warnings' messages.
    fn apply(fix: Fix, mut v: Value) -> (Value, Vec<String>) {
        let mut warnings = Vec::new();
        if let Some(map) = v.as_object_mut() {
            fix(map, "/s", &mut warnings);
        }
        (v, warnings.into_iter().map(|w| w.message).collect())
    }

    #[test]
    fn own_properties_join_the_all_of_as_one_more_member() {
        let (v, warnings) = apply(
            own_properties_join_the_all_of,
            json!({"type": "object", "allOf": [{"$ref": "#/c/R"}], "properties": {"x": {}}, "required": ["x"]}),
        );
        assert_eq!(
            v,
            json!({"allOf": [{"$ref": "#/c/R"}, {"type": "object", "properties": {"x": {}}, "required": ["x"]}]})
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_null_type_is_a_nullable_value() {
        let (v, _) = apply(null_type_is_nullable, json!({"type": "null"}));
        assert_eq!(v, json!({"nullable": true}));
    }

    #[test]
    fn const_is_an_enum_of_one_value() {
        let (v, _) = apply(
            const_is_an_enum_of_one,
            json!({"type": "string", "const": "a"}),
        );
        assert_eq!(v, json!({"type": "string", "enum": ["a"]}));
    }

    #[test]
    fn numeric_exclusive_bounds_become_bound_and_flag() {
        let (v, _) = apply(
            numeric_exclusive_bounds_are_read,
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": true}),
        );
        assert_eq!(
            v,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn the_first_of_examples_is_the_example() {
        let (v, _) = apply(examples_give_the_example, json!({"examples": [1, 2]}));
        assert_eq!(v, json!({"example": 1}));
        let (v, _) = apply(
            examples_give_the_example,
            json!({"example": 0, "examples": [1]}),
        );
        assert_eq!(v, json!({"example": 0}));
    }

    #[test]
    fn an_enum_on_an_array_goes_to_its_items() {
        let (v, warnings) = apply(
            an_array_enum_belongs_to_its_items,
            json!({"type": "array", "items": {}, "enum": ["a", "b"]}),
        );
        assert_eq!(
            v,
            json!({"type": "array", "items": {"enum": ["a", "b"], "type": "string"}})
        );
        assert_eq!(
            warnings,
            ["`enum` on an array; read as the enum of its items"]
        );
    }

    #[test]
    fn openapi_31_types_map_to_nullable() {
        assert_eq!(
            schema(json!({"type": ["string", "null"]})).0,
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(schema(json!({"type": "null"})).0, json!({"nullable": true}));
        let (v, w) = schema(json!({"type": ["string", "integer"]}));
        assert_eq!(v, json!({}));
        assert_eq!(w.len(), 1);
        assert_eq!(
            schema(json!({"type": "string", "const": "x"})).0,
            json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(
            schema(json!({"type": "integer", "exclusiveMinimum": 0})).0,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            schema(json!({"type": "string", "examples": ["a", "b"]})).0,
            json!({"type": "string", "example": "a"})
        );
    }

    #[test]
    fn keywords_written_as_strings_or_one_level_too_deep() {
        let (v, w) = schema(
            json!({"type": "string", "minimum": "1", "maxLength": "x", "properties": {
                "additionalProperties": false, "type": "object", "any": true, "never": false, "real": {"type": "string"}
            }}),
        );
        assert_eq!(v["minimum"], json!(1));
        assert!(v.get("maxLength").is_none(), "not a number: dropped");
        assert_eq!(v["additionalProperties"], json!(false));
        assert_eq!(v["type"], json!("string"), "the schema's own `type` wins");
        assert_eq!(
            v["properties"],
            json!({"any": {}, "real": {"type": "string"}})
        );
        assert_eq!(w.len(), 5, "{w:?}");
    }

    #[test]
    fn properties_on_an_array_describe_its_items() {
        let (v, w) = schema(json!({"type": "array", "items": {}, "required": ["id"],
            "properties": {"id": {"type": "string"}}}));
        assert_eq!(
            v,
            json!({"type": "array", "items": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}}}})
        );
        assert_eq!(w.len(), 1);
        let (v, w) = schema(json!({"type": "array", "items": {"type": "string"},
            "properties": {"id": {"type": "string"}}}));
        assert_eq!(v, json!({"type": "array", "items": {"type": "string"}}));
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn enum_quirks() {
        let (v, w) =
            schema(json!({"type": "array", "enum": ["a", "b"], "items": {"type": "string"}}));
        assert_eq!(
            v,
            json!({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}})
        );
        assert_eq!(w[0].pointer, "/s");
        assert_eq!(
            schema(json!({"type": "string", "enum": [1, "b", null]})).0,
            json!({"type": "string", "enum": ["1", "b", null]})
        );
        assert_eq!(
            schema(json!({"type": "integer", "enum": [1, "x"]})).0,
            json!({"type": "integer"})
        );
    }

    #[test]
    fn missing_response_descriptions_are_filled() {
        let mut doc = json!({"openapi": "3.0.0", "info": {"title": "t"}, "paths": {"/a": {"get": {"responses": {"200": {}}}}}});
        let w = normalize(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(doc["info"]["version"], "");
        let pointers: Vec<&str> = w.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["/info/version", "/paths/~1a/get/responses/200"]);

        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"400": {"$ref": "#/components/schemas/Bad"}}}}}});
        let w = normalize(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Bad"
        );
        assert_eq!(w[0].pointer, "/paths/~1a/get/responses/400");
    }

    #[test]
    fn an_operation_without_responses_returns_the_raw_body() {
        let mut doc = json!({"info": {"title": "t", "version": "1"}, "paths": {"/a": {
            "parameters": [], "get": {"operationId": "a"}
        }}});
        let w = normalize(&mut doc);
        let content = &doc["paths"]["/a"]["get"]["responses"]["default"]["content"]["*/*"];
        assert_eq!(content["schema"]["format"], "binary");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].pointer, "/paths/~1a/get");
        // Other keys of a path item are not operations.
        assert!(doc["paths"]["/a"]["parameters"].is_array());
    }

    #[test]
    fn a_string_discriminator_is_its_property_name() {
        let (s, w) = schema(json!({"discriminator": "kind", "oneOf": [{"$ref": "#/a"}]}));
        assert_eq!(s["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(w[0].pointer, "/s/discriminator");
    }

    #[test]
    fn properties_named_like_keywords_are_not_a_schema() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {"S": {"type": "object", "properties": {
            "allOf": {"type": "array", "items": {"type": "string"}},
            "properties": {"type": "object", "description": "The object properties"}
        }}}}});
        let before = doc.clone();
        let warnings = normalize(&mut doc);
        assert_eq!(doc, before, "{warnings:?}");
    }

    #[test]
    fn malformed_keywords_are_left_out() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {
            "itemType": {"type": {"type": "string", "enum": ["A"]}},
            "Pick": {"type": "object", "properties": {"timecode": {"type": "string", "pattern": 0}}}
        }}});
        let warnings = normalize(&mut doc);
        assert_eq!(doc["components"]["schemas"]["itemType"], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["Pick"]["properties"]["timecode"],
            json!({"type": "string"})
        );
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/itemType/type",
                "/components/schemas/Pick/properties/timecode/pattern"
            ]
        );
    }

    #[test]
    fn a_null_alternative_makes_the_value_nullable() {
        let (s, w) = schema(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
        assert_eq!(s, json!({"type": "string", "nullable": true}));
        assert_eq!(w[0].pointer, "/s/anyOf");
        let (s, _) = schema(json!({"oneOf": [{"$ref": "#/c/X"}, {"type": "null"}]}));
        assert_eq!(s, json!({"allOf": [{"$ref": "#/c/X"}], "nullable": true}));
        let (s, _) =
            schema(json!({"oneOf": [{"$ref": "#/c/X"}, {"$ref": "#/c/Y"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"oneOf": [{"$ref": "#/c/X"}, {"$ref": "#/c/Y"}], "nullable": true})
        );
        // In OpenAPI 3.1 that is the standard way to say it: no warning.
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}});
        assert!(normalize(&mut doc).is_empty());
    }
}
