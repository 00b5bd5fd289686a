//! Values that satisfy a schema: the spec's own example where it has the right type, otherwise
//! one made from the schema (formats, enums, bounds, lengths, simple patterns, required fields,
//! file parts).

mod pattern;

use pattern::from_pattern;
use serde_json::{json, Map, Value};

/// Makes values for the schemas of one (bundled, normalized) spec document.
pub struct Synth<'a> {
    doc: &'a Value,
    /// A multipart body: `format: binary` strings become file parts.
    pub files: bool,
    /// Set when a `oneOf` had no alternative whose value the others reject: whatever is sent
    /// matches several, which `oneOf` forbids (the spec's alternatives overlap).
    pub ambiguous: std::cell::Cell<bool>,
    /// Parameters: sent as text, where `5` also reads as the string `"5"`, so a number fits a
    /// `type: string` alternative too.
    pub text: bool,
}

impl<'a> Synth<'a> {
    /// A maker for schemas of `doc`.
    pub fn new(doc: &'a Value) -> Synth<'a> {
        Synth {
            doc,
            files: false,
            ambiguous: std::cell::Cell::new(false),
            text: false,
        }
    }

    /// Follows `$ref`s (at most 32).
    pub fn resolve<'v>(&'v self, mut node: &'v Value) -> &'v Value {
        for _ in 0..32 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| self.doc.pointer(p)) {
                    Some(target) => node = target,
                    None => return node,
                },
                None => return node,
            }
        }
        node
    }

    /// A value for `schema`, as sent in a request.
    pub fn value(&self, schema: &Value) -> Value {
        self.make(schema, 0)
    }

    fn make(&self, schema: &Value, depth: usize) -> Value {
        let s = self.resolve(schema);
        if depth > 12 {
            return Value::Null;
        }
        if let Some(value) = s
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return value.clone();
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            // `allOf: [{$ref: String}, {description}]` (AWS): a scalar, not an object.
            if let Some(scalar) = all.iter().find(|p| {
                self.resolve(p)
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t != "object")
            }) {
                return self.make(scalar, depth + 1);
            }
            // One object of every part's properties and required names (a part may require
            // what another describes); parts that are themselves compositions are made apart.
            let mut combined = json!({});
            let mut merged = Map::new();
            for part in all.iter().map(|p| self.resolve(p)).chain([s]) {
                let composed = ["allOf", "oneOf", "anyOf"]
                    .iter()
                    .any(|k| part.get(*k).is_some());
                if composed && !std::ptr::eq(part, s) {
                    if let Value::Object(fields) = self.make(part, depth + 1) {
                        merged.extend(fields);
                    }
                    continue;
                }
                combined = merge_object(&combined, part);
            }
            if let Value::Object(own) = self.object(&combined, depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        // An object with its own properties beside `oneOf`/`anyOf` (GitHub's `checks/create`,
        // `gists/update`: alternatives that only add `required` names or narrow a property):
        // the value must satisfy the object and an alternative, so each alternative is made
        // merged with the object.
        if s.get("properties").is_some() {
            for key in ["oneOf", "anyOf"] {
                let Some(alternatives) = s.get(key).and_then(Value::as_array) else {
                    continue;
                };
                let merged: Vec<Value> = alternatives
                    .iter()
                    .map(|alternative| merge_object(s, self.resolve(alternative)))
                    .collect();
                return self.make(&json!({ key: merged }), depth + 1);
            }
        }
        if let Some(alternatives) = s.get("oneOf").and_then(Value::as_array) {
            // `oneOf` wants exactly one match: the first alternative whose value no other
            // alternative would accept, else the first.
            let real: Vec<&Value> = alternatives
                .iter()
                .filter(|v| !is_null_schema(self.resolve(v)))
                .collect();
            let values: Vec<Value> = real.iter().map(|a| self.make(a, depth + 1)).collect();
            let only = values.iter().enumerate().find(|(i, value)| {
                real.iter()
                    .enumerate()
                    .all(|(j, other)| j == *i || !self.accepts(other, value, 0))
            });
            if only.is_none() && real.len() > 1 {
                self.ambiguous.set(true);
            }
            if let Some(value) = only.map(|(_, v)| v).or(values.first()) {
                return value.clone();
            }
        }
        if let Some(first) = s
            .get("anyOf")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find(|v| !is_null_schema(self.resolve(v))))
        {
            return self.make(first, depth + 1);
        }
        let ty = s.get("type").and_then(Value::as_str).unwrap_or_else(|| {
            if s.get("properties").is_some() {
                "object"
            } else if s.get("items").is_some() {
                "array"
            } else {
                ""
            }
        });
        if let Some(example) = example_of(s) {
            // The spec's example where it fits the whole schema (specs' examples often break
            // their own formats or nested types).
            if fits(ty, &example)
                && within_bounds(s, &example)
                && self.accepts(s, &example, 0)
                && !(ty == "string"
                    && self.files
                    && s.get("format").and_then(Value::as_str) == Some("binary"))
            {
                return example;
            }
        }
        match ty {
            "string" => self.string(s),
            "integer" => json!(integer(s)),
            "number" => json!(integer(s) as f64),
            "boolean" => json!(true),
            "array" => {
                let items = s
                    .get("items")
                    .map_or(Value::Null, |i| self.make(i, depth + 1));
                let min = s
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1);
                Value::Array(vec![items; min.min(3) as usize])
            }
            "object" => self.object(s, depth),
            _ => json!("value"),
        }
    }

    /// Whether `schema` would accept `value`, roughly: types, enums, required and listed
    /// properties, `additionalProperties: false`, items; formats and patterns are not read.
    fn accepts(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let s = self.resolve(schema);
        if depth > 16 {
            return true;
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            if !all.iter().all(|part| self.accepts(part, value, depth + 1)) {
                return false;
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = s.get(key).and_then(Value::as_array) {
                if !alternatives
                    .iter()
                    .any(|a| self.accepts(a, value, depth + 1))
                {
                    return false;
                }
            }
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            if !values.contains(value) {
                return false;
            }
        }
        let nullable = s.get("nullable") == Some(&Value::Bool(true));
        match s.get("type").and_then(Value::as_str) {
            Some(_) if value.is_null() => nullable,
            Some("string") => match value.as_str() {
                Some(text) => {
                    has_format(s.get("format").and_then(Value::as_str).unwrap_or(""), text)
                }
                None => self.text && (value.is_number() || value.is_boolean()),
            },
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.as_array().is_some_and(|items| {
                s.get("items")
                    .is_none_or(|i| items.iter().all(|v| self.accepts(i, v, depth + 1)))
            }),
            Some("object") | None => {
                let Some(object) = value.as_object() else {
                    return s.get("type").is_none() && s.get("properties").is_none();
                };
                let required = s.get("required").and_then(Value::as_array);
                if required.is_some_and(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .any(|name| !object.contains_key(name))
                }) {
                    return false;
                }
                let props = s.get("properties").and_then(Value::as_object);
                let closed = s.get("additionalProperties") == Some(&Value::Bool(false));
                object
                    .iter()
                    .all(|(name, v)| match props.and_then(|p| p.get(name)) {
                        Some(prop) => self.accepts(prop, v, depth + 1),
                        None => !closed,
                    })
            }
            Some(_) => true,
        }
    }

    /// The required properties (and, for a map, one entry), never `readOnly` ones.
    fn object(&self, s: &Value, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(Value::Object(props)) = s.get("properties") {
            for (name, prop) in props {
                let resolved = self.resolve(prop);
                if resolved.get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                if required.contains(&name.as_str()) {
                    out.insert(name.clone(), self.make(prop, depth + 1));
                }
            }
        }
        // Required but not described: any value will do.
        for name in required {
            if s.get("properties").is_none_or(|p| p.get(name).is_none()) {
                out.entry(name.to_string())
                    .or_insert_with(|| Value::from("value"));
            }
        }
        // `minProperties`: optional properties too, in the spec's order, until there are enough.
        let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0);
        if let Some(Value::Object(props)) = s.get("properties") {
            for (name, prop) in props {
                if out.len() as u64 >= min {
                    break;
                }
                if self.resolve(prop).get("readOnly") != Some(&Value::Bool(true)) {
                    out.entry(name.clone())
                        .or_insert_with(|| self.make(prop, depth + 1));
                }
            }
        }
        if out.is_empty() && s.get("properties").is_none() {
            if let Some(extra @ Value::Object(_)) = s.get("additionalProperties") {
                out.insert("key".into(), self.make(extra, depth + 1));
            }
        }
        Value::Object(out)
    }

    fn string(&self, s: &Value) -> Value {
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        if self.files && format == "binary" {
            // A `FilePart` reads from JSON as its contents, text (`FilePart::new("", text)`).
            return json!("hi");
        }
        let mut text = match format {
            "date-time" => "2024-01-01T00:00:00Z".to_string(),
            "date" => "2024-01-01".to_string(),
            "time" => "12:00:00".to_string(),
            "email" => "user@example.com".to_string(),
            "uuid" => "123e4567-e89b-12d3-a456-426614174000".to_string(),
            "uri" | "url" | "uri-reference" => "https://example.com/".to_string(),
            "hostname" => "example.com".to_string(),
            "ipv4" => "192.0.2.1".to_string(),
            "ipv6" => "2001:db8::1".to_string(),
            "byte" => "aGVsbG8=".to_string(),
            "int32" | "int64" => "1".to_string(),
            _ => match s.get("pattern").and_then(Value::as_str) {
                // Longer repetitions until the value is long enough for `minLength`.
                Some(pattern) => {
                    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
                    let mut reps = 0;
                    let mut text = from_pattern(pattern, 0);
                    while let Some(short) = text.as_ref().filter(|t| t.chars().count() < min) {
                        if reps > 4096 || short.is_empty() && reps > 0 {
                            break;
                        }
                        reps = (reps * 2).max(1);
                        text = from_pattern(pattern, reps);
                    }
                    text.unwrap_or_else(|| "string".to_string())
                }
                None => "string".to_string(),
            },
        };
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        while text.chars().count() < min {
            text.push('a');
        }
        if let Some(max) = max {
            text = text.chars().take(max.max(min)).collect();
        }
        Value::String(text)
    }
}

fn is_null_schema(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
}

/// The schema's own example: `example`, the first of `examples`, or `default`.
fn example_of(s: &Value) -> Option<Value> {
    s.get("example")
        .or_else(|| {
            s.get("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
        })
        .or_else(|| s.get("default"))
        .filter(|v| !v.is_null())
        .cloned()
}

/// Whether an example keeps the schema's length and value bounds (specs' examples often do not).
fn within_bounds(s: &Value, value: &Value) -> bool {
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    match value {
        Value::String(text) => {
            let len = text.chars().count() as f64;
            num("minLength").is_none_or(|m| len >= m) && num("maxLength").is_none_or(|m| len <= m)
        }
        Value::Number(n) => {
            let v = n.as_f64().unwrap_or(0.0);
            num("minimum").is_none_or(|m| v >= m) && num("maximum").is_none_or(|m| v <= m)
        }
        Value::Array(items) => {
            let len = items.len() as f64;
            num("minItems").is_none_or(|m| len >= m) && num("maxItems").is_none_or(|m| len <= m)
        }
        _ => true,
    }
}

/// Whether `value` has JSON type `ty`.
fn fits(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// An object schema of `object`'s properties and required names with `alternative`'s added (its
/// properties win: they narrow the object's). `allOf` folds its parts with it too.
fn merge_object(object: &Value, alternative: &Value) -> Value {
    let mut properties = object
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Object(own)) = alternative.get("properties") {
        properties.extend(own.clone());
    }
    let required: Vec<Value> = [object, alternative]
        .iter()
        .filter_map(|s| s.get("required").and_then(Value::as_array))
        .flatten()
        .cloned()
        .collect();
    json!({"type": "object", "properties": properties, "required": required})
}

/// Whether `text` has the string `format` (the common ones, roughly; others always do).
fn has_format(format: &str, text: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let date = |t: &str| {
        let parts: Vec<&str> = t.split('-').collect();
        parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| digits(p))
    };
    match format {
        "date" => date(text),
        "date-time" => text.split_once(['T', 't']).is_some_and(|(day, time)| {
            date(day)
                && time.len() >= 9
                && time.as_bytes()[2] == b':'
                && (time.ends_with(['Z', 'z'])
                    || time.get(8..).is_some_and(|zone| zone.contains(['+', '-'])))
        }),
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && groups
                    .iter()
                    .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => text
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        _ => true,
    }
}

/// A whole number within `minimum`/`maximum` (exclusive or not) and a multiple of `multipleOf`.
fn integer(s: &Value) -> i64 {
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    let step = num("multipleOf")
        .filter(|m| *m >= 1.0)
        .map_or(1, |m| m as i64);
    let mut low = num("minimum").map_or(1, |m| m.ceil() as i64);
    if s.get("exclusiveMinimum") == Some(&Value::Bool(true)) && num("minimum").is_some() {
        low += 1;
    }
    let mut value = low.max(if num("minimum").is_some() { low } else { 1 });
    if value % step != 0 {
        value += step - value.rem_euclid(step);
    }
    if let Some(max) = num("maximum") {
        let mut high = max.floor() as i64;
        if s.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
            high -= 1;
        }
        if value > high {
            value = high - high.rem_euclid(step);
        }
    }
    value
}

#[cfg(test)]
mod tests;
