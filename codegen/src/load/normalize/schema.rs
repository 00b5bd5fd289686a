//! The named fixes applied to every schema object the walk finds, in order ([`FIXES`]); each
//! rewrites one deviation to its 3.0 reading and records a warning with the pointer.

use super::json_schema::*;
use super::{scalar_text, warn};
use crate::error::pointer_push;
use crate::Warning;
use serde_json::{Map, Value};

/// How the warning for a `null` alternative starts (3.1 documents get none).
pub(super) const NULL_ALTERNATIVE: &str = "a `{\"type\": \"null\"}` alternative";

/// `{"type": "null"}` (3.1 style), which 3.0 specs use among `anyOf`/`oneOf` alternatives too.
pub(super) fn is_null_schema(value: &Value) -> bool {
    says_only(value, "type", &Value::String("null".into()))
}

/// Whether `value` is a schema whose one keyword is `key` with the value `expected`, beside at
/// most a `description` and a `title`.
fn says_only(value: &Value, key: &str, expected: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.get(key) == Some(expected)
            && m.keys()
                .all(|k| k == key || matches!(k.as_str(), "description" | "title"))
    })
}

/// A `null` alternative among `anyOf`/`oneOf` means the value may be null: it is taken out and
/// the schema is `nullable`; a single alternative left is the schema itself (a `$ref` through a
/// one-member `allOf`, the 3.0 way to make a reference nullable).
pub(super) fn null_alternatives_make_nullable(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(alternatives)) = map.get_mut(key) else {
            continue;
        };
        let others = alternatives.iter().filter(|a| !is_null_schema(a)).count();
        if others == alternatives.len() || others == 0 {
            continue;
        }
        alternatives.retain(|a| !is_null_schema(a));
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
/// Keywords of a schema object (not property names), for values found misplaced.
pub(super) const SCHEMA_KEYWORDS: &[&str] = &[
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
pub(super) fn malformed_keywords_are_dropped(
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

/// `allOf: [{"nullable": true}, {"$ref": …}]` (PandaScore's way to make a reference
/// nullable): a member that says nothing but `nullable` makes the value nullable, as the spec's
/// author meant and as servers answer (`null`), though 3.0.3 reads `nullable` without a `type`
/// as saying nothing. The member is taken out and the schema is `nullable`.
pub(super) fn nullable_all_of_member_makes_nullable(
    map: &mut Map<String, Value>,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    let Some(Value::Array(members)) = map.get_mut("allOf") else {
        return;
    };
    let only_nullable = |member: &Value| says_only(member, "nullable", &Value::Bool(true));
    let said = members.iter().filter(|m| !only_nullable(m)).count();
    if said == members.len() || said == 0 {
        return;
    }
    members.retain(|m| !only_nullable(m));
    map.insert("nullable".into(), Value::Bool(true));
    warnings.push(warn(
        &pointer_push(pointer, "allOf"),
        "a member of `allOf` that is only `nullable: true`; read as a nullable value".to_string(),
    ));
}

/// The fixes [`fix_schema`] applies to every schema, in order, each a function of its own with
/// its own test.
pub(super) const FIXES: &[Fix] = &[
    conditional_and_dynamic_keywords_are_left_out,
    content_encoding_is_read,
    malformed_keywords_are_dropped,
    null_alternatives_make_nullable,
    nullable_all_of_member_makes_nullable,
    string_discriminator_is_its_property_name,
    own_properties_join_the_all_of,
    numbers_written_as_strings_are_read,
    misplaced_values_among_properties,
    boolean_schemas_are_read,
    prefix_items_are_a_tuple,
    unevaluated_properties_are_read,
    dependent_required_is_documented,
    type_arrays_are_read,
    null_type_is_nullable,
    const_is_an_enum_of_one,
    null_in_enum_is_nullable,
    untyped_string_enum_is_a_string,
    numeric_exclusive_bounds_are_read,
    examples_give_the_example,
    an_array_enum_belongs_to_its_items,
    array_properties_describe_its_items,
    enum_values_take_the_schema_type,
];

/// One named rewrite of a schema object, with the warnings it gives.
pub(super) type Fix = fn(&mut Map<String, Value>, &str, &mut Vec<Warning>);

/// A schema's `type` when it is one name.
pub(super) fn schema_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

pub(super) fn fix_schema(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Warning>) {
    for fix in FIXES {
        fix(map, pointer, warnings);
    }
}

/// A Swagger 2-style string `discriminator` names the property (`propertyName`).
pub(super) fn string_discriminator_is_its_property_name(
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
pub(super) fn own_properties_join_the_all_of(
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
pub(super) fn numbers_written_as_strings_are_read(
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
pub(super) fn misplaced_values_among_properties(
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
            let Some(value) = props.shift_remove(&name) else {
                continue;
            };
            if SCHEMA_KEYWORDS.contains(&name.as_str()) {
                warnings.push(warn(
                    &at,
                    format!("`{name}` is written inside `properties`; read as the object's own"),
                ));
                moved.push((name, value));
            } else if value.is_boolean() {
                // A boolean schema: `boolean_schemas_are_read` reads it.
                props.insert(name, value);
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

pub(super) fn numeric_exclusive_bounds_are_read(
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

pub(super) fn examples_give_the_example(
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
pub(super) fn an_array_enum_belongs_to_its_items(
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
pub(super) fn array_properties_describe_its_items(
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
pub(super) fn enum_values_take_the_schema_type(
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
