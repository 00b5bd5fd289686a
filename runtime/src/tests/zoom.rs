//! Unit tests of `zoom.rs`, kept apart so that the module ships as it stands.

use crate::error::ApiError;
use crate::zoom::*;

#[test]
fn zoom_error_bodies_decode_and_others_do_not() {
    let error = |body: &str| ApiError {
        operation: "op",
        status: reqwest::StatusCode::BAD_REQUEST,
        headers: reqwest::header::HeaderMap::new(),
        body: body.as_bytes().to_vec(),
        documented: None,
        retry_after: None,
        attempts: 1,
    };
    let zoom = error(
        r#"{"code": 300, "message": "Invalid token", "errors": [{"field": "a", "message": "b"}]}"#,
    );
    assert_eq!(zoom.code(), Some(300));
    assert_eq!(zoom.message().as_deref(), Some("Invalid token"));
    assert_eq!(zoom.error_body().map(|b| b.errors.len()), Some(1));
    assert_eq!(error(r#"{"other": 1}"#).error_body(), None);
    assert_eq!(error("Bad Gateway").code(), None);
}

#[test]
fn rate_limit_headers_are_read() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-ratelimit-remaining",
        reqwest::header::HeaderValue::from_static(" 29 "),
    );
    headers.insert(
        "x-ratelimit-category",
        reqwest::header::HeaderValue::from_static("Light"),
    );
    let rate = RateLimit::from_headers(&headers);
    assert_eq!(
        (rate.remaining, rate.category.as_deref(), rate.limit),
        (Some(29), Some("Light"), None)
    );
}
