use super::*;

#[test]
fn values_fit_their_schemas() {
    let doc = json!({"components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}}});
    let s = Synth::new(&doc);
    assert_eq!(
        s.value(&json!({"$ref": "#/components/schemas/Id"})),
        json!("123e4567-e89b-12d3-a456-426614174000")
    );
    assert_eq!(
        s.value(&json!({"type": "integer", "minimum": 30, "maximum": 300})),
        json!(30)
    );
    assert_eq!(
        s.value(&json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
        json!(1)
    );
    assert_eq!(s.value(&json!({"type": "integer", "maximum": 0})), json!(0));
    assert_eq!(
        s.value(&json!({"type": "string", "enum": ["a", "b"]})),
        json!("a")
    );
    assert_eq!(
        s.value(&json!({"type": "string", "minLength": 8})),
        json!("stringaa")
    );
    assert_eq!(
        s.value(&json!({"type": "string", "maxLength": 3})),
        json!("str")
    );
    assert_eq!(
        s.value(&json!({"type": "string", "example": "ex"})),
        json!("ex")
    );
    assert_eq!(
        s.value(&json!({"type": "integer", "example": "not a number"})),
        json!(1)
    );
    assert_eq!(
        s.value(&json!({"type": "string", "maxLength": 3, "example": "too long"})),
        json!("str")
    );
    assert_eq!(
        s.value(&json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}, "b": {"type": "string"}, "c": {"readOnly": true}}})),
        json!({"a": true})
    );
    // `minProperties` adds optional properties in order (journy.io's `identification`).
    assert_eq!(
        s.value(&json!({"type": "object", "minProperties": 1, "properties": {"c": {"readOnly": true}, "userId": {"type": "string", "enum": ["u"]}, "email": {"type": "string"}}})),
        json!({"userId": "u"})
    );
    assert_eq!(
        s.value(&json!({"type": "string", "pattern": "^[A-Z]{2}\\d{3}$"})),
        json!("AA111")
    );
}

#[test]
fn alternatives_beside_properties_are_merged_with_them() {
    let doc = json!({});
    let s = Synth::new(&doc);
    // GitHub's `gists/update`: alternatives that only require one of the properties.
    assert_eq!(
        s.value(&json!({"type": "object",
            "properties": {"description": {"type": "string", "enum": ["d"]}, "files": {"type": "object"}},
            "anyOf": [{"required": ["description"]}, {"required": ["files"]}]})),
        json!({"description": "d"})
    );
    // GitHub's `checks/create`: the object's required names and an alternative's narrowing.
    assert_eq!(
        s.value(&json!({"type": "object", "required": ["head_sha"],
        "properties": {"head_sha": {"type": "string", "enum": ["h"]}, "status": {"type": "string"}},
        "oneOf": [
            {"required": ["status"], "properties": {"status": {"enum": ["completed"]}}},
            {"properties": {"status": {"enum": ["queued"]}}}
        ]})),
        json!({"head_sha": "h", "status": "completed"})
    );
}

#[test]
fn patterns() {
    assert_eq!(from_pattern("^[0-9]+$", 0).as_deref(), Some("1"));
    assert_eq!(from_pattern("^ab-\\d{2,4}$", 0).as_deref(), Some("ab-11"));
    // Each made-up value matches its pattern (checked with the `regex` crate), including
    // real ones from AWS specs.
    for pattern in [
        "^(a|b)$",
        "arn:(aws[a-zA-Z-]*)?:[a-z]+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1})?:(\\d{12})?:[a-zA-Z0-9-_/:.]+",
        "(arn:aws(-cn)?:billingconductor::[0-9]{12}:billinggroup/)?[0-9]{12}",
        "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$",
        "^\\S+$",
    ] {
        let value = from_pattern(pattern, 0).expect("parses");
        let re = regex::Regex::new(pattern).expect("a valid regex");
        assert!(re.is_match(&value), "{value:?} does not match {pattern}");
    }
    assert_eq!(from_pattern("(unclosed", 0), None);
}

#[test]
fn one_of_values_match_exactly_one_alternative() {
    let doc = json!({"components": {"schemas": {
        "Loose": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Card": {"type": "object", "required": ["number"], "properties": {"number": {"type": "string"}}}
    }}});
    let s = Synth::new(&doc);
    // `Card`'s value (`{"number": …}`) also fits `Loose`, which accepts any object: the
    // value must be one only `Loose` accepts (`{}`, which lacks `Card`'s required number).
    let schema = json!({"oneOf": [
        {"$ref": "#/components/schemas/Card"},
        {"$ref": "#/components/schemas/Loose"},
        {"type": "string", "enum": ["none"]}
    ]});
    let value = s.value(&schema);
    let alternatives = schema["oneOf"].as_array().expect("alternatives");
    let matching = alternatives
        .iter()
        .filter(|a| s.accepts(a, &value, 0))
        .count();
    assert_eq!(matching, 1, "{value}");
    assert!(!s.ambiguous.get());

    // Zoom's lock settings: two open objects with nothing required, so every object fits
    // both. The maker says so, and the report blames the spec, not the client.
    let overlapping = json!({"oneOf": [
        {"type": "object", "properties": {"chat": {"type": "object"}}},
        {"type": "object", "properties": {"meeting_security": {"type": "object"}}}
    ]});
    let s = Synth::new(&doc);
    s.value(&overlapping);
    assert!(s.ambiguous.get());

    // A parameter is text on the wire, where the integer also reads as a string: only the
    // string alternative's value (not a number) matches one alternative.
    let id = json!({"oneOf": [
        {"type": "integer", "example": 5638296721u64},
        {"type": "string", "example": "4444AAAiAAAAAiAiAiiAii=="}
    ]});
    assert_eq!(Synth::new(&doc).value(&id), json!(5638296721u64));
    let mut s = Synth::new(&doc);
    s.text = true;
    assert_eq!(s.value(&id), json!("4444AAAiAAAAAiAiAiiAii=="));
    assert!(!s.ambiguous.get());
}

#[test]
fn required_names_are_sent_wherever_they_are_described() {
    let doc = json!({"components": {"schemas": {
        "Base": {"type": "object", "properties": {"location": {"type": "integer"}}}
    }}});
    let s = Synth::new(&doc);
    // `location` is required by the outer schema and described by a part; `end` is
    // required and described nowhere.
    let value = s.value(&json!({
        "allOf": [{"$ref": "#/components/schemas/Base"}],
        "required": ["location", "end"],
        "properties": {"note": {"type": "string"}}
    }));
    assert!(value["location"].is_i64(), "{value}");
    assert_eq!(value["end"], json!("value"), "{value}");
    assert!(value.get("note").is_none(), "{value}");

    let doc = json!({"components": {"schemas": {"String": {"type": "string"}}}});
    let s = Synth::new(&doc);
    let value = s.value(
        &json!({"allOf": [{"$ref": "#/components/schemas/String"}, {"description": "An id."}]}),
    );
    assert!(value.is_string(), "{value}");
}

#[test]
fn examples_that_break_their_schema_are_not_used() {
    let doc = json!({});
    let s = Synth::new(&doc);
    let schema = json!({
        "type": "object",
        "required": ["effectiveDate"],
        "properties": {"effectiveDate": {"type": "string", "format": "date"}},
        "example": {"effectiveDate": "2017-12-20T00:00:00"}
    });
    assert_eq!(s.value(&schema), json!({"effectiveDate": "2024-01-01"}));
    let fine = json!({"type": "string", "format": "date-time", "example": "2020-03-31T12:02:00Z"});
    assert_eq!(s.value(&fine), json!("2020-03-31T12:02:00Z"));
    for (format, good, bad) in [
        ("date-time", "2024-01-01T00:00:00+01:00", "2024-01-01 00:00"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567"),
        ("email", "a@example.com", "a.example.com"),
    ] {
        assert!(
            has_format(format, good) && !has_format(format, bad),
            "{format}"
        );
    }
}

#[test]
fn patterns_meet_min_length() {
    let doc = json!({});
    let s = Synth::new(&doc);
    let value = s.value(&json!({"type": "string", "pattern": "^[a-z0-9]+$", "minLength": 12}));
    let text = value.as_str().expect("a string");
    assert!(
        text.len() >= 12
            && regex::Regex::new("^[a-z0-9]+$")
                .expect("regex")
                .is_match(text),
        "{text}"
    );
}
