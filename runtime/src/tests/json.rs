//! Unit tests of `json.rs`, kept apart so that the module ships as it stands.

use crate::json::json_object;

/// Fields named like the macro's own locals, one of each kind.
#[derive(Debug, PartialEq)]
struct Sample {
    access: Option<String>,
    key: Option<i64>,
    id: String,
}

json_object!(Sample {
    access = "access" optional,
    key = "the-key" nullable,
    id = "id" required,
});

/// Types named like the impls' own generics and visitor.
#[derive(Debug, PartialEq)]
struct Visitor {
    a: Option<A>,
}

#[derive(Debug, PartialEq)]
struct A {
    n: i64,
}

json_object!(Visitor { a = "a" optional });
json_object!(A { n = "n" required });

#[test]
fn json_objects_may_be_named_like_the_impls_generics() {
    let read: Visitor = serde_json::from_str(r#"{"a":{"n":1}}"#).expect("decodes");
    assert_eq!(
        read,
        Visitor {
            a: Some(A { n: 1 })
        }
    );
    assert_eq!(
        serde_json::to_string(&read).expect("encodes"),
        r#"{"a":{"n":1}}"#
    );
}

#[test]
fn json_objects_read_and_write_by_kind() {
    let read = |text: &str| serde_json::from_str::<Sample>(text).map_err(|e| e.to_string());
    let full = Sample {
        access: Some("a".into()),
        key: Some(2),
        id: "x".into(),
    };
    assert_eq!(
        read(r#"{"access":"a","the-key":2,"id":"y","id":"x","other":[1]}"#),
        Ok(full)
    );
    let sparse = read(r#"{"id":"x","access":null}"#).expect("decodes");
    assert_eq!((sparse.access.as_deref(), sparse.key), (None, None));
    // An optional field is left out, a nullable one written as null.
    assert_eq!(
        serde_json::to_string(&sparse).expect("encodes"),
        r#"{"the-key":null,"id":"x"}"#
    );
    let missing = read(r#"{"access":"a"}"#).expect_err("id is required");
    assert!(missing.contains("missing field `id`"), "{missing}");
    let wrong = read("[]").expect_err("not an object");
    assert!(wrong.contains("a JSON object (Sample)"), "{wrong}");
}

/// Every field an `Option`, named like the trait method's own parameters.
#[derive(Debug, Default, PartialEq)]
struct Sparse {
    key: Option<String>,
    access: Option<i64>,
    value: Option<Vec<Sparse>>,
}

json_object!(in_place Sparse {
    key = "key" optional,
    access = "the-access" nullable,
    value = "value" optional,
});

#[test]
fn json_objects_without_required_fields_read_in_place() {
    let read = |text: &str| serde_json::from_str::<Sparse>(text).map_err(|e| e.to_string());
    assert_eq!(
        read(r#"{"key":"a","key":"b","the-access":null,"other":{"x":[1]},"value":[{}]}"#),
        Ok(Sparse {
            key: Some("b".into()),
            access: None,
            value: Some(vec![Sparse::default()]),
        })
    );
    assert_eq!(read("{}"), Ok(Sparse::default()));
    // An optional field is left out, a nullable one written as null.
    assert_eq!(
        serde_json::to_string(&Sparse::default()).expect("encodes"),
        r#"{"the-access":null}"#
    );
    let wrong = read(r#"{"value":[1]}"#).expect_err("not an object");
    assert!(wrong.contains("a JSON object (Sparse)"), "{wrong}");
    let wrong = read(r#"{"the-access":"x"}"#).expect_err("not a number");
    assert!(wrong.contains("invalid type: string"), "{wrong}");
}

/// A field that cannot be written.
#[derive(Debug)]
struct Unwritable;

impl serde::Serialize for Unwritable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot be written"))
    }
}

impl<'de> serde::Deserialize<'de> for Unwritable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Unwritable)
    }
}

#[derive(Debug)]
struct Broken {
    a: i64,
    b: Unwritable,
    c: Option<i64>,
}

json_object!(Broken {
    a = "a" required,
    b = "b" required,
    c = "c" optional,
});

#[test]
fn writing_stops_at_the_first_error() {
    let mut out = Vec::new();
    let broken = Broken {
        a: 1,
        b: Unwritable,
        c: Some(3),
    };
    let written = serde::Serialize::serialize(&broken, &mut serde_json::Serializer::new(&mut out));
    let error = written.expect_err("b cannot be written").to_string();
    assert!(error.contains("cannot be written"), "{error}");
    // Nothing after the failed field is written.
    assert_eq!(String::from_utf8_lossy(&out), r#"{"a":1,"b":"#);
}
