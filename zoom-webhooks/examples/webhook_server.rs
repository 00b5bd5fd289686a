//! A Zoom webhook receiver, usable as it is and as the pattern to copy.
//!
//! ```sh
//! ZOOM_WEBHOOK_SECRET_TOKEN=... cargo run -p zoom-webhooks --example webhook_server -- --addr 127.0.0.1:8080 [--max-body BYTES]
//! ```
//!
//! - Its first line on stdout is `listening http://HOST:PORT` (`--addr HOST:0` picks a free port).
//! - It accepts `POST` on any path and checks Zoom's signature (`x-zm-signature`,
//!   `x-zm-request-timestamp`, at most 300 s from now); anything else gets 401 and prints nothing.
//! - Anyone can reach a receiver, so it reads no body it can refuse without reading: a request
//!   without the signature headers, or with a stale timestamp, gets 401 before its body is read.
//! - A body over the limit (`--max-body`, default 1 MiB: Zoom's events are a few KiB) gets 413,
//!   at once when its `Content-Length` says so, else as soon as the bytes read pass the limit; the
//!   receiver never holds more than the limit of one body.
//! - It answers URL validation (`endpoint.url_validation`) as Zoom requires.
//! - Each verified event gets 200 and one JSON line on stdout:
//!   `{"event": NAME, "event_ts": N, "typed": BOOL}`, `typed` false for an event the spec does not
//!   list (or one whose body does not match its schema, which is also reported on stderr).
//! - A body that is not JSON gets 400.
//! - Zoom retries deliveries, so a repeat (the same signature and timestamp) gets 200 again and is
//!   printed only once.
//! - Messages go to stderr.

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::collections::{BTreeSet, VecDeque};
use std::convert::Infallible;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tokio::net::TcpListener;
use zoom_webhooks::webhooks::{self, Event, Verifier};

/// How many deliveries are remembered to recognise repeats.
const REMEMBERED: usize = 10_000;

/// A delivery: its signature and timestamp.
type Delivery = (String, String);

/// Recent deliveries, as a set and oldest first.
#[derive(Default)]
struct Seen {
    set: BTreeSet<Delivery>,
    order: VecDeque<Delivery>,
}

impl Seen {
    /// Records `delivery`; whether it is new.
    fn insert(&mut self, delivery: Delivery) -> bool {
        if !self.set.insert(delivery.clone()) {
            return false;
        }
        self.order.push_back(delivery);
        if self.order.len() > REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }
}

struct State {
    verifier: Verifier,
    seen: Mutex<Seen>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let secret = match std::env::var("ZOOM_WEBHOOK_SECRET_TOKEN") {
        Ok(secret) if !secret.is_empty() => secret,
        _ => {
            eprintln!("webhook_server: set ZOOM_WEBHOOK_SECRET_TOKEN to your app's secret token");
            return ExitCode::from(2);
        }
    };
    let mut addr = "127.0.0.1:8080".to_string();
    let mut max_body = webhooks::DEFAULT_MAX_BODY;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--addr", Some(value)) => addr = value,
            ("--max-body", Some(value)) => match value.parse() {
                Ok(bytes) => max_body = bytes,
                Err(_) => {
                    eprintln!("webhook_server: --max-body takes a number of bytes, not `{value}`");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("usage: webhook_server [--addr HOST:PORT] [--max-body BYTES]");
                return ExitCode::from(2);
            }
        }
    }
    let listener = match TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("webhook_server: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = match listener.local_addr() {
        Ok(local) => local,
        Err(e) => {
            eprintln!("webhook_server: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening http://{local}");
    let _ = std::io::stdout().flush();
    let state = Arc::new(State {
        verifier: Verifier::new(secret).max_body(max_body),
        seen: Mutex::new(Seen::default()),
    });
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("webhook_server: accept failed: {e}");
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(state.clone(), request));
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("webhook_server: connection from {peer}: {e}");
            }
        });
    }
}

fn reply(status: StatusCode, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
}

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if request.method() != Method::POST {
        return Ok(reply(StatusCode::METHOD_NOT_ALLOWED, Vec::new()));
    }
    // Unsigned, stale or declared too large: refused before a byte of the body is read.
    if let Err(e) = state
        .verifier
        .check_head(request.headers(), SystemTime::now())
    {
        eprintln!("webhook_server: refused: {e}");
        return Ok(reply(e.status(), Vec::new()));
    }
    let headers = request.headers().clone();
    let limit = state.verifier.body_limit();
    let body = match Limited::new(request.into_body(), limit).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) if e.is::<LengthLimitError>() => {
            eprintln!("webhook_server: refused: the body is longer than {limit} bytes");
            return Ok(reply(StatusCode::PAYLOAD_TOO_LARGE, Vec::new()));
        }
        Err(e) => {
            eprintln!("webhook_server: reading the body failed: {e}");
            return Ok(reply(StatusCode::BAD_REQUEST, Vec::new()));
        }
    };
    // The signature covers the raw body: check it before parsing anything.
    if let Err(e) = state
        .verifier
        .verify_headers(&headers, &body, SystemTime::now())
    {
        eprintln!("webhook_server: refused: {e}");
        return Ok(reply(e.status(), Vec::new()));
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            eprintln!("webhook_server: the body is not JSON: {e}");
            return Ok(reply(StatusCode::BAD_REQUEST, Vec::new()));
        }
    };
    if let Some(token) = webhooks::url_validation_token(&value) {
        eprintln!("webhook_server: answering URL validation");
        let (parts, body) = state
            .verifier
            .url_validation_response(token)
            .into_response()
            .into_parts();
        return Ok(Response::from_parts(parts, Full::new(Bytes::from(body))));
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let key = (
        header(webhooks::SIGNATURE_HEADER),
        header(webhooks::TIMESTAMP_HEADER),
    );
    let first_time = match state.seen.lock() {
        Ok(mut seen) => seen.insert(key),
        Err(_) => true,
    };
    if !first_time {
        eprintln!("webhook_server: a repeated delivery; already handled");
        return Ok(reply(StatusCode::OK, Vec::new()));
    }
    let name = value
        .get("event")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string();
    let event_ts = value
        .get("event_ts")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    let typed = match Event::from_value(value) {
        Ok(event) => event.is_typed(),
        Err(e) => {
            eprintln!("webhook_server: `{name}` does not match the spec's schema: {e}");
            false
        }
    };
    println!(
        "{}",
        serde_json::json!({"event": name, "event_ts": event_ts, "typed": typed})
    );
    let _ = std::io::stdout().flush();
    Ok(reply(StatusCode::OK, Vec::new()))
}
