//! Tracing: one span per attempt with method, path template, status, attempt and latency, and
//! no secrets. In a test binary of its own, because `tracing` caches per-callsite interest across
//! threads and other tests running in parallel would race with the capturing subscriber.

use client_tests::{capture::Capture, token_server, Reply, TestServer};
use std::time::Duration;
use zoom_clips_master::{Client, RetryPolicy};

#[tokio::test(flavor = "current_thread")]
async fn every_attempt_gets_a_span_and_tokens_stay_out_of_it() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let oauth = token_server(3600, Duration::ZERO).await;
    let api = TestServer::start(vec![Reply::json(503, "{}"), Reply::json(200, "{}")]).await;
    Client::server_to_server("acct-1", "client-id", "client-secret")
        .oauth_url(format!("{}/oauth/token", oauth.url))
        .base_url(format!("{}/v2", api.url))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .expect("client")
        .list_clips("secret-account")
        .await
        .expect("ok");
    let lines = capture
        .lines
        .lock()
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    assert!(lines.contains("span http_request operation=\"GetUserClips\" method=GET path=\"/accounts/{accountId}/clips\" attempt=1"), "{lines}");
    assert!(lines.contains("attempt=2"), "{lines}");
    assert!(lines.contains("record status=503"), "{lines}");
    assert!(lines.contains("record status=200"), "{lines}");
    assert!(lines.contains("latency_ms="), "{lines}");
    for secret in ["tok-0", "client-secret", "secret-account"] {
        assert!(
            !lines.contains(secret),
            "`{secret}` appears in tracing output:\n{lines}"
        );
    }
}
