//! Unit tests of `client.rs`, kept apart so that the module ships as it stands.

use crate::client::*;
use crate::error::Error;

#[test]
fn next_pages_stay_on_the_clients_host() {
    let base = "https://api.example.com/v2";
    let ok = |next: &str| next_page_url(base, next).map(|u| u.to_string());
    assert_eq!(
        ok("https://api.example.com/v2/users?page=2")
            .ok()
            .as_deref(),
        Some("https://api.example.com/v2/users?page=2")
    );
    assert_eq!(
        ok("/v2/users?skip=10").ok().as_deref(),
        Some("https://api.example.com/v2/users?skip=10")
    );
    assert_eq!(
        ok("https://api.example.com:443/x").ok().as_deref(),
        Some("https://api.example.com/x")
    );
    for elsewhere in [
        "https://evil.example.net/v2/users",
        "http://api.example.com/v2/users",
        "https://api.example.com:8443/x",
    ] {
        assert!(
            matches!(next_page_url(base, elsewhere), Err(Error::Pagination(_))),
            "{elsewhere}"
        );
    }
}
