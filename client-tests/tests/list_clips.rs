//! The generated Zoom Clips client against a local server: what goes on the wire, and how every
//! kind of answer is turned into a value or an error.

use client_tests::{Reply, TestServer};
use serde_json::{json, Value};
use std::time::Duration;
use zoom_clips_master::types::{ClipStatus, DateFilterType, ShareScope};
use zoom_clips_master::{Client, Error};

fn client(server: &TestServer) -> Client {
    Client::builder("test-token")
        .base_url(format!("{}/v2", server.url))
        .build()
        .expect("client builds")
}

/// The spec's own example of a schema, assembled from the `example` of every property.
fn example_of(schema: &Value) -> Value {
    if let Some(example) = schema.get("example") {
        if schema.get("type") != Some(&json!("object"))
            && schema.get("type") != Some(&json!("array"))
        {
            return example.clone();
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let props = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            Value::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), example_of(v)))
                    .collect(),
            )
        }
        Some("array") => json!([example_of(&schema["items"])]),
        _ => Value::Null,
    }
}

fn numbers_as_f64(value: Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, numbers_as_f64(v)))
                .collect(),
        ),
        other => other,
    }
}

fn spec_example_response() -> Value {
    let spec: Value = serde_json::from_str(include_str!("../../specs/master.json"))
        .expect("the bundled spec is JSON");
    let schema = &spec["paths"]["/accounts/{accountId}/clips"]["get"]["responses"]["200"]
        ["content"]["application/json"]["schema"];
    example_of(schema)
}

#[tokio::test]
async fn sends_exact_method_path_query_and_auth() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"data":[]}"#)]).await;
    client(&server)
        .list_clips("acc/../x y?z#ü")
        .user_id("me")
        .status(ClipStatus::RecordSuccess)
        .date_filter_type(DateFilterType::CreatedDate)
        .from("2024-03-08T16:00:00Z")
        .page_size(30)
        .next_page_token("tok en&=")
        .send()
        .await
        .expect("request succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.path(), "/v2/accounts/acc%2F..%2Fx%20y%3Fz%23%C3%BC/clips");
    assert_eq!(
        r.query(),
        "user_id=me&date_filter_type=CREATED_DATE&from=2024-03-08T16%3A00%3A00Z&status=RECORD_SUCCESS&page_size=30&next_page_token=tok+en%26%3D"
    );
    assert_eq!(r.header("authorization"), Some("Bearer test-token"));
    assert_eq!(r.header("accept"), Some("application/json"));
    assert!(r
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("zoom-clips-master/")));
}

#[tokio::test]
async fn path_parameters_cannot_escape_their_segment() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = client(&server);
    for bad in ["", ".", ".."] {
        let err = client.list_clips(bad).send().await.expect_err("refused");
        assert!(
            matches!(&err, Error::InvalidRequest { parameter, .. } if parameter == "accountId"),
            "{err}"
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing may be sent for a refused path parameter"
    );
    // A dot inside a value is harmless and kept.
    client.list_clips("a.b").send().await.expect("sent");
    assert_eq!(server.requests()[0].path(), "/v2/accounts/a.b/clips");
}

#[tokio::test]
async fn decodes_the_spec_example_payload() {
    let example = spec_example_response();
    let server = TestServer::start(vec![Reply::json(200, &example.to_string())]).await;
    let response = client(&server).list_clips("acc").await.expect("decodes");
    let clip = &response.data.as_ref().expect("data")[0];
    assert_eq!(
        clip.clip_id.as_deref(),
        Some("A2RldhYyU08zeDNIeFJJVzBOcHFRVlZQWXlRAQ")
    );
    assert_eq!(clip.status, Some(ClipStatus::RecordSuccess));
    assert_eq!(clip.file_size, Some(639_229));
    assert_eq!(clip.duration, Some(6000.0));
    let settings = clip.share_link_settings.as_ref().expect("settings");
    assert_eq!(settings.share_scope, Some(ShareScope::Anyone));
    assert_eq!(settings.enable_passcode, Some(true));
    assert_eq!(
        response.next_page_token.as_deref(),
        Some("R4aF9Oj0fVM2hhezJTEmSKaBSkfesDwGy42")
    );
    // Everything the example has survives a round trip (numbers compared by value: `number`
    // fields are f64, so 6000 comes back as 6000.0).
    let back = serde_json::to_value(&response).expect("serializes");
    assert_eq!(numbers_as_f64(back), numbers_as_f64(example));
}

#[tokio::test]
async fn misspelled_and_unknown_enum_values_round_trip() {
    let body = json!({"data": [
        {"status": "SOMETHING_NEW", "share_link_settings": {"share_scope": "SAME_ORGANIZATON"}},
        {"share_link_settings": {"share_scope": "EVERYONE_ON_MARS"}},
    ]});
    let server = TestServer::start(vec![Reply::json(200, &body.to_string())]).await;
    let response = client(&server).list_clips("acc").await.expect("decodes");
    let data = response.data.as_ref().expect("data");
    assert_eq!(
        data[0].status,
        Some(ClipStatus::Unknown("SOMETHING_NEW".into()))
    );
    let scope = |i: usize| {
        data[i]
            .share_link_settings
            .as_ref()
            .and_then(|s| s.share_scope.clone())
    };
    assert_eq!(scope(0), Some(ShareScope::SameOrganizaton));
    assert_eq!(ShareScope::SameOrganizaton.as_str(), "SAME_ORGANIZATON");
    assert_eq!(
        scope(1),
        Some(ShareScope::Unknown("EVERYONE_ON_MARS".into()))
    );
    assert_eq!(serde_json::to_value(&response).expect("serializes"), body);
    assert_eq!(
        "SAME_ORGANIZATON".parse::<ShareScope>(),
        Ok(ShareScope::SameOrganizaton)
    );
    assert_eq!(DateFilterType::default(), DateFilterType::ModifiedDate);
}

#[tokio::test]
async fn large_file_sizes_do_not_truncate() {
    let body = json!({"data": [{"file_size": 9_007_199_254_740_000_i64}]});
    let server = TestServer::start(vec![Reply::json(200, &body.to_string())]).await;
    let response = client(&server).list_clips("acc").await.expect("decodes");
    assert_eq!(
        response.data.expect("data")[0].file_size,
        Some(9_007_199_254_740_000)
    );
}

#[tokio::test]
async fn zoom_error_body_and_documented_meaning() {
    let body = r#"{"code":300,"message":"Invalid next_page_token","errors":[{"field":"next_page_token","message":"expired"}]}"#;
    let server =
        TestServer::start(vec![Reply::json(400, body).header("x-zm-trackingid", "abc")]).await;
    let err = client(&server).list_clips("acc").await.expect_err("400");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code(), Some(300));
    assert_eq!(api.message().as_deref(), Some("Invalid next_page_token"));
    let body = api.error_body().expect("decoded");
    assert_eq!(body.errors[0].field.as_deref(), Some("next_page_token"));
    assert_eq!(
        api.documented,
        Some("HTTP Status Code: 400 Bad Request Error Code: 300 Pagination Error")
    );
    assert_eq!(
        api.headers
            .get("x-zm-trackingid")
            .and_then(|v| v.to_str().ok()),
        Some("abc")
    );
    let shown = err.to_string();
    assert!(
        shown.contains("GetUserClips failed with HTTP 400"),
        "{shown}"
    );
    assert!(
        shown.contains("code 300: Invalid next_page_token"),
        "{shown}"
    );
    assert!(shown.contains("Pagination Error"), "{shown}");
}

#[tokio::test]
async fn each_documented_status_carries_its_meaning() {
    for (status, meaning) in [
        (401, "1002 No authenticated"),
        (403, "1003 No permission"),
        (429, "Too Many Requests"),
    ] {
        let server =
            TestServer::start(vec![Reply::json(status, r#"{"code":1,"message":"m"}"#)]).await;
        let err = client(&server)
            .list_clips("acc")
            .await
            .expect_err("error status");
        let Error::Api(api) = err else {
            panic!("expected an API error")
        };
        assert!(
            api.documented.is_some_and(|d| d.contains(meaning)),
            "{status}: {:?}",
            api.documented
        );
    }
    let server = TestServer::start(vec![Reply::json(418, "")]).await;
    let Error::Api(api) = client(&server).list_clips("acc").await.expect_err("418") else {
        panic!()
    };
    assert_eq!(api.documented, None);
}

#[tokio::test]
async fn non_json_error_body_is_kept() {
    let server = TestServer::start(vec![Reply::text(502, "<html>Bad Gateway</html>")]).await;
    let err = client(&server).list_clips("acc").await.expect_err("502");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert!(api.error_body().is_none());
    assert_eq!(api.body_text(), "<html>Bad Gateway</html>");
    assert!(err.to_string().contains("Bad Gateway"));
}

#[tokio::test]
async fn undecodable_success_names_the_json_path() {
    let body = r#"{"data":[{"clip_id":"a"},{"file_size":"big"}]}"#;
    let server =
        TestServer::start(vec![Reply::json(200, body).header("x-zm-trackingid", "t-1")]).await;
    let err = client(&server)
        .list_clips("acc")
        .await
        .expect_err("bad body");
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.path, "data[1].file_size");
    assert_eq!(decode.body, body.as_bytes());
    // The headers stay with the error: a tracking id is what the API's support asks for.
    assert_eq!(
        decode.headers.get("x-zm-trackingid").map(|v| v.as_bytes()),
        Some(&b"t-1"[..])
    );
    assert!(err.to_string().contains("data[1].file_size"), "{err}");

    let server = TestServer::start(vec![Reply::text(200, "not json")]).await;
    let err = client(&server)
        .list_clips("acc")
        .await
        .expect_err("bad body");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn page_size_is_checked_before_sending() {
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = client(&server);
    for (size, expected) in [
        (29, "must be at least 30, got 29"),
        (301, "must be at most 300, got 301"),
    ] {
        let err = client
            .list_clips("acc")
            .page_size(size)
            .send()
            .await
            .expect_err("out of range");
        match err {
            Error::InvalidRequest { parameter, message } => {
                assert_eq!(parameter, "page_size");
                assert_eq!(message, expected);
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(
        server.requests().is_empty(),
        "nothing may be sent for an invalid request"
    );
    client
        .list_clips("acc")
        .page_size(300)
        .send()
        .await
        .expect("300 is allowed");
}

#[tokio::test]
async fn slow_server_times_out() {
    let server =
        TestServer::start(vec![Reply::json(200, "{}").delayed(Duration::from_secs(5))]).await;
    let client = Client::builder("t")
        .base_url(&server.url)
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .expect("client");
    let err = client.list_clips("acc").await.expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error() {
    let server = TestServer::start(vec![Reply::dropped()]).await;
    let err = client(&server)
        .list_clips("acc")
        .await
        .expect_err("dropped");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[test]
fn defaults_and_configuration() {
    assert_eq!(
        zoom_clips_master::DEFAULT_BASE_URL,
        Some("https://api.zoom.us/v2")
    );
    let client = Client::new("secret-token").expect("client");
    assert_eq!(client.base_url(), "https://api.zoom.us/v2");
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("secret-token"),
        "the token leaks into Debug: {shown}"
    );
    let client = Client::builder("t")
        .base_url("http://localhost:1234/v2/")
        .build()
        .expect("client");
    assert_eq!(client.base_url(), "http://localhost:1234/v2");
    for bad in ["not a url", "ftp://x", "http://x/?q=1"] {
        let err = Client::builder("t")
            .base_url(bad)
            .build()
            .expect_err("refused");
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
    }
}

/// The spec's requirement is an AND of an API key in `Authorization` and a bearer token, which
/// also goes in `Authorization`: both values are sent, as two headers (what Prism accepts).
#[tokio::test]
async fn two_schemes_of_one_requirement_in_the_same_header_are_both_sent() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"data":[]}"#)]).await;
    Client::builder("tok-7")
        .openapi_authorization("key-7")
        .base_url(format!("{}/v2", server.url))
        .build()
        .expect("client builds")
        .list_clips("acct")
        .await
        .expect("200");
    let request = &server.requests()[0];
    let sent: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n == "authorization")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(sent.len(), 2, "{:?}", request.headers);
    assert!(sent.contains(&"Bearer tok-7"), "{sent:?}");
    assert!(sent.contains(&"key-7"), "{sent:?}");
}
