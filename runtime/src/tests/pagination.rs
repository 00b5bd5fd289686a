//! Unit tests of `pagination.rs`, kept apart so that the module ships as it stands.

use crate::pagination::*;

#[test]
fn the_next_link_is_found_among_the_others() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::LINK,
        reqwest::header::HeaderValue::from_static(
            "<https://api.example.com/repos?page=1>; rel=\"prev\", <https://api.example.com/repos?page=3>; rel=\"next\", <https://api.example.com/repos?page=9>; rel=\"last\"",
        ),
    );
    assert_eq!(
        next_link(&headers).as_deref(),
        Some("https://api.example.com/repos?page=3")
    );
    headers.insert(
        reqwest::header::LINK,
        reqwest::header::HeaderValue::from_static("</p2>; rel=next"),
    );
    assert_eq!(next_link(&headers).as_deref(), Some("/p2"));
    headers.insert(
        reqwest::header::LINK,
        reqwest::header::HeaderValue::from_static("<https://x/last>; rel=\"last\""),
    );
    assert_eq!(next_link(&headers), None);
}
