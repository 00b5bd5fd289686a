//! The production runtime of the generated client against servers that misbehave on purpose:
//! retries and `Retry-After`, timeouts, dropped connections, Server-to-Server OAuth, pagination,
//! rate-limit headers, per-request options and tracing.

use client_tests::{token_server, Recorded, Reply, TestServer};
use futures_util::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use zoom_clips_master::{Client, Error, RequestOptions, RetryPolicy};

/// Fast retries, so tests that retry do not wait long.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_secs(5),
        retry_non_idempotent: false,
    }
}

fn client(server: &TestServer, retry: RetryPolicy) -> Client {
    Client::builder("static-token")
        .base_url(format!("{}/v2", server.url))
        .retry(retry)
        .build()
        .expect("client")
}

fn too_many(retry_after: &str) -> Reply {
    Reply::json(429, r#"{"code":429,"message":"Too many requests"}"#)
        .header("retry-after", retry_after)
}

#[tokio::test]
async fn retry_after_delta_seconds_is_honoured() {
    let server = TestServer::start(vec![too_many("1"), Reply::json(200, "{}")]).await;
    let started = Instant::now();
    client(&server, quick_retries())
        .list_clips("a")
        .await
        .expect("succeeds after the wait");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

/// A base delay far longer than the test allows: if a `Retry-After` were not understood, the
/// fallback backoff would make the test slow and the elapsed-time check would fail.
fn slow_backoff() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_secs(20),
        max_delay: Duration::from_secs(60),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn retry_after_http_date_and_iso8601_are_understood() {
    for past in ["Wed, 21 Oct 2015 07:28:00 GMT", "2020-05-31T00:00:00Z"] {
        let server = TestServer::start(vec![too_many(past), Reply::json(200, "{}")]).await;
        let started = Instant::now();
        client(&server, slow_backoff())
            .list_clips("a")
            .await
            .expect("retried at once");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{past}: waited {:?}",
            started.elapsed()
        );
        assert_eq!(server.requests().len(), 2, "{past}");
    }
}

#[tokio::test]
async fn a_wait_longer_than_max_delay_returns_the_error_with_the_time() {
    for far in [
        "Wed, 21 Oct 2099 07:28:00 GMT",
        "2099-05-31T00:00:00Z",
        "3600",
    ] {
        let server = TestServer::start(vec![too_many(far), Reply::json(200, "{}")]).await;
        let started = Instant::now();
        let err = client(&server, quick_retries())
            .list_clips("a")
            .await
            .expect_err("not slept");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{far}: it slept"
        );
        let Error::Api(api) = err else {
            panic!("expected an API error")
        };
        assert_eq!(api.status.as_u16(), 429);
        let wait = api.retry_after.expect("retry_after is set");
        assert!(wait > Duration::from_secs(3000), "{far}: {wait:?}");
        assert_eq!(server.requests().len(), 1, "{far}");
    }
}

#[tokio::test]
async fn service_unavailable_then_success() {
    let server = TestServer::start(vec![
        Reply::json(503, "{}"),
        Reply::json(502, "{}"),
        Reply::json(200, "{}"),
    ])
    .await;
    client(&server, quick_retries())
        .list_clips("a")
        .await
        .expect("third attempt succeeds");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = TestServer::start(vec![Reply::json(504, "{}")]).await;
    let err = client(&server, quick_retries())
        .list_clips("a")
        .await
        .expect_err("gives up");
    let Error::Api(api) = err else {
        panic!("expected an API error")
    };
    assert_eq!(api.attempts, 3);
    assert_eq!(server.requests().len(), 3);
    // Statuses that are not transient are not retried.
    let server = TestServer::start(vec![Reply::json(404, "{}")]).await;
    client(&server, quick_retries())
        .list_clips("a")
        .await
        .expect_err("404");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let server = TestServer::start(vec![Reply::dropped(), Reply::json(200, "{}")]).await;
    client(&server, quick_retries())
        .list_clips("a")
        .await
        .expect("second attempt succeeds");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_slow_response_times_out_per_attempt() {
    let server =
        TestServer::start(vec![Reply::json(200, "{}").delayed(Duration::from_secs(3))]).await;
    let started = Instant::now();
    let err = client(
        &server,
        RetryPolicy {
            max_attempts: 2,
            ..quick_retries()
        },
    )
    .list_clips("a")
    .request_options(RequestOptions::new().timeout(Duration::from_millis(200)))
    .await
    .expect_err("times out");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(server.requests().len(), 2, "a timed-out GET is retried");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn request_options_add_headers_and_limit_attempts() {
    let server = TestServer::start(vec![Reply::json(503, "{}")]).await;
    let err = client(&server, quick_retries())
        .list_clips("a")
        .request_options(
            RequestOptions::new()
                .header("x-request-source", "tests")
                .max_attempts(1),
        )
        .await
        .expect_err("503");
    assert!(matches!(err, Error::Api(_)));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-request-source"), Some("tests"));
    let err = client(&server, quick_retries())
        .list_clips("a")
        .request_options(RequestOptions::new().header("x-bad", "line\nbreak"))
        .await
        .expect_err("bad header");
    assert!(
        matches!(err, Error::InvalidRequest { ref parameter, .. } if parameter == "x-bad"),
        "{err:?}"
    );
}

#[tokio::test]
async fn rate_limit_headers_on_success_and_error() {
    let limited = |status: u16| {
        Reply::json(status, r#"{"data":[]}"#)
            .header("X-RateLimit-Category", "Light")
            .header("X-RateLimit-Type", "QPS")
            .header("X-RateLimit-Limit", "30")
            .header("X-RateLimit-Remaining", "29")
            .header("x-zm-trackingid", "v=2.0;clid=us05;rid=WEB_1")
    };
    let server = TestServer::start(vec![limited(200)]).await;
    let response = client(&server, quick_retries())
        .list_clips("a")
        .send_with_meta()
        .await
        .expect("ok");
    assert_eq!(response.meta.status.as_u16(), 200);
    let rate = response.meta.rate_limit();
    assert_eq!(rate.category.as_deref(), Some("Light"));
    assert_eq!(rate.limit_type.as_deref(), Some("QPS"));
    assert_eq!((rate.limit, rate.remaining), (Some(30), Some(29)));
    assert_eq!(
        response.meta.tracking_id(),
        Some("v=2.0;clid=us05;rid=WEB_1")
    );
    assert_eq!(response.body.data, Some(vec![]));

    let server = TestServer::start(vec![limited(429)]).await;
    let Error::Api(api) = client(&server, RetryPolicy::none())
        .list_clips("a")
        .await
        .expect_err("429")
    else {
        panic!("expected an API error")
    };
    assert_eq!(api.rate_limit().remaining, Some(29));
    assert_eq!(api.tracking_id(), Some("v=2.0;clid=us05;rid=WEB_1"));

    // All of them are optional.
    let server = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let response = client(&server, quick_retries())
        .list_clips("a")
        .send_with_meta()
        .await
        .expect("ok");
    assert_eq!(response.meta.rate_limit(), Default::default());
    assert_eq!(response.meta.tracking_id(), None);
}

// ---- Server-to-Server OAuth ----

fn s2s_client(api: &TestServer, oauth: &TestServer) -> Client {
    Client::server_to_server("acct-1", "client-id", "client-secret")
        .oauth_url(format!("{}/oauth/token", oauth.url))
        .base_url(format!("{}/v2", api.url))
        .retry(quick_retries())
        .build()
        .expect("client")
}

fn bearer(r: &Recorded) -> &str {
    r.header("authorization").unwrap_or("")
}

#[tokio::test]
async fn s2s_fetches_a_token_with_basic_auth_and_caches_it() {
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = s2s_client(&api, &oauth);
    client.list_clips("a").await.expect("first");
    client.list_clips("a").await.expect("second");
    let token_requests = oauth.requests();
    assert_eq!(token_requests.len(), 1, "the token is cached");
    let t = &token_requests[0];
    assert_eq!(t.method, "POST");
    assert_eq!(t.path(), "/oauth/token");
    assert_eq!(
        t.query(),
        "grant_type=account_credentials&account_id=acct-1"
    );
    // base64("client-id:client-secret")
    assert_eq!(
        t.header("authorization"),
        Some("Basic Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=")
    );
    assert!(api.requests().iter().all(|r| bearer(r) == "Bearer tok-0"));
}

#[tokio::test]
async fn s2s_refreshes_shortly_before_expiry() {
    // A 2-second token is refreshed after 1 second (halfway, as it is shorter than 2 minutes).
    let oauth = token_server(2, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = s2s_client(&api, &oauth);
    client.list_clips("a").await.expect("first");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.list_clips("a").await.expect("second");
    let seen: Vec<String> = api
        .requests()
        .iter()
        .map(|r| bearer(r).to_string())
        .collect();
    assert_eq!(seen, ["Bearer tok-0", "Bearer tok-1"]);
}

#[tokio::test]
async fn s2s_401_fetches_one_fresh_token_and_retries_once() {
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![
        Reply::json(401, r#"{"code":124,"message":"Invalid access token."}"#),
        Reply::json(200, "{}"),
    ])
    .await;
    s2s_client(&api, &oauth)
        .list_clips("a")
        .await
        .expect("succeeds with the new token");
    let seen: Vec<String> = api
        .requests()
        .iter()
        .map(|r| bearer(r).to_string())
        .collect();
    assert_eq!(seen, ["Bearer tok-0", "Bearer tok-1"]);
    assert_eq!(oauth.requests().len(), 2);

    // A second 401 is returned, not retried again.
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(401, "{}")]).await;
    let err = s2s_client(&api, &oauth)
        .list_clips("a")
        .await
        .expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(api.requests().len(), 2);
}

#[tokio::test]
async fn static_tokens_are_not_retried_on_401() {
    let api = TestServer::start(vec![Reply::json(401, "{}"), Reply::json(200, "{}")]).await;
    client(&api, quick_retries())
        .list_clips("a")
        .await
        .expect_err("401");
    assert_eq!(api.requests().len(), 1);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_an_auth_error_without_secrets() {
    let oauth = TestServer::start(vec![Reply::json(
        400,
        r#"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#,
    )])
    .await;
    let api = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = s2s_client(&api, &oauth);
    let err = client.list_clips("a").await.expect_err("no token");
    let Error::Auth(auth) = &err else {
        panic!("expected an auth error, got {err:?}")
    };
    assert_eq!(auth.status.map(|s| s.as_u16()), Some(400));
    assert!(err.to_string().contains("invalid_client"), "{err}");
    for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains("client-secret"), "secret leaked: {shown}");
        assert!(!shown.contains("client-id"), "client id leaked: {shown}");
    }
    assert!(api.requests().is_empty(), "nothing is sent without a token");

    // An unreachable token endpoint too.
    let dead = Client::server_to_server("a", "client-id", "client-secret")
        .oauth_url("http://127.0.0.1:9/oauth/token")
        .base_url(&api.url)
        .build()
        .expect("client");
    let err = dead.list_clips("a").await.expect_err("unreachable");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}

#[tokio::test]
async fn concurrent_requests_share_one_token_fetch() {
    let oauth = token_server(3600, Duration::from_millis(300)).await;
    let api = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let client = s2s_client(&api, &oauth);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let client = client.clone();
        tasks.spawn(async move { client.list_clips(format!("acct-{i}")).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("task").expect("request");
    }
    assert_eq!(oauth.requests().len(), 1, "one fetch shared by all");
    assert_eq!(api.requests().len(), 10);
    assert!(api.requests().iter().all(|r| bearer(r) == "Bearer tok-0"));
}

#[tokio::test]
async fn api_url_from_the_token_response_is_opt_in() {
    let api = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let other = TestServer::start(vec![Reply::json(200, "{}")]).await;
    let api_url = other.url.clone();
    let oauth = TestServer::start_with(move |_, _| {
        Reply::json(
            200,
            &json!({"access_token": "t", "expires_in": 3600, "api_url": api_url}).to_string(),
        )
    })
    .await;
    s2s_client(&api, &oauth)
        .list_clips("a")
        .await
        .expect("default: base URL");
    assert_eq!(api.requests().len(), 1);
    let client = Client::server_to_server("acct", "id", "secret")
        .oauth_url(&oauth.url)
        .base_url(format!("{}/v2", api.url))
        .use_api_url(true)
        .build()
        .expect("client");
    client.list_clips("a").await.expect("api_url");
    assert_eq!(
        other.requests()[0].path(),
        "/v2/accounts/a/clips",
        "api_url keeps the base URL's path"
    );
    assert_eq!(api.requests().len(), 1);
}

// ---- Pagination ----

/// A server with `total` clips in pages of `page_size`, tokens `p1`, `p2`, …; the last page has an
/// empty token.
async fn paginated(total: usize, page_size: usize) -> TestServer {
    TestServer::start_with(move |r, _| {
        let page: usize = r
            .query()
            .split('&')
            .find_map(|kv| kv.strip_prefix("next_page_token=p"))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let start = page * page_size;
        let end = (start + page_size).min(total);
        let data: Vec<_> = (start..end)
            .map(|i| json!({"clip_id": format!("c{i}")}))
            .collect();
        let token = if end < total {
            format!("p{}", page + 1)
        } else {
            String::new()
        };
        Reply::json(
            200,
            &json!({"data": data, "next_page_token": token, "page_size": page_size}).to_string(),
        )
    })
    .await
}

#[tokio::test]
async fn pages_repeat_the_query_with_each_token_and_end_on_an_empty_token() {
    let server = paginated(7, 3).await;
    let pages: Vec<_> = client(&server, quick_retries())
        .list_clips("acc")
        .user_id("me")
        .page_size(30)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    let queries: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.query().to_string())
        .collect();
    assert_eq!(
        queries,
        [
            "user_id=me&page_size=30",
            "user_id=me&page_size=30&next_page_token=p1",
            "user_id=me&page_size=30&next_page_token=p2"
        ]
    );
    let ids: Vec<String> = client(&server, quick_retries())
        .list_clips("acc")
        .items()
        .map(|clip| clip.expect("item").clip_id.expect("id"))
        .collect()
        .await;
    assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
}

#[tokio::test]
async fn a_missing_token_ends_and_a_repeated_token_fails() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"data":[{"clip_id":"x"}]}"#)]).await;
    let pages: Vec<_> = client(&server, quick_retries())
        .list_clips("a")
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);

    let server = TestServer::start(vec![
        Reply::json(200, r#"{"data":[{"clip_id":"1"}],"next_page_token":"A"}"#),
        Reply::json(200, r#"{"data":[{"clip_id":"2"}],"next_page_token":"A"}"#),
    ])
    .await;
    let results: Vec<_> = client(&server, quick_retries())
        .list_clips("a")
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(
        matches!(&results[2], Err(Error::Pagination(m)) if m.contains("same cursor a second time") && !m.contains("`A`")),
        "{:?}",
        results[2]
    );
    assert_eq!(server.requests().len(), 2, "no third request");
}

#[tokio::test]
async fn an_error_ends_the_stream() {
    let server = TestServer::start(vec![
        Reply::json(200, r#"{"data":[{"clip_id":"1"}],"next_page_token":"A"}"#),
        Reply::json(400, r#"{"code":300,"message":"expired token"}"#),
    ])
    .await;
    let results: Vec<_> = client(&server, quick_retries())
        .list_clips("a")
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(matches!(&results[1], Err(Error::Api(e)) if e.code() == Some(300)));
}

#[tokio::test]
async fn a_hundred_thousand_items_stream_one_page_at_a_time() {
    let server = paginated(100_000, 300).await;
    let client = client(&server, quick_retries());
    // Lazy: 301 items need exactly two pages.
    let first: Vec<_> = client.list_clips("a").items().take(301).collect().await;
    assert_eq!(first.len(), 301);
    assert_eq!(server.requests().len(), 2);

    let mut count = 0usize;
    let mut items = Box::pin(client.list_clips("a").items());
    while let Some(item) = items.next().await {
        let id = item.expect("item").clip_id.expect("id");
        assert_eq!(id, format!("c{count}"), "in order");
        count += 1;
    }
    assert_eq!(count, 100_000);
    assert_eq!(server.requests().len(), 2 + 334);
}

/// A user's own token source: counts calls and rotates the token when the API rejects one.
#[derive(Debug, Default)]
struct Rotating {
    calls: std::sync::atomic::AtomicUsize,
}

impl zoom_clips_master::TokenSource for Rotating {
    fn token<'a>(
        &'a self,
        rejected: Option<&'a str>,
    ) -> zoom_clips_master::BoxFuture<'a, Result<zoom_clips_master::AccessToken, Error>> {
        let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let token = match rejected {
            Some(old) => format!("{old}-rotated"),
            None => format!("mine-{n}"),
        };
        Box::pin(async move {
            Ok(zoom_clips_master::AccessToken {
                token,
                api_url: None,
            })
        })
    }
}

#[tokio::test]
async fn a_custom_token_source_is_used_and_asked_again_after_a_401() {
    let api = TestServer::start(vec![Reply::json(401, "{}"), Reply::json(200, "{}")]).await;
    let source = std::sync::Arc::new(Rotating::default());
    let client = Client::with_token_source(source.clone())
        .base_url(&api.url)
        .build()
        .expect("client");
    client.list_clips("a").await.expect("ok after rotation");
    let seen: Vec<String> = api
        .requests()
        .iter()
        .map(|r| bearer(r).to_string())
        .collect();
    assert_eq!(seen, ["Bearer mine-0", "Bearer mine-0-rotated"]);
    assert_eq!(source.calls.load(std::sync::atomic::Ordering::SeqCst), 2);
}
