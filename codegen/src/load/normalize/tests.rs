//! Unit tests of normalizing: each named fix on its own, and the walk over whole documents.

use super::json_schema::*;
use super::schema::*;
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
    assert_eq!(
        v,
        json!({"type": "string", "enum": ["a"], "x-rs-const": true})
    );
    // A number constant is an enum of one number, with no mark (it stays a number).
    let (v, _) = apply(
        const_is_an_enum_of_one,
        json!({"type": "integer", "const": 1}),
    );
    assert_eq!(v, json!({"type": "integer", "enum": [1]}));
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
    // Several types: one alternative each (an untagged enum in Rust), no warning.
    let (v, w) = schema(json!({"type": ["string", "integer"]}));
    assert_eq!(
        v,
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        schema(json!({"type": "string", "const": "x"})).0,
        json!({"type": "string", "enum": ["x"], "x-rs-const": true})
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
    let (v, w) = schema(json!({"type": "array", "enum": ["a", "b"], "items": {"type": "string"}}));
    assert_eq!(
        v,
        json!({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}})
    );
    assert_eq!(w[0].pointer, "/s");
    assert_eq!(
        schema(json!({"type": "string", "enum": [1, "b", null]})).0,
        json!({"type": "string", "enum": ["1", "b"], "nullable": true})
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
    let (s, _) = schema(json!({"oneOf": [{"$ref": "#/c/X"}, {"$ref": "#/c/Y"}, {"type": "null"}]}));
    assert_eq!(
        s,
        json!({"oneOf": [{"$ref": "#/c/X"}, {"$ref": "#/c/Y"}], "nullable": true})
    );
    // Nothing but `null` is left as it is.
    let only_null = json!({"anyOf": [{"type": "null"}]});
    assert_eq!(
        apply(null_alternatives_make_nullable, only_null.clone()).0,
        only_null
    );
    // In OpenAPI 3.1 that is the standard way to say it: no warning.
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"S": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}});
    assert!(normalize(&mut doc).is_empty());
}

#[test]
fn an_all_of_member_that_is_only_nullable_makes_the_value_nullable() {
    // As PandaScore writes a nullable reference, as a property's schema.
    let (s, w) = schema(json!({"type": "object", "properties": {
        "version": {"allOf": [{"nullable": true}, {"$ref": "#/c/X"}], "title": "X"}}}));
    assert_eq!(
        s["properties"]["version"],
        json!({"allOf": [{"$ref": "#/c/X"}], "nullable": true, "title": "X"})
    );
    assert_eq!(w[0].pointer, "/s/properties/version/allOf");
    // A member with more to say stays, and so does an `allOf` of nothing else.
    let kept = json!({"allOf": [{"nullable": true, "type": "string"}, {"$ref": "#/c/X"}]});
    assert_eq!(
        apply(nullable_all_of_member_makes_nullable, kept.clone()).0,
        kept
    );
    let alone = json!({"allOf": [{"nullable": true}]});
    assert_eq!(
        apply(nullable_all_of_member_makes_nullable, alone.clone()).0,
        alone
    );
}

#[test]
fn boolean_schemas_become_what_they_allow() {
    let (v, warnings) = apply(
        boolean_schemas_are_read,
        json!({
            "type": "object",
            "properties": {"any": true, "never": false},
            "oneOf": [{"type": "string"}, false, true],
        }),
    );
    assert_eq!(v["properties"], json!({"any": {}}));
    assert_eq!(v["oneOf"], json!([{"type": "string"}, {}]));
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("`false`"), "{warnings:?}");
    let (v, _) = apply(
        boolean_schemas_are_read,
        json!({"type": "array", "prefixItems": [{"type": "string"}], "items": false}),
    );
    assert_eq!(v.get("items"), None);
    let (v, _) = apply(
        boolean_schemas_are_read,
        json!({"type": "array", "items": true}),
    );
    assert_eq!(v["items"], json!({}));
    // A component schema that is a boolean.
    let mut doc = json!({"components": {"schemas": {"Any": true, "None": false}}});
    let mut warnings = Vec::new();
    walk(&mut doc, "", &mut warnings);
    assert_eq!(doc["components"]["schemas"]["Any"], json!({}));
    assert_eq!(doc["components"]["schemas"]["None"], json!({"not": {}}));
}

#[test]
fn conditional_and_dynamic_keywords_are_left_out_with_a_warning() {
    let (v, warnings) = apply(
        conditional_and_dynamic_keywords_are_left_out,
        json!({"type": "object", "if": {}, "then": {}, "else": {}, "$dynamicRef": "#meta"}),
    );
    assert_eq!(v, json!({"type": "object"}));
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings[0].starts_with("`if`/`then`/`else`"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("`$dynamicRef` \"#meta\""),
        "{warnings:?}"
    );
}

#[test]
fn base64_content_is_the_runtimes_base64_and_the_media_type_is_documented() {
    let (v, warnings) = apply(
        content_encoding_is_read,
        json!({"type": "string", "contentEncoding": "base64url", "contentMediaType": "image/png", "description": "A logo."}),
    );
    assert_eq!(v["x-rust-type"], "crate::Base64");
    assert_eq!(v["description"], "A logo.\n\nContent: `image/png`.");
    assert!(warnings.is_empty());
    let (v, warnings) = apply(
        content_encoding_is_read,
        json!({"type": "string", "contentEncoding": "quoted-printable"}),
    );
    assert_eq!(v, json!({"type": "string"}));
    assert!(warnings[0].contains("quoted-printable"), "{warnings:?}");
}

#[test]
fn null_among_enum_values_makes_the_enum_nullable() {
    let (v, _) = apply(
        null_in_enum_is_nullable,
        json!({"enum": ["red", "green", null]}),
    );
    assert_eq!(
        v,
        json!({"enum": ["red", "green"], "nullable": true, "type": "string"})
    );
}

#[test]
fn a_type_array_of_several_types_is_one_alternative_per_type() {
    let (v, warnings) = apply(
        type_arrays_are_read,
        json!({
            "type": ["string", "array", "null"],
            "description": "A name or names.",
            "maxLength": 5,
            "items": {"type": "string"},
        }),
    );
    assert!(warnings.is_empty());
    assert_eq!(
        v,
        json!({
            "description": "A name or names.",
            "nullable": true,
            "oneOf": [
                {"type": "string", "maxLength": 5},
                {"type": "array", "items": {"type": "string"}},
            ],
        })
    );
}

#[test]
fn another_json_schema_dialect_is_read_with_a_warning() {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema"});
    let warnings = normalize(&mut doc);
    assert!(
        warnings.iter().any(|w| w.pointer == "/jsonSchemaDialect"),
        "{warnings:?}"
    );
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base"});
    assert!(normalize(&mut doc).is_empty());
}

#[test]
fn path_items_from_components_are_inlined_and_info_fields_kept() {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1", "summary": "Short.", "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": {"/a": {"$ref": "#/components/pathItems/A"}, "/b": {"$ref": "#/components/pathItems/Missing"}},
        "components": {"pathItems": {"A": {"get": {"responses": {"200": {"description": "ok"}}}}}},
    });
    let warnings = normalize(&mut doc);
    assert_eq!(
        doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
        "ok"
    );
    assert!(doc["paths"].get("/b").is_none());
    assert!(doc["components"].get("pathItems").is_none());
    assert!(
        warnings.iter().any(|w| w.pointer == "/paths/~1b/$ref"),
        "{warnings:?}"
    );
    assert_eq!(doc["info"]["x-summary"], "Short.");
    assert_eq!(doc["info"]["license"]["x-identifier"], "MIT");
}

#[test]
fn prefix_items_without_further_items_are_a_tuple() {
    let elements = json!([{"type": "number"}, {"type": "string"}]);
    let (v, w) = apply(
        prefix_items_are_a_tuple,
        json!({"type": "array", "prefixItems": elements.clone()}),
    );
    assert_eq!(v, json!({"type": "array", "x-rs-tuple": elements.clone()}));
    assert!(w.is_empty(), "{w:?}");
    // `minItems` equal to the count keeps it a tuple; `type` is implied.
    let (v, _) = apply(
        prefix_items_are_a_tuple,
        json!({"prefixItems": elements.clone(), "minItems": 2}),
    );
    assert_eq!(v["x-rs-tuple"], elements);
    assert_eq!(v["type"], "array");
}

#[test]
fn prefix_items_without_a_fixed_length_are_a_list_with_a_warning() {
    let elements = json!([{"type": "number"}, {"type": "string"}]);
    for (schema, why) in [
        (
            json!({"type": "array", "prefixItems": elements.clone(), "items": {"type": "string"}}),
            "further `items`",
        ),
        (
            json!({"type": "array", "prefixItems": elements.clone(), "minItems": 1}),
            "`minItems` allows fewer",
        ),
        (json!({"type": "array", "prefixItems": []}), "lists none"),
    ] {
        let (v, w) = apply(prefix_items_are_a_tuple, schema);
        assert!(v.get("x-rs-tuple").is_none(), "{v}");
        assert!(v.get("prefixItems").is_none(), "{v}");
        assert_eq!(w.len(), 1);
        assert!(w[0].contains(why), "{w:?}");
    }
}

#[test]
fn the_walk_keeps_the_spec_pointer_of_tuple_elements() {
    let (v, w) = schema(json!({
        "type": "array",
        "prefixItems": [{"type": "string", "contentEncoding": "quoted-printable"}]
    }));
    assert!(v.get("x-rs-tuple").is_some(), "{v}");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].pointer, "/s/prefixItems/0/contentEncoding");
}

#[test]
fn unevaluated_properties_with_a_schema_are_a_map() {
    let (v, _) = apply(
        unevaluated_properties_are_read,
        json!({"type": "object", "unevaluatedProperties": {"type": "string"}}),
    );
    assert_eq!(
        v,
        json!({"type": "object", "additionalProperties": {"type": "string"}})
    );
    // Beside listed properties, or `false`, it changes no type and is left out.
    let listed = json!({"type": "object", "properties": {"a": {}}, "unevaluatedProperties": false});
    let (v, _) = apply(unevaluated_properties_are_read, listed);
    assert_eq!(v, json!({"type": "object", "properties": {"a": {}}}));
}

#[test]
fn dependent_required_goes_into_the_description() {
    let (v, _) = apply(
        dependent_required_is_documented,
        json!({"description": "A card.", "dependentRequired": {"number": ["expiry", "cvc"]}}),
    );
    assert_eq!(
        v,
        json!({"description": "A card.\n\nWith `number`, the API also requires `expiry`, `cvc`."})
    );
}

#[test]
fn not_is_left_out_with_a_warning_but_a_false_schema_stays() {
    let (v, w) = apply(
        conditional_and_dynamic_keywords_are_left_out,
        json!({"type": "string", "not": {"enum": ["x"]}}),
    );
    assert_eq!(v, json!({"type": "string"}));
    assert!(w[0].contains("`not`"), "{w:?}");
    let (v, w) = apply(
        conditional_and_dynamic_keywords_are_left_out,
        json!({"not": {}}),
    );
    assert_eq!(v, json!({"not": {}}));
    assert!(w.is_empty());
}

#[test]
fn an_untyped_enum_of_strings_is_a_string() {
    let (v, _) = apply(untyped_string_enum_is_a_string, json!({"enum": ["a", "b"]}));
    assert_eq!(v, json!({"type": "string", "enum": ["a", "b"]}));
    let (v, _) = apply(untyped_string_enum_is_a_string, json!({"enum": ["a", 1]}));
    assert_eq!(v, json!({"enum": ["a", 1]}));
}

#[test]
fn a_schema_in_a_schema_position_is_fixed_whatever_it_looks_like() {
    let (v, _) = schema(json!({"type": "array", "items": {"enum": ["a", null]}}));
    assert_eq!(
        v["items"],
        json!({"type": "string", "enum": ["a"], "nullable": true})
    );
}

#[test]
fn a_schema_ref_to_another_kind_of_component_reads_the_schema_it_carries() {
    let mut doc = json!({
        "paths": {"/a": {"post": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/responses/Status"}}}},
                "201": {"$ref": "#/components/responses/Status"},
                "202": {"content": {"application/json": {"schema": {"$ref": "#/components/responses/Empty"}}}}
            }
        }}},
        "components": {
            "schemas": {"Id": {"$ref": "#/components/parameters/Id"}},
            "parameters": {"Id": {"name": "id", "in": "query", "schema": {"type": "integer"}}},
            "responses": {
                "Status": {"$ref": "#/components/responses/Real"},
                "Real": {"description": "", "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Message"}}
                }},
                "Empty": {"description": "Summary"}
            }
        }
    });
    let mut warnings = Vec::new();
    walk(&mut doc, "", &mut warnings);
    let responses = &doc["paths"]["/a"]["post"]["responses"];
    // Followed through `Status` to `Real`, whose JSON body is preferred to its text one.
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Message"})
    );
    // Any JSON value when the response carries no schema.
    assert_eq!(
        responses["202"]["content"]["application/json"]["schema"],
        json!({})
    );
    assert_eq!(
        doc["components"]["schemas"]["Id"],
        json!({"type": "integer"})
    );
    // References in their own positions are left alone.
    assert_eq!(
        responses["201"],
        json!({"$ref": "#/components/responses/Status"})
    );
    assert_eq!(
        doc["paths"]["/a"]["post"]["parameters"][0],
        json!({"$ref": "#/components/parameters/Id"})
    );
    let messages: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages.contains(&(
        "/paths/~1a/post/responses/200/content/application~1json/schema/$ref",
        "the schema `$ref` `#/components/responses/Status` points at a response; read as its `application/json` schema"
    )), "{messages:?}");
    assert!(messages.contains(&(
        "/paths/~1a/post/responses/202/content/application~1json/schema/$ref",
        "the schema `$ref` `#/components/responses/Empty` points at a response; it has no schema, so any JSON value is read"
    )), "{messages:?}");
    assert!(messages.contains(&(
        "/components/schemas/Id/$ref",
        "the schema `$ref` `#/components/parameters/Id` points at a parameter; read as its `schema`"
    )), "{messages:?}");
}
