//! Unit tests of `auth.rs`, kept apart so that the module ships as it stands.

use crate::auth::*;

static BEARER: Scheme = Scheme {
    name: "bearer",
    kind: SchemeKind::Bearer,
};
static KEY: Scheme = Scheme {
    name: "key",
    kind: SchemeKind::ApiKey(KeyLocation::Query, "api_key"),
};
static BASIC: Scheme = Scheme {
    name: "basic",
    kind: SchemeKind::Basic,
};

fn names(selected: &[(&'static Scheme, &Credential)]) -> Vec<&'static str> {
    selected.iter().map(|(s, _)| s.name).collect()
}

#[test]
fn base64_matches_rfc_4648() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("user:pa ss", "dXNlcjpwYSBzcw=="),
    ] {
        assert_eq!(base64(plain), encoded);
    }
}

#[test]
fn the_first_fully_configured_alternative_wins() {
    let mut credentials = Credentials::default();
    credentials.set(&KEY, Credential::fixed("k"));
    let security: &[&[&Scheme]] = &[&[&BEARER], &[&KEY], &[&BASIC, &KEY]];
    assert_eq!(names(&credentials.select(security)), ["key"]);
    credentials.set(
        &BASIC,
        Credential::Basic {
            username: "u".into(),
            password: "p".into(),
        },
    );
    let and_first: &[&[&Scheme]] = &[&[&BASIC, &KEY], &[&KEY]];
    assert_eq!(names(&credentials.select(and_first)), ["basic", "key"]);
}

#[test]
fn nothing_is_sent_without_credentials_or_requirements() {
    let mut credentials = Credentials::default();
    assert!(credentials.select(&[&[&BEARER]]).is_empty());
    credentials.set(&BEARER, Credential::fixed("t"));
    assert!(credentials.select(&[]).is_empty());
    // Optional security (`{}` among the alternatives) with nothing matching: anonymous.
    assert!(credentials.select(&[&[&KEY], &[]]).is_empty());
    // An AND requirement half configured: send the half the client has.
    assert_eq!(names(&credentials.select(&[&[&BEARER, &KEY]])), ["bearer"]);
}

#[test]
fn credentials_are_redacted() {
    let shown = format!(
        "{:?}",
        Credential::Basic {
            username: "me".into(),
            password: "hunter2".into()
        }
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(!format!("{:?}", Credential::fixed("secret-token")).contains("secret-token"));
}
