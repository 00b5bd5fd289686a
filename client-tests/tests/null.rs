//! Three-state fields (`specs/servers.json`'s `ThingPatch`): an optional nullable field is
//! `Option<Option<T>>` and goes on the wire left out, as `null`, or with a value; an optional
//! field that is not nullable is left out or sent.

use client_tests::{Reply, TestServer};
use servers_client::types::ThingPatch;
use servers_client::Client;

async fn sent(patch: ThingPatch, answer: &str) -> (String, ThingPatch) {
    let server = TestServer::start(vec![Reply::json(200, answer)]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .build()
        .expect("client");
    let back = client.update_thing("t1", patch).await.expect("answered");
    let request = server.requests().pop().expect("a request");
    (String::from_utf8(request.body).expect("UTF-8"), back)
}

#[tokio::test]
async fn a_field_left_out_is_not_sent() {
    let (body, back) = sent(ThingPatch::default(), "{}").await;
    assert_eq!(body, "{}");
    assert_eq!(back.nickname, None);
}

#[tokio::test]
async fn a_nullable_field_set_to_none_is_sent_as_null() {
    let mut patch = ThingPatch::default();
    patch.nickname = Some(None);
    let (body, back) = sent(patch, r#"{"nickname":null}"#).await;
    assert_eq!(body, r#"{"nickname":null}"#);
    // And `null` read back is `Some(None)`, not `None`.
    assert_eq!(back.nickname, Some(None));
}

#[tokio::test]
async fn a_nullable_field_with_a_value_is_sent_with_it() {
    let mut patch = ThingPatch::default();
    patch.nickname = Some(Some("Bob".into()));
    patch.size = Some(Some(3));
    let (body, back) = sent(patch, r#"{"nickname":"Bob","size":3}"#).await;
    assert_eq!(body, r#"{"nickname":"Bob","size":3}"#);
    assert_eq!(back.nickname, Some(Some("Bob".into())));
    assert_eq!(back.size, Some(Some(3)));
}

#[tokio::test]
async fn an_optional_field_that_is_not_nullable_is_left_out_or_sent() {
    let mut patch = ThingPatch::default();
    patch.name = Some("thing".into());
    let (body, back) = sent(patch, r#"{"name":"thing"}"#).await;
    assert_eq!(body, r#"{"name":"thing"}"#);
    assert_eq!(back.name.as_deref(), Some("thing"));
}
