//! Credentials on the wire, for every kind of security scheme, against a local server: each
//! operation sends exactly what its `security` requirement asks for, and nothing without
//! credentials. Also the user's own `reqwest::Client`, default headers and hooks.

use client_tests::{token_server, Recorded, Reply, TestServer};
use security_client::{
    reqwest, Attempt, AttemptOutcome, Client, ClientBuilder, Error, Hook, RequestOptions,
    RetryPolicy,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn builder(server: &TestServer) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(&server.url)
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
}

/// Sends one call through `client` and returns what the server saw.
async fn seen<F, Fut>(server: &TestServer, call: F) -> Recorded
where
    F: FnOnce() -> Fut,
    Fut: std::future::IntoFuture,
{
    let before = server.requests().len();
    call().await;
    let requests = server.requests();
    assert_eq!(requests.len(), before + 1, "one request");
    requests[before].clone()
}

fn no_credentials(r: &Recorded) {
    assert_eq!(r.header("authorization"), None, "{r:?}");
    assert_eq!(r.header("x-api-key"), None, "{r:?}");
    assert_eq!(r.header("cookie"), None, "{r:?}");
    assert!(!r.query().contains("api_key"), "{r:?}");
}

#[tokio::test]
async fn without_a_base_url_the_builder_says_so() {
    // The spec names no server.
    assert_eq!(security_client::DEFAULT_BASE_URL, None);
    let err = ClientBuilder::new().build().expect_err("no base URL");
    assert!(
        matches!(&err, Error::Config(m) if m.contains("base_url")),
        "{err}"
    );
    let err = Client::new("token").expect_err("no base URL");
    assert!(
        matches!(&err, Error::Config(m) if m.contains("base_url")),
        "{err}"
    );
}

#[tokio::test]
async fn without_credentials_nothing_is_sent() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"id":"u1"}"#)]).await;
    let client = builder(&server).build().expect("client");
    let r = seen(&server, || client.get_me()).await;
    no_credentials(&r);
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let client = builder(&server).build().expect("client");
    for r in [
        seen(&server, || client.key_or_basic()).await,
        seen(&server, || client.query_and_cookie_keys()).await,
        seen(&server, || client.optional_auth()).await,
    ] {
        no_credentials(&r);
    }
}

#[tokio::test]
async fn bearer_goes_where_the_default_requirement_asks_and_not_to_public_operations() {
    let server = TestServer::start_with(|r, _| {
        if r.path() == "/me" {
            Reply::json(200, r#"{"id":"u1"}"#)
        } else {
            Reply::json(204, "")
        }
    })
    .await;
    let client = builder(&server).bearer_auth("tok").build().expect("client");
    let me = client.get_me().await.expect("200");
    assert_eq!(me.id, "u1");
    let r = &server.requests()[0];
    assert_eq!(r.header("authorization"), Some("Bearer tok"));
    // `security: []`: nothing, though a token is configured.
    let r = seen(&server, || client.get_public()).await;
    no_credentials(&r);
    // Another scheme's operation: the bearer token is not sent there either.
    let r = seen(&server, || client.key_or_basic()).await;
    no_credentials(&r);
}

#[tokio::test]
async fn api_key_in_a_header_and_http_basic_are_alternatives() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let key_only = builder(&server).header_key("k-1").build().expect("client");
    let r = seen(&server, || key_only.key_or_basic()).await;
    assert_eq!(r.header("x-api-key"), Some("k-1"));
    assert_eq!(r.header("authorization"), None);

    let basic_only = builder(&server)
        .basic_auth("aladdin", "open sesame")
        .build()
        .expect("client");
    let r = seen(&server, || basic_only.key_or_basic()).await;
    // RFC 7617's example.
    assert_eq!(
        r.header("authorization"),
        Some("Basic YWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    assert_eq!(r.header("x-api-key"), None);

    // Both configured: the first alternative the spec lists, alone.
    let both = builder(&server)
        .basic_auth("aladdin", "open sesame")
        .header_key("k-1")
        .build()
        .expect("client");
    let r = seen(&server, || both.key_or_basic()).await;
    assert_eq!(r.header("x-api-key"), Some("k-1"));
    assert_eq!(r.header("authorization"), None);
}

#[tokio::test]
async fn query_and_cookie_keys_are_sent_together() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let client = builder(&server)
        .query_key("q k&1")
        .cookie_key("s;1")
        .build()
        .expect("client");
    let r = seen(&server, || client.query_and_cookie_keys().page(2)).await;
    assert_eq!(r.query(), "page=2&api_key=q+k%261");
    assert_eq!(r.header("cookie"), Some("session=s%3B1"));
}

#[tokio::test]
async fn optional_security_sends_a_token_when_there_is_one() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let client = builder(&server).oidc("id-token").build().expect("client");
    let r = seen(&server, || client.optional_auth()).await;
    assert_eq!(r.header("authorization"), Some("Bearer id-token"));
}

#[tokio::test]
async fn client_credentials_fetch_a_token_with_the_spec_scopes_and_reuse_it() {
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(204, "")]).await;
    let client = builder(&api)
        .oauth_client_credentials("my-id", "my-secret")
        .oauth_url(format!("{}/token", oauth.url))
        .build()
        .expect("client");
    client.machine_to_machine().await.expect("first");
    client.machine_to_machine().await.expect("second");
    let tokens = oauth.requests();
    assert_eq!(tokens.len(), 1, "the token is reused");
    let t = &tokens[0];
    assert_eq!((t.method.as_str(), t.path()), ("POST", "/token"));
    assert_eq!(
        t.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&t.body),
        "grant_type=client_credentials&scope=items%3Aread+items%3Awrite"
    );
    // base64("my-id:my-secret")
    assert_eq!(
        t.header("authorization"),
        Some("Basic bXktaWQ6bXktc2VjcmV0")
    );
    assert!(api
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok-0")));

    // Scopes of the user's choosing.
    let oauth = token_server(3600, Duration::ZERO).await;
    let client = builder(&api)
        .oauth_client_credentials("my-id", "my-secret")
        .oauth_url(format!("{}/token", oauth.url))
        .oauth_scopes(["items:write"])
        .build()
        .expect("client");
    client.machine_to_machine().await.expect("sent");
    assert_eq!(
        String::from_utf8_lossy(&oauth.requests()[0].body),
        "grant_type=client_credentials&scope=items%3Awrite"
    );
}

#[tokio::test]
async fn a_401_gets_one_fresh_client_credentials_token() {
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(401, "{}"), Reply::json(204, "")]).await;
    let client = builder(&api)
        .oauth_client_credentials("id", "secret")
        .oauth_url(format!("{}/token", oauth.url))
        .build()
        .expect("client");
    client.machine_to_machine().await.expect("retried");
    let seen: Vec<Option<String>> = api
        .requests()
        .iter()
        .map(|r| r.header("authorization").map(str::to_string))
        .collect();
    assert_eq!(
        seen,
        [
            Some("Bearer tok-0".to_string()),
            Some("Bearer tok-1".to_string())
        ]
    );
}

#[tokio::test]
async fn a_bad_token_url_is_a_config_error() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let err = builder(&server)
        .oauth_client_credentials("id", "secret")
        .oauth_url("not a url")
        .build()
        .expect_err("bad token URL");
    assert!(
        matches!(&err, Error::Config(m) if m.contains("not a url")),
        "{err}"
    );
}

#[tokio::test]
async fn documented_error_bodies_decode_into_their_types() {
    let server = TestServer::start(vec![
        Reply::json(
            404,
            r#"{"title":"Not Found","status":404,"detail":"no user u9"}"#,
        ),
        Reply::json(500, r#"{"reason":"down"}"#),
    ])
    .await;
    let client = builder(&server).bearer_auth("t").build().expect("client");
    let Err(Error::Api(e)) = client.get_me().await else {
        panic!("expected a 404")
    };
    let problem: security_client::types::Problem = e.json().expect("the documented 404 body");
    assert_eq!((problem.title.as_str(), problem.status), ("Not Found", 404));
    assert_eq!(problem.detail.as_deref(), Some("no user u9"));
    assert!(e.body_text().contains("no user u9"), "the raw body stays");
    let Err(Error::Api(e)) = client.get_me().await else {
        panic!("expected a 500")
    };
    let other: security_client::types::GetMeErrorDefault = e.json().expect("the default body");
    assert_eq!(other.reason.as_deref(), Some("down"));
    // A body of another shape is an error to decode, not a panic.
    assert!(e.json::<security_client::types::Problem>().is_err());
}

// ---- Bring your own HTTP client, default headers, hooks ----

#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
}

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        request.headers_mut().insert(
            "traceparent",
            reqwest::header::HeaderValue::from_static("00-abc-def-01"),
        );
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(format!("before {} #{}", attempt.operation, attempt.number));
        }
    }

    fn after_attempt(&self, attempt: &Attempt, outcome: &AttemptOutcome<'_>) {
        let what = match outcome {
            AttemptOutcome::Response { status, .. } => status.as_u16().to_string(),
            AttemptOutcome::Failed { .. } => "failed".to_string(),
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(format!(
                "after {} #{} {what}",
                attempt.operation, attempt.number
            ));
        }
    }
}

#[tokio::test]
async fn own_http_client_default_headers_and_a_hook_that_sees_every_attempt() {
    let server = TestServer::start(vec![
        Reply::json(503, "{}"),
        Reply::dropped(),
        Reply::json(200, r#"{"id":"u1"}"#),
    ])
    .await;
    let http = reqwest::Client::builder()
        .user_agent("my-agent/1")
        .build()
        .expect("reqwest client");
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server)
        .http_client(http)
        .bearer_auth("tok")
        .default_header("x-tenant", "t-1")
        .default_header("accept", "application/vnd.test+json")
        .hook(recorder.clone())
        .build()
        .expect("client");
    let me = client
        .get_me()
        .request_options(RequestOptions::new().header("x-tenant", "t-2"))
        .await
        .expect("third attempt succeeds");
    assert_eq!(me.id, "u1");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(
            r.header("user-agent"),
            Some("my-agent/1"),
            "the user's client"
        );
        assert_eq!(
            r.header("traceparent"),
            Some("00-abc-def-01"),
            "added by the hook"
        );
        assert_eq!(r.header("accept"), Some("application/vnd.test+json"));
        assert_eq!(r.header("x-tenant"), Some("t-2"), "request options win");
        assert_eq!(r.header("authorization"), Some("Bearer tok"));
    }
    let seen = recorder.seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        [
            "before getMe #1",
            "after getMe #1 503",
            "before getMe #2",
            "after getMe #2 failed",
            "before getMe #3",
            "after getMe #3 200"
        ]
    );
}

#[tokio::test]
async fn an_invalid_default_header_is_a_config_error() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let err = builder(&server)
        .default_header("bad header", "x")
        .build()
        .expect_err("invalid header");
    assert!(
        matches!(&err, Error::Config(m) if m.contains("bad header")),
        "{err}"
    );
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let builder = builder(&server)
        .basic_auth("user", "hunter2")
        .header_key("key-secret")
        .bearer_auth("token-secret")
        .oauth_client_credentials("id", "client-secret");
    let client = builder.clone().build().expect("client");
    for shown in [format!("{builder:?}"), format!("{client:?}")] {
        for secret in ["hunter2", "key-secret", "token-secret", "client-secret"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}

// ---- String formats as real types, and types of the user's own ----

#[tokio::test]
async fn formats_travel_as_their_types() {
    let event = r#"[{"id":"123e4567-e89b-12d3-a456-426614174000","at":"2024-05-01T10:30:00Z","day":"2024-05-01","payload":"aGk=","source":"192.0.2.7","count":3}]"#;
    let server = TestServer::start(vec![Reply::json(200, event)]).await;
    let client = builder(&server).bearer_auth("t").build().expect("client");
    let since = chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
        .expect("date")
        .with_timezone(&chrono::Utc);
    let events = client
        .list_events(since)
        .day(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).expect("date"))
        .await
        .expect("decodes");
    let r = &server.requests()[0];
    assert_eq!(r.query(), "since=2024-01-01T00%3A00%3A00Z&day=2024-05-01");
    let e = &events[0];
    assert_eq!(e.id.to_string(), "123e4567-e89b-12d3-a456-426614174000");
    assert_eq!(e.at.to_rfc3339(), "2024-05-01T10:30:00+00:00");
    assert_eq!(
        e.payload.as_ref().map(|b| b.0.clone()),
        Some(b"hi".to_vec())
    );
    assert_eq!(e.source, Some("192.0.2.7".parse().expect("ip")));
    assert_eq!(e.count.map(|c| c.get()), Some(3));
}

#[tokio::test]
async fn an_odd_date_is_a_decode_error_that_names_the_field() {
    // Some APIs send "" or a date without a zone; typed dates refuse them, naming the field
    // (the body stays in the error). With `date-time = "string"` such values pass as text.
    let event = r#"[{"id":"123e4567-e89b-12d3-a456-426614174000","at":""}]"#;
    let server = TestServer::start(vec![Reply::json(200, event)]).await;
    let client = builder(&server).bearer_auth("t").build().expect("client");
    let err = client
        .list_events(chrono::DateTime::<chrono::Utc>::default())
        .await
        .expect_err("not a date-time");
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path, "[0].at", "{err}");
    assert!(String::from_utf8_lossy(&e.body).contains("\"at\":\"\""));
}

// ---- A `deepObject` query parameter ----

#[tokio::test]
async fn a_deep_object_query_nests_with_brackets() {
    // Arrays and objects inside the parameter are brackets as deep as they go, indexed for
    // arrays: what Prism validates (the CI contract run sends this operation to it), PHP and
    // Node's `qs` parse. JSON text (`filter[ids]=[7,8]`) was read by Prism as an empty array.
    let server = TestServer::start(vec![Reply::json(200, "[]")]).await;
    let client = builder(&server).bearer_auth("t").build().expect("client");
    use security_client::types::{Filter, FilterOwner};
    let filter = Filter::new(vec![7, 8], FilterOwner::new("me"));
    let events = client.search_events(filter).await.expect("sent");
    assert!(events.is_empty());
    let r = &server.requests()[0];
    assert_eq!(
        r.query(),
        "filter%5Bids%5D%5B0%5D=7&filter%5Bids%5D%5B1%5D=8&filter%5Bowner%5D%5Blogin%5D=me"
    );
}

// ---- A `oneOf` path parameter ----

#[tokio::test]
async fn a_one_of_path_parameter_is_its_value_not_json() {
    // An ID or a slug: the slug goes as it is (`/events/launch-day`), not as JSON text
    // (`/events/%22launch-day%22`, which PandaScore's and this spec's pattern refuse), the ID
    // as its digits.
    use security_client::types::IdOrSlug;
    let event = r#"{"id":"123e4567-e89b-12d3-a456-426614174000","at":"2024-05-01T10:30:00Z"}"#;
    let server = TestServer::start(vec![Reply::json(200, event), Reply::json(200, event)]).await;
    let client = builder(&server).bearer_auth("t").build().expect("client");
    for id_or_slug in [IdOrSlug::String("launch-day".into()), IdOrSlug::Integer(7)] {
        client.get_event(id_or_slug).await.expect("sent");
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(paths, ["/events/launch-day", "/events/7"]);
}

#[tokio::test]
async fn an_authorization_parameter_is_an_argument_only_where_no_scheme_sends_the_header() {
    let server = TestServer::start(vec![Reply::json(204, "")]).await;
    let client = builder(&server).bearer_auth("tok").build().expect("client");
    // `security: []`: the spec's `Authorization` parameter is how the caller authenticates.
    let request = client
        .legacy_token("Token abc123")
        .x_session_token("sess456");
    let shown = format!("{request:?}");
    assert!(!shown.contains("abc123"), "{shown}");
    assert!(!shown.contains("sess456"), "{shown}");
    assert!(shown.contains("REDACTED"), "{shown}");
    let r = seen(&server, || request).await;
    assert_eq!(r.header("authorization"), Some("Token abc123"));
    assert_eq!(r.header("x-session-token"), Some("sess456"));
    // The spec's `Accept` parameter is left out: the client sends its own.
    assert_eq!(r.header("accept"), Some("application/json"));
    // The default bearer scheme sends `Authorization`: its parameter is no argument.
    let r = seen(&server, || client.signed_in()).await;
    assert_eq!(r.header("authorization"), Some("Bearer tok"));
}
