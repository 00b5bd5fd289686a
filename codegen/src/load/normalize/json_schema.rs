//! The fixes for JSON Schema 2020-12, the schema language of OpenAPI 3.1, each read into the
//! 3.0 model the later stages know, or into an `x-rs-*` extension where 3.0 has no word for it
//! (`x-rs-tuple` for `prefixItems`, `x-rs-const` for a string `const`). Each is one of
//! [`super::schema::FIXES`], with its own test.

use super::{scalar_text, warn};
use crate::error::pointer_push;
use crate::Warning;
use serde_json::{Map, Value};

/// The extension that carries `prefixItems` (a tuple) to lowering.
pub(crate) const TUPLE_KEY: &str = "x-rs-tuple";
/// The extension that marks a one-value string enum as a `const`.
pub(crate) const CONST_KEY: &str = "x-rs-const";

/// 3.1 type arrays: ["string", "null"] is a nullable string; several non-null types are one
/// `oneOf` alternative per type, each with the keywords that apply to it.
pub(super) fn type_arrays_are_read(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
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
            [] => {
                map.remove("type");
            }
            // Several types: one alternative per type, each with the keywords that apply to it,
            // and an untagged enum of them in Rust. What describes the value as a whole stays.
            several => {
                let alternatives: Vec<Value> = several
                    .iter()
                    .map(|t| {
                        let mut one = Map::new();
                        one.insert("type".into(), Value::String((*t).to_string()));
                        for (key, value) in map.iter() {
                            if keyword_applies_to(key, t) {
                                one.insert(key.clone(), value.clone());
                            }
                        }
                        Value::Object(one)
                    })
                    .collect();
                map.retain(|key, _| {
                    !several.iter().any(|t| keyword_applies_to(key, t)) && key != "type"
                });
                map.insert("oneOf".into(), Value::Array(alternatives));
            }
        }
    }
}

/// Whether `keyword` constrains values of JSON type `ty` (so that an alternative made for `ty`
/// from a `type` array takes it).
fn keyword_applies_to(keyword: &str, ty: &str) -> bool {
    match ty {
        "string" => matches!(
            keyword,
            "format"
                | "pattern"
                | "minLength"
                | "maxLength"
                | "enum"
                | "contentEncoding"
                | "contentMediaType"
                | "x-rust-type"
        ),
        "integer" | "number" => matches!(
            keyword,
            "format"
                | "minimum"
                | "maximum"
                | "exclusiveMinimum"
                | "exclusiveMaximum"
                | "multipleOf"
        ),
        "array" => matches!(
            keyword,
            "items"
                | "prefixItems"
                | TUPLE_KEY
                | "minItems"
                | "maxItems"
                | "uniqueItems"
                | "contains"
        ),
        "object" => matches!(
            keyword,
            "properties"
                | "required"
                | "additionalProperties"
                | "patternProperties"
                | "minProperties"
                | "maxProperties"
                | "propertyNames"
        ),
        _ => false,
    }
}

pub(super) fn null_type_is_nullable(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if map.get("type").and_then(Value::as_str) == Some("null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
}

pub(super) fn const_is_an_enum_of_one(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    if let Some(value) = map.remove("const") {
        // A string constant is a string, whether or not the schema says so, and is marked so
        // that lowering makes it a type of that one value rather than an open enum.
        if value.is_string() {
            if !map.contains_key("type") {
                map.insert("type".into(), Value::String("string".into()));
            }
            map.insert(CONST_KEY.into(), Value::Bool(true));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
}

/// JSON Schema's boolean schemas (valid wherever OpenAPI 3.1 takes a schema): `true` allows any
/// value and becomes `{}`; `false` allows none, so a property, an alternative or `items` that is
/// `false` is left out (an array with `items: false` has no items beyond `prefixItems`), and
/// elsewhere it becomes `{"not": {}}`. `additionalProperties` keeps its boolean, which 3.0 has.
pub(super) fn boolean_schemas_are_read(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    for key in [
        "items",
        "contains",
        "not",
        "additionalItems",
        "propertyNames",
    ] {
        match map.get(key) {
            Some(Value::Bool(true)) => {
                map.insert(key.into(), Value::Object(Map::new()));
            }
            Some(Value::Bool(false)) if key == "items" || key == "additionalItems" => {
                map.remove(key);
            }
            Some(Value::Bool(false)) => {
                map.insert(key.into(), serde_json::json!({"not": {}}));
            }
            _ => {}
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        let refused: Vec<String> = properties
            .iter()
            .filter(|(_, v)| **v == Value::Bool(false))
            .map(|(k, _)| k.clone())
            .collect();
        for name in refused {
            properties.shift_remove(&name);
            warnings.push(warn(
                &pointer_push(&pointer_push(pointer, "properties"), &name),
                "the property's schema is `false` (it must not appear); left out".into(),
            ));
        }
        for value in properties.values_mut() {
            if *value == Value::Bool(true) {
                *value = Value::Object(Map::new());
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            if key == "prefixItems" || key == "allOf" {
                for m in members.iter_mut().filter(|m| m.is_boolean()) {
                    *m = if *m == Value::Bool(true) {
                        Value::Object(Map::new())
                    } else {
                        serde_json::json!({"not": {}})
                    };
                }
            } else {
                // An alternative that allows nothing is never chosen.
                members.retain(|m| *m != Value::Bool(false));
                for m in members.iter_mut().filter(|m| **m == Value::Bool(true)) {
                    *m = Value::Object(Map::new());
                }
            }
        }
    }
}

/// Keywords that no Rust type can follow: `if`/`then`/`else` (a schema that depends on the
/// value), `not` (values excluded) and `$dynamicRef`/`$dynamicAnchor` (references resolved at
/// validation time). Each is left out with a warning naming it; the rest of the schema stands.
/// `$dynamicRef` alone becomes any JSON value.
pub(super) fn conditional_and_dynamic_keywords_are_left_out(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let conditional: Vec<&str> = ["if", "then", "else"]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    if !conditional.is_empty() {
        for key in &conditional {
            map.remove(*key);
        }
        warnings.push(warn(
            pointer,
            format!(
                "`{}` (a schema that depends on the value) has no Rust type; left out, and the \
                 rest of the schema is read",
                conditional.join("`/`")
            ),
        ));
    }
    // `{"not": {}}` is how a `false` schema is read (nothing allowed) and stays.
    if map
        .get("not")
        .is_some_and(|not| *not != Value::Object(Map::new()))
    {
        map.remove("not");
        warnings.push(warn(
            &pointer_push(pointer, "not"),
            "`not` (values the schema excludes) has no Rust type; left out, so the type accepts \
             them too, and the rest of the schema is read"
                .into(),
        ));
    }
    if let Some(target) = map.remove("$dynamicRef") {
        warnings.push(warn(
            &pointer_push(pointer, "$dynamicRef"),
            format!(
                "`$dynamicRef` {} is resolved only when a value is validated; read as any JSON \
                 value",
                target
            ),
        ));
    }
    map.remove("$dynamicAnchor");
}

/// `contentEncoding: base64` (or `base64url`) on a string: the runtime's `Base64`, which reads
/// both alphabets and writes the standard one. `contentMediaType` goes into the description.
/// Another encoding stays a `String`, with a warning.
pub(super) fn content_encoding_is_read(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if let Some(media) = map.remove("contentMediaType") {
        let media = scalar_text(&media);
        add_to_description(map, &format!("Content: `{media}`."));
    }
    let Some(encoding) = map.remove("contentEncoding") else {
        return;
    };
    match encoding.as_str() {
        Some("base64" | "base64url") if !map.contains_key("x-rust-type") => {
            map.insert("x-rust-type".into(), Value::String("crate::Base64".into()));
        }
        _ => warnings.push(warn(
            &pointer_push(pointer, "contentEncoding"),
            format!(
                "`contentEncoding` {} is not one the client decodes; read as a string",
                encoding
            ),
        )),
    }
}

/// `null` among an `enum`'s values (3.1's way, and valid 3.0 beside `nullable`): the enum of
/// the other values, nullable. Without a `type`, values that are all strings make it a string.
pub(super) fn null_in_enum_is_nullable(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    if !values.iter().any(Value::is_null) {
        return;
    }
    values.retain(|v| !v.is_null());
    let all_strings = !values.is_empty() && values.iter().all(Value::is_string);
    if values.is_empty() {
        map.remove("enum");
    }
    map.insert("nullable".into(), Value::Bool(true));
    if !map.contains_key("type") && all_strings {
        map.insert("type".into(), Value::String("string".into()));
    }
}

/// `prefixItems`: an array whose elements have each their own schema. Without further `items`
/// (absent, or `false`) and without a `minItems` below their count, it is a tuple: the element
/// schemas move to [`TUPLE_KEY`], which lowering reads. Otherwise the array has no fixed length
/// and no one element type, and it is read as a list of any JSON values, with a warning saying
/// which.
pub(super) fn prefix_items_are_a_tuple(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let Some(Value::Array(elements)) = map.remove("prefixItems") else {
        return;
    };
    let count = elements.len();
    let min = map.get("minItems").and_then(Value::as_u64);
    let why = if map.contains_key("items") {
        Some("further `items` may follow them")
    } else if min.is_some_and(|m| m < count as u64) {
        Some("`minItems` allows fewer")
    } else if count == 0 {
        Some("it lists none")
    } else {
        None
    };
    if let Some(why) = why {
        warnings.push(warn(
            &pointer_push(pointer, "prefixItems"),
            format!(
                "`prefixItems` gives {count} element type(s) but {why}, so the array is no \
                 tuple; read as a list of any JSON values"
            ),
        ));
        map.insert("items".into(), Value::Object(Map::new()));
    } else {
        map.insert(TUPLE_KEY.into(), Value::Array(elements));
    }
    if !map.contains_key("type") {
        map.insert("type".into(), Value::String("array".into()));
    }
}

/// `unevaluatedProperties`, 2020-12's `additionalProperties` that sees through `allOf`: a schema
/// for the other properties of an object that lists none is read as `additionalProperties`
/// (a map of that type). `false`, or beside listed properties, it does not change the Rust type
/// (a struct keeps the fields it knows), and is left out.
pub(super) fn unevaluated_properties_are_read(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    let Some(rest) = map.remove("unevaluatedProperties") else {
        return;
    };
    let lists_properties = map
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if rest.is_object() && !lists_properties && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), rest);
    }
}

/// `dependentRequired` (`{"a": ["b", "c"]}`: when `a` is present, so are `b` and `c`) does not
/// change the Rust type, whose fields stay optional; the rule goes into the type's docs.
pub(super) fn dependent_required_is_documented(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    let Some(Value::Object(rules)) = map.remove("dependentRequired") else {
        return;
    };
    let mut notes = Vec::new();
    for (property, needs) in &rules {
        let needs: Vec<String> = needs
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|n| format!("`{n}`"))
            .collect();
        if !needs.is_empty() {
            notes.push(format!(
                "With `{property}`, the API also requires {}.",
                needs.join(", ")
            ));
        }
    }
    if notes.is_empty() {
        return;
    }
    add_to_description(map, &notes.join(" "));
}

/// An `enum` of strings without a `type` (3.1 leaves `type` out more often than 3.0) is a
/// string enum.
pub(super) fn untyped_string_enum_is_a_string(
    map: &mut Map<String, Value>,
    _pointer: &str,
    _warnings: &mut Vec<Warning>,
) {
    let strings = map
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string));
    if strings && !map.contains_key("type") {
        map.insert("type".into(), Value::String("string".into()));
    }
}

/// Adds a paragraph to the schema's `description` (or makes it the description).
fn add_to_description(map: &mut Map<String, Value>, note: &str) {
    let description = match map.get("description").and_then(Value::as_str) {
        Some(text) if !text.is_empty() => format!("{text}\n\n{note}"),
        _ => note.to_string(),
    };
    map.insert("description".into(), Value::String(description));
}
