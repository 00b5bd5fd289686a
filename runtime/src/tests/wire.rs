//! Unit tests of `wire.rs`, kept apart so that the module ships as it stands.

use crate::wire::*;

#[test]
fn object_parameters_become_pairs() {
    let value = serde_json::json!({
        "owner": "me",
        "size": 3,
        "gone": null,
        "nested": {"a": 1, "b": null},
        "ids": [7, 8],
        "ranges": [{"from": 1}]
    });
    let pairs = |name| {
        let mut pairs: Vec<String> = object_pairs(name, &value)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.sort();
        pairs
    };
    assert_eq!(
        pairs(Some("filter")),
        [
            "filter[ids][0]=7",
            "filter[ids][1]=8",
            "filter[nested][a]=1",
            "filter[owner]=me",
            "filter[ranges][0][from]=1",
            "filter[size]=3"
        ]
    );
    assert_eq!(
        pairs(None),
        [
            "ids=[7,8]",
            "nested={\"a\":1,\"b\":null}",
            "owner=me",
            "ranges=[{\"from\":1}]",
            "size=3"
        ]
    );
}

#[test]
fn base64_round_trips() {
    for bytes in [&b""[..], b"h", b"hi", b"hi!", b"\x00\xff\x10binary"] {
        let json = serde_json::to_string(&Base64(bytes.to_vec())).expect("serializes");
        let back: Base64 = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back.0, bytes);
    }
    assert_eq!(decode_base64("aGk").as_deref(), Some(&b"hi"[..]));
    assert_eq!(decode_base64("-_8=").as_deref(), Some(&[0xfb, 0xff][..]));
    assert!(serde_json::from_str::<Base64>("\"not base64!\"").is_err());
    assert_eq!(scalar_text(&Base64(b"hi".to_vec())), "aGk=");
    assert_eq!(scalar_text(&3), "3");
}

#[test]
fn deep_objects_nest_with_brackets() {
    let body = serde_json::json!({
        "line_items": [{"price": "p1", "quantity": 2}, {"price": "p2", "adjustable_quantity": {"enabled": true}}],
        "metadata": {"order": "42", "gone": null},
        "expand": ["a", "b"],
        "mode": "payment"
    });
    let styles = [
        ("line_items", FormStyle::DeepObject),
        ("metadata", FormStyle::DeepObject),
        ("expand", FormStyle::DeepObject),
    ];
    let Ok(RequestBody::Form(text)) = RequestBody::form(&body, &styles) else {
        panic!("a form")
    };
    let decoded: Vec<(String, String)> = reqwest::Url::parse(&format!("http://x/?{text}"))
        .map(|u| {
            u.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let mut shown: Vec<String> = decoded.iter().map(|(k, v)| format!("{k}={v}")).collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            "expand[0]=a",
            "expand[1]=b",
            "line_items[0][price]=p1",
            "line_items[0][quantity]=2",
            "line_items[1][adjustable_quantity][enabled]=true",
            "line_items[1][price]=p2",
            "metadata[order]=42",
            "mode=payment"
        ]
    );
}

#[test]
fn form_fields_follow_their_encoding() {
    let body = serde_json::json!({"a": [1, 2], "b": ["x", "y"], "c": {"k": "v"}, "d": [3, 4]});
    let styles = [
        ("a", FormStyle::Comma),
        ("b", FormStyle::Pipe),
        ("c", FormStyle::DeepObject),
    ];
    let Ok(RequestBody::Form(text)) = RequestBody::form(&body, &styles) else {
        panic!("a form")
    };
    let mut pairs: Vec<&str> = text.split('&').collect();
    pairs.sort();
    assert_eq!(pairs, ["a=1%2C2", "b=x%7Cy", "c%5Bk%5D=v", "d=3", "d=4"]);
}

#[test]
fn cookie_values_cannot_break_the_header() {
    assert_eq!(cookie_value("abc-123"), "abc-123");
    assert_eq!(cookie_value("a; b=c, \"d\"%"), "a%3B%20b=c%2C%20%22d%22%25");
}

#[test]
fn path_segments_stay_one_segment() {
    assert_eq!(
        path_segment("p", "a/b?c#d e").ok().as_deref(),
        Some("a%2Fb%3Fc%23d%20e")
    );
    assert!(path_segment("p", "..").is_err());
}
