//! Unit tests of `error.rs`, kept apart so that the module ships as it stands.

use crate::error::*;

#[test]
fn urls_are_shown_without_query_values_or_passwords() {
    assert_eq!(
        redact_str("http://127.0.0.1:9/both?api_key=s3cret&page=2"),
        "http://127.0.0.1:9/both?api_key=REDACTED&page=REDACTED"
    );
    assert_eq!(
        redact_str("https://me:hunter2@api.example.com/v2/x"),
        "https://me:REDACTED@api.example.com/v2/x"
    );
    assert_eq!(
        redact_str("https://api.example.com/v2/x"),
        "https://api.example.com/v2/x"
    );
    assert_eq!(redact_str("/v2/x?token=abc"), "/v2/x?REDACTED");
}

#[test]
fn error_bodies_are_summarized_when_they_say_what_went_wrong() {
    let coded = br#"{"code":300,"message":"Invalid token","errors":[{"field":"a","message":"b"}]}"#;
    assert_eq!(
        summary(coded).as_deref(),
        Some(", code 300: Invalid token; a: b")
    );
    let nested = br#"{"error":{"code":"resource_missing","message":"No such customer"}}"#;
    assert_eq!(
        summary(nested).as_deref(),
        Some(", code resource_missing: No such customer")
    );
    assert_eq!(
        summary(br#"{"message":"Not Found"}"#).as_deref(),
        Some(": Not Found")
    );
    assert_eq!(summary(b"Bad Gateway"), None);
    assert_eq!(summary(br#"{"detail":"x"}"#), None);
}
