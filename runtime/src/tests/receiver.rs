//! Unit tests of `receiver.rs`, kept apart so that the module ships as it stands.

use crate::receiver::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// Computed independently with Python's `hmac` module:
// hmac.new(SECRET, b"v0:" + TIMESTAMP + b":" + BODY, hashlib.sha256).hexdigest()
const SECRET: &str = "a1b2c3d4e5-secret";
const TIMESTAMP: &str = "1700000000";
const BODY: &str =
    r#"{"event":"meeting.started","event_ts":1700000000000,"payload":{"account_id":"abc"}}"#;
const SIGNATURE: &str = "v0=d119c7ee3abc857551aabf2b0ff6900c0bdb333e9088440f424965d5909f5397";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn the_known_signature_verifies() {
    let v = Verifier::new(SECRET);
    assert!(v
        .verify(
            Some(TIMESTAMP),
            Some(SIGNATURE),
            BODY.as_bytes(),
            at(1_700_000_100)
        )
        .is_ok());
    assert!(v
        .verify(
            Some(TIMESTAMP),
            Some(&SIGNATURE.to_uppercase().replace("V0=", "v0=")),
            BODY.as_bytes(),
            at(1_700_000_000)
        )
        .is_ok());
}

#[test]
fn the_url_validation_example() {
    // hmac.new(SECRET, b"qgg8vlvZRS6UYooatFL8Aw", hashlib.sha256).hexdigest()
    let answer = Verifier::new(SECRET).url_validation_response("qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(
        answer.encrypted_token,
        "eb18f076945e3877b72785554be8ea12d151330de4c2b8d5640eccbb6cae5451"
    );
    let response = answer.into_response();
    let json: serde_json::Value = serde_json::from_slice(response.body()).expect("json");
    assert_eq!(json["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(
        json["encryptedToken"],
        "eb18f076945e3877b72785554be8ea12d151330de4c2b8d5640eccbb6cae5451"
    );
    let request =
        serde_json::json!({"event": "endpoint.url_validation", "payload": {"plainToken": "t"}});
    assert_eq!(url_validation_token(&request), Some("t"));
    assert_eq!(
        url_validation_token(&serde_json::json!({"event": "x", "payload": {"plainToken": "t"}})),
        None
    );
}

#[test]
fn each_way_to_fail() {
    let v = Verifier::new(SECRET);
    let now = at(1_700_000_000);
    let body = BODY.as_bytes();
    assert!(matches!(
        v.verify(None, Some(SIGNATURE), body, now),
        Err(WebhookError::MissingHeader(TIMESTAMP_HEADER))
    ));
    assert!(matches!(
        v.verify(Some(TIMESTAMP), None, body, now),
        Err(WebhookError::MissingHeader(SIGNATURE_HEADER))
    ));
    assert!(matches!(
        v.verify(Some("soon"), Some(SIGNATURE), body, now),
        Err(WebhookError::BadTimestamp(_))
    ));
    assert!(matches!(
        v.verify(Some(TIMESTAMP), Some(SIGNATURE), body, at(1_700_000_301)),
        Err(WebhookError::Stale { off_by_secs: 301 })
    ));
    assert!(matches!(
        v.verify(Some(TIMESTAMP), Some(SIGNATURE), body, at(1_699_999_699)),
        Err(WebhookError::Stale { .. })
    ));
    let tampered = BODY.replace("abc", "abd");
    assert!(matches!(
        v.verify(Some(TIMESTAMP), Some(SIGNATURE), tampered.as_bytes(), now),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        v.verify(Some("1700000001"), Some(SIGNATURE), body, now),
        Err(WebhookError::BadSignature)
    ));
    for bad in ["d119c7ee", "v1=d119", "v0=zz", "v0=abc"] {
        assert!(
            matches!(
                v.verify(Some(TIMESTAMP), Some(bad), body, now),
                Err(WebhookError::BadSignature)
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        Verifier::new("other").verify(Some(TIMESTAMP), Some(SIGNATURE), body, now),
        Err(WebhookError::BadSignature)
    ));
    // A wider tolerance accepts an older request.
    let wide = Verifier::new(SECRET).tolerance(Duration::from_secs(3600));
    assert!(wide
        .verify(Some(TIMESTAMP), Some(SIGNATURE), body, at(1_700_001_000))
        .is_ok());
    assert!(!format!("{v:?}").contains(SECRET));
}

#[test]
fn the_head_is_checked_before_the_body() {
    let v = Verifier::new(SECRET).max_body(100);
    let now = at(1_700_000_000);
    let mut headers = http::HeaderMap::new();
    assert!(matches!(
        v.check_head(&headers, now),
        Err(WebhookError::MissingHeader(TIMESTAMP_HEADER))
    ));
    headers.insert(TIMESTAMP_HEADER, http::HeaderValue::from_static(TIMESTAMP));
    assert!(matches!(
        v.check_head(&headers, now),
        Err(WebhookError::MissingHeader(SIGNATURE_HEADER))
    ));
    headers.insert(SIGNATURE_HEADER, http::HeaderValue::from_static("v0=00"));
    assert!(v.check_head(&headers, now).is_ok());
    assert!(matches!(
        v.check_head(&headers, at(1_700_001_000)),
        Err(WebhookError::Stale { .. })
    ));
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from_static("100"),
    );
    assert!(v.check_head(&headers, now).is_ok());
    headers.insert(
        http::header::CONTENT_LENGTH,
        http::HeaderValue::from_static("101"),
    );
    let too_large = v.check_head(&headers, now);
    assert!(matches!(
        too_large,
        Err(WebhookError::TooLarge { limit: 100 })
    ));
    assert_eq!(
        too_large.err().map(|e| e.status()),
        Some(http::StatusCode::PAYLOAD_TOO_LARGE)
    );
    // A body read past the limit is refused by the full check as well.
    assert!(matches!(
        Verifier::new(SECRET).max_body(10).verify(
            Some(TIMESTAMP),
            Some(SIGNATURE),
            BODY.as_bytes(),
            now
        ),
        Err(WebhookError::TooLarge { limit: 10 })
    ));
    assert_eq!(Verifier::new(SECRET).body_limit(), DEFAULT_MAX_BODY);
}

#[test]
fn headers_are_read_from_a_header_map() {
    let mut headers = http::HeaderMap::new();
    headers.insert(TIMESTAMP_HEADER, http::HeaderValue::from_static(TIMESTAMP));
    headers.insert(SIGNATURE_HEADER, http::HeaderValue::from_static(SIGNATURE));
    let v = Verifier::new(SECRET);
    assert!(v
        .verify_headers(&headers, BODY.as_bytes(), at(1_700_000_000))
        .is_ok());
    headers.remove(SIGNATURE_HEADER);
    assert!(matches!(
        v.verify_headers(&headers, BODY.as_bytes(), at(1_700_000_000)),
        Err(WebhookError::MissingHeader(_))
    ));
}
