//! Feature `middleware`: a `reqwest_middleware` stack sends the requests, under the client's
//! credentials and retries.

use async_trait::async_trait;
use client_tests::{Reply, TestServer};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use zoom_clips_master::reqwest_middleware::reqwest::{Request, Response};
use zoom_clips_master::reqwest_middleware::{self, Middleware, Next};
use zoom_clips_master::{Client, Error, RetryPolicy};

/// Adds a header to every attempt and counts the attempts.
struct Stamp(Arc<AtomicUsize>);

#[async_trait]
impl Middleware for Stamp {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.0.fetch_add(1, Ordering::SeqCst);
        request
            .headers_mut()
            .insert("x-layer", http::HeaderValue::from_static("stamped"));
        next.run(request, extensions).await
    }
}

/// Answers every request itself, without the network.
struct Canned;

#[async_trait]
impl Middleware for Canned {
    async fn handle(
        &self,
        _request: Request,
        _extensions: &mut http::Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let answer = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(r#"{"total_records":7}"#)
            .map_err(reqwest_middleware::Error::middleware)?;
        Ok(Response::from(answer))
    }
}

/// Fails every request.
struct Refuse;

#[async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _request: Request,
        _extensions: &mut http::Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        Err(reqwest_middleware::Error::middleware(
            std::io::Error::other("the circuit is open"),
        ))
    }
}

fn stack(layer: impl Middleware) -> reqwest_middleware::ClientWithMiddleware {
    reqwest_middleware::ClientBuilder::new(reqwest_middleware::reqwest::Client::new())
        .with(layer)
        .build()
}

#[tokio::test]
async fn a_layer_sees_each_attempt_with_its_credentials_and_adds_a_header() {
    let server = TestServer::start(vec![
        Reply::json(503, "{}"),
        Reply::json(200, r#"{"total_records":1}"#),
    ])
    .await;
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = Client::builder("TOKEN")
        .base_url(&server.url)
        .retry(RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .middleware(stack(Stamp(attempts.clone())))
        .build()
        .expect("client");
    let page = client.list_clips("ACC").await.expect("the retry succeeds");
    assert_eq!(page.total_records, Some(1.0));
    // The retry went through the layer too.
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    for request in server.requests() {
        assert_eq!(request.header("x-layer"), Some("stamped"));
        assert_eq!(request.header("authorization"), Some("Bearer TOKEN"));
    }
}

#[tokio::test]
async fn a_layer_can_answer_without_the_network() {
    // Nothing listens on the base URL: only the layer can answer.
    let client = Client::builder("TOKEN")
        .base_url("http://127.0.0.1:9")
        .middleware(stack(Canned))
        .build()
        .expect("client");
    let page = client.list_clips("ACC").await.expect("the layer answers");
    assert_eq!(page.total_records, Some(7.0));
}

#[tokio::test]
async fn a_failing_layer_is_a_middleware_error() {
    let client = Client::builder("TOKEN")
        .base_url("http://127.0.0.1:9")
        .retry(RetryPolicy::none())
        .middleware(stack(Refuse))
        .build()
        .expect("client");
    let err = client.list_clips("ACC").await.expect_err("refused");
    assert!(
        matches!(&err, Error::Middleware(m) if m.contains("the circuit is open")),
        "{err:?}"
    );
}
