//! OpenAPI 3.1 constructs end to end (`specs/openapi31.json`, generated into
//! `client-tests/generated/openapi31`): every example the spec gives round-trips through the
//! generated types, and each construct crosses the wire in a request and back in a response.

use client_tests::{Reply, TestServer};
use openapi31_client::types::{
    Circle, CircleShape, Place, PlaceElevation, PlaceKind, PlaceUnits, Point, Polygon, Route,
    RouteLegsItem, RouteLegsItemElement2, Shape,
};
use openapi31_client::{Base64, Client};
use serde_json::Value;

/// The spec, as the generator read it.
fn spec() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../specs/openapi31.json"
    ))
    .expect("specs/openapi31.json");
    serde_json::from_str(&text).expect("JSON")
}

/// The `examples` of component schema `name`.
fn examples(name: &str) -> Vec<Value> {
    let spec = spec();
    let examples = spec["components"]["schemas"][name]["examples"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has examples"))
        .clone();
    assert!(!examples.is_empty(), "{name} has examples");
    examples
}

/// Reads `example` as `T` and writes it back: the same JSON.
fn round_trips<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str) {
    for example in examples(name) {
        let value: T = serde_json::from_value(example.clone())
            .unwrap_or_else(|e| panic!("{name}: {e}\n{example}"));
        let back = serde_json::to_value(&value).expect("serializes");
        assert_eq!(back, example, "{name} round-trips");
    }
}

#[test]
fn every_example_of_the_spec_round_trips() {
    round_trips::<Point>("Point");
    round_trips::<Place>("Place");
    round_trips::<Shape>("Shape");
    round_trips::<Route>("Route");
}

#[test]
fn examples_decode_to_precise_types() {
    let places: Vec<Place> = examples("Place")
        .into_iter()
        .map(|e| serde_json::from_value(e).expect("a place"))
        .collect();
    let berlin = &places[0];
    // prefixItems: a tuple.
    assert_eq!(berlin.at, Point(13.4, 52.5));
    // `$defs`: an enum reached by `$ref`.
    assert_eq!(berlin.kind, PlaceKind::City);
    // `type: [integer, null]`, optional: three states.
    assert_eq!(berlin.population, Some(Some(3_850_000)));
    assert_eq!(places[1].population, Some(None));
    // `type: [number, string]`: one variant per type.
    assert_eq!(berlin.elevation, Some(PlaceElevation::Number(34.0)));
    assert_eq!(
        places[1].elevation,
        Some(PlaceElevation::String("below sea level".into()))
    );
    // `enum` with `null`: an optional enum.
    assert_eq!(berlin.units, Some(Some(PlaceUnits::Metric)));
    assert_eq!(places[1].units, Some(None));
    // `contentEncoding: base64`: the bytes.
    let photo = berlin.photo.as_ref().expect("a photo");
    assert_eq!(photo.0, b"\x89PNG\r\n\x1a\n");
    // `unevaluatedProperties` with a schema: a map of it.
    let tags = berlin.tags.as_ref().expect("tags");
    assert_eq!(tags.get("country").map(String::as_str), Some("DE"));
    // `true`: any JSON value.
    assert_eq!(berlin.metadata.as_ref().expect("metadata")["year"], 2024);

    // `const`-tagged `oneOf`: the tag picks the variant.
    let shapes: Vec<Shape> = examples("Shape")
        .into_iter()
        .map(|e| serde_json::from_value(e).expect("a shape"))
        .collect();
    assert!(matches!(&shapes[0], Shape::Circle(c) if c.radius == 2.5));
    assert!(matches!(&shapes[1], Shape::Polygon(p) if p.corners.len() == 3));

    // A tuple with an enum and a nullable element.
    let route: Route = serde_json::from_value(examples("Route")[0].clone()).expect("a route");
    assert_eq!(
        route.legs[1],
        RouteLegsItem(Point(13.5, 52.5), RouteLegsItemElement2::Ride, None)
    );
}

#[test]
fn a_const_refuses_any_other_value() {
    assert_eq!(CircleShape::VALUE, "circle");
    assert_eq!(serde_json::to_value(CircleShape).expect("writes"), "circle");
    let wrong = serde_json::from_value::<Circle>(
        serde_json::json!({"shape": "square", "center": [0.0, 0.0], "radius": 1.0}),
    );
    let error = wrong.expect_err("`square` is not `circle`");
    assert!(error.to_string().contains("circle"), "{error}");
    // Through the oneOf, an unknown tag is kept rather than refused.
    let other: Shape =
        serde_json::from_value(serde_json::json!({"shape": "square"})).expect("kept");
    assert!(matches!(other, Shape::Other(_)));
}

#[test]
fn a_tuple_refuses_the_wrong_length() {
    assert!(serde_json::from_value::<Point>(serde_json::json!([1.0])).is_err());
    assert!(serde_json::from_value::<Point>(serde_json::json!([1.0, 2.0, 3.0])).is_err());
}

#[tokio::test]
async fn a_const_tagged_shape_is_sent_and_read_back() {
    let answer = r#"{"shape":"polygon","corners":[[0.0,0.0],[2.0,0.0],[0.0,2.0]]}"#;
    let server = TestServer::start(vec![Reply::json(201, answer)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .build()
        .expect("client");
    let circle = Circle::new(Point(1.0, 2.0), 3.0);
    let back = client
        .create_shape(Shape::Circle(circle))
        .await
        .expect("answered");
    let request = server.requests().pop().expect("a request");
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON");
    // `new` set the constant tag; the tuple went out as an array.
    assert_eq!(
        sent,
        serde_json::json!({"shape": "circle", "center": [1.0, 2.0], "radius": 3.0})
    );
    match back {
        Shape::Polygon(Polygon { corners, .. }) => assert_eq!(corners[1], Point(2.0, 0.0)),
        other => panic!("a polygon, not {other:?}"),
    }
}

#[tokio::test]
async fn tuples_nulls_and_enums_cross_the_wire() {
    let answer = r#"{"legs":[[[1.0,2.0],"walk",null],[[3.0,4.0],"skate",7]],"note":null}"#;
    let server = TestServer::start(vec![Reply::json(200, answer)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .build()
        .expect("client");
    let mut route = Route::new(vec![RouteLegsItem(
        Point(1.0, 2.0),
        RouteLegsItemElement2::Walk,
        Some(12),
    )]);
    route.note = Some(None);
    let back = client.plan_route(route).await.expect("answered");
    let request = server.requests().pop().expect("a request");
    assert_eq!(
        String::from_utf8(request.body).expect("UTF-8"),
        r#"{"legs":[[[1.0,2.0],"walk",12]],"note":null}"#
    );
    assert_eq!(back.legs[0].2, None);
    // A value the enum does not list is kept.
    assert_eq!(
        back.legs[1].1,
        RouteLegsItemElement2::Unknown("skate".into())
    );
    assert_eq!(back.note, Some(None));
}

#[tokio::test]
async fn a_place_reads_every_construct_and_sends_the_enum_query() {
    let answer = serde_json::to_string(&examples("Place")[0]).expect("JSON");
    let server = TestServer::start(vec![Reply::json(200, &answer)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .build()
        .expect("client");
    let place = client
        .get_place("ber")
        .units(PlaceUnits::Imperial)
        .await
        .expect("answered");
    let request = server.requests().pop().expect("a request");
    assert_eq!(request.path(), "/places/ber");
    assert_eq!(request.query(), "units=imperial");
    assert_eq!(place.name, "Berlin");
    assert_eq!(place.photo, Some(Base64(b"\x89PNG\r\n\x1a\n".to_vec())));
}

#[tokio::test]
async fn a_path_item_from_components_is_an_operation() {
    let answer = format!(
        "[{}]",
        serde_json::to_string(&examples("Place")[1]).expect("JSON")
    );
    let server = TestServer::start(vec![Reply::json(200, &answer)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .build()
        .expect("client");
    let places = client.list_places().await.expect("answered");
    assert_eq!(places[0].kind, PlaceKind::Landmark);
    assert_eq!(
        server.requests().pop().expect("a request").path(),
        "/places"
    );
}
