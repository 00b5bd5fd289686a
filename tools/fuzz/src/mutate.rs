//! The mutants: a seed spec with one to four mutations, each drawn from a generator seeded by
//! the run alone, and the JSON pointer helpers they use.

use super::{Mutant, Seed};
use serde_json::Value;

/// Run `run`'s mutant: a seed picked and one to four mutations applied, all drawn from a
/// generator seeded by `(seed, run)` alone.
pub(crate) fn mutate(seeds: &[Seed], seed: u64, run: usize) -> Mutant {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (run as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let base = &seeds[rng.usize(..seeds.len())];
    let mut spec = base.spec.clone();
    let mut mutations = Vec::new();
    for _ in 0..rng.usize(1..=4) {
        mutations.push(mutation(&mut spec, &mut rng));
    }
    Mutant {
        run,
        seed_name: base.name.clone(),
        mutations,
        spec,
        config: base.config.clone(),
    }
}

/// Names that trip code generators: keywords, names of the prelude and of our own items,
/// names that differ only in case or punctuation, and names that are not identifiers at all.
const NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "0",
    "1st",
    "-",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "{id}",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "r#type",
    "fn",
    "mod",
    "async",
    "await",
    "dyn",
    "try",
    "match",
    "None",
    "Some",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "serde",
    "Client",
    "Error",
    "client",
    "builder",
    "send",
    "default",
    "new",
    "foo",
    "baz",
    "value",
    "Value",
    "FooBar",
    "foo_bar",
    "fooBar",
    "FOO_BAR",
    "ä名前",
    "😀",
    "$ref",
    "200",
    "x-",
    "abc\u{301}",
];

/// Values of every JSON type, the odd ones in particular.
fn odd_value(rng: &mut fastrand::Rng) -> Value {
    match rng.usize(..12) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => serde_json::json!(0),
        3 => serde_json::json!(-1),
        4 => serde_json::json!(1e300),
        5 => serde_json::json!(18446744073709551615u64),
        6 => serde_json::json!([]),
        7 => serde_json::json!({}),
        8 => Value::String(String::new()),
        9 => Value::String("x".repeat(rng.usize(1..400))),
        _ => Value::String(NAMES[rng.usize(..NAMES.len())].to_string()),
    }
}

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "any",
];

/// Applies one mutation at a random place and describes it.
fn mutation(spec: &mut Value, rng: &mut fastrand::Rng) -> String {
    let mut pointers = Vec::new();
    collect_pointers(spec, String::new(), &mut pointers);
    let at = pointers[rng.usize(..pointers.len())].clone();
    let at_display = if at.is_empty() { "/" } else { &at };
    match rng.usize(..10) {
        // Remove a member or an element.
        0 | 1 if !at.is_empty() => {
            remove(spec, &at);
            format!("removed {at_display}")
        }
        // Replace a node with a value of another type.
        2 => {
            let value = odd_value(rng);
            let shown = short(&value);
            set(spec, &at, value);
            format!("{at_display} = {shown}")
        }
        // Change a schema's type, to a single type or a list with null.
        3 => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let ty = TYPES[rng.usize(..TYPES.len())];
            let value = if rng.usize(..4) == 0 {
                serde_json::json!([ty, "null"])
            } else {
                Value::String(ty.to_string())
            };
            let shown = short(&value);
            if let Some(Value::Object(map)) = spec.pointer_mut(&target) {
                map.insert("type".into(), value);
            }
            format!("{target}/type = {shown}")
        }
        // Rename an object member.
        4 => {
            let Some(Value::Object(map)) = spec.pointer_mut(&at) else {
                let value = Value::String(NAMES[rng.usize(..NAMES.len())].to_string());
                let shown = short(&value);
                set(spec, &at, value);
                return format!("{at_display} = {shown}");
            };
            let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() else {
                return format!("{at_display}: nothing to rename");
            };
            let name = NAMES[rng.usize(..NAMES.len())].to_string();
            if let Some(value) = map.remove(&key) {
                map.insert(name.clone(), value);
            }
            format!("renamed {at_display}/{key} to {name:?}")
        }
        // Copy a subtree somewhere else, beside or instead of what is there.
        5 | 6 => {
            let from = pointers[rng.usize(..pointers.len())].clone();
            let Some(value) = spec.pointer(&from).cloned() else {
                return format!("nothing at {from}");
            };
            match spec.pointer_mut(&at) {
                Some(Value::Object(map)) if rng.bool() => {
                    let name = NAMES[rng.usize(..NAMES.len())].to_string();
                    map.insert(name.clone(), value);
                    format!("copied {from} to {at_display}/{name}")
                }
                _ => {
                    set(spec, &at, value);
                    format!("copied {from} over {at_display}")
                }
            }
        }
        // A reference: to a schema, to any node, to itself or its parent, or to nothing.
        7 => {
            let target = match rng.usize(..4) {
                0 => format!("#{}", pointers[rng.usize(..pointers.len())]),
                1 => format!("#{at}"),
                2 => format!("#{}", parent(&at)),
                _ => "#/components/schemas/DoesNotExist".to_string(),
            };
            set(spec, &at, serde_json::json!({ "$ref": target }));
            format!("{at_display} = {{$ref: {target}}}")
        }
        // An odd enum on the nearest schema.
        8 => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let values: Vec<Value> = (0..rng.usize(1..6)).map(|_| odd_value(rng)).collect();
            let value = Value::Array(values);
            let shown = short(&value);
            if let Some(Value::Object(map)) = spec.pointer_mut(&target) {
                map.insert("enum".into(), value);
            }
            format!("{target}/enum = {shown}")
        }
        // A property whose name differs from a sibling's only in case or punctuation.
        _ => {
            let Some(target) = nearest_schema(spec, &at) else {
                return format!("no schema at or above {at_display}");
            };
            let Some(Value::Object(map)) = spec.pointer_mut(&target) else {
                return format!("no schema at {target}");
            };
            let properties = map
                .entry("properties")
                .or_insert_with(|| serde_json::json!({}));
            let Value::Object(properties) = properties else {
                return format!("{target}/properties is not an object");
            };
            let name = match properties.keys().next() {
                Some(first) if rng.bool() => first.to_uppercase(),
                Some(first) => format!("{first}_"),
                None => NAMES[rng.usize(..NAMES.len())].to_string(),
            };
            properties.insert(name.clone(), odd_schema(rng));
            format!("{target}/properties/{name:?} added")
        }
    }
}

fn odd_schema(rng: &mut fastrand::Rng) -> Value {
    let ty = TYPES[rng.usize(..TYPES.len())];
    match rng.usize(..3) {
        0 => serde_json::json!({ "type": ty }),
        1 => serde_json::json!({ "type": ty, "nullable": true, "enum": [odd_value(rng)] }),
        _ => serde_json::json!({ "oneOf": [{ "type": ty }, { "type": "null" }] }),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Every node's JSON pointer, the root's (`""`) first.
fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                collect_pointers(child, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn parent(pointer: &str) -> String {
    pointer
        .rfind('/')
        .map_or(String::new(), |i| pointer[..i].to_string())
}

fn last_token(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

fn set(spec: &mut Value, at: &str, value: Value) {
    if let Some(slot) = spec.pointer_mut(at) {
        *slot = value;
    }
}

fn remove(spec: &mut Value, at: &str) {
    let key = last_token(at);
    match spec.pointer_mut(&parent(at)) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// The nearest object at or above `at` that looks like a schema (has `type`, `properties`,
/// `items`, `$ref`, `enum` or a composition keyword).
fn nearest_schema(spec: &Value, at: &str) -> Option<String> {
    let mut pointer = at.to_string();
    loop {
        if let Some(Value::Object(map)) = spec.pointer(&pointer) {
            if [
                "type",
                "properties",
                "items",
                "$ref",
                "enum",
                "oneOf",
                "anyOf",
                "allOf",
            ]
            .iter()
            .any(|k| map.contains_key(*k))
            {
                return Some(pointer);
            }
        }
        if pointer.is_empty() {
            return None;
        }
        pointer = parent(&pointer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_removal_follows_them() {
        let mut spec = serde_json::json!({ "paths": { "/a/{id}": { "get": {} } } });
        let mut pointers = Vec::new();
        collect_pointers(&spec, String::new(), &mut pointers);
        assert!(pointers.contains(&"/paths/~1a~1{id}/get".to_string()));
        remove(&mut spec, "/paths/~1a~1{id}");
        assert_eq!(spec, serde_json::json!({ "paths": {} }));
    }
}
