//! A scripted HTTP/1.1 server on 127.0.0.1 for testing generated clients: it records every
//! request exactly as received and answers each with the next scripted [`Reply`] (which may be
//! slow, or drop the connection). Nothing here talks to a real API.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The request target exactly as sent: path and query, still percent-encoded.
    pub target: String,
    /// Header names (lower-cased) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The query part of the target, without `?`.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }

    /// The first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Close the connection without answering.
    pub drop_connection: bool,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            drop_connection: false,
        }
    }

    /// A plain-text reply.
    pub fn text(status: u16, body: &str) -> Reply {
        Reply {
            headers: vec![("content-type".into(), "text/html".into())],
            ..Reply::json(status, body)
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// Closes the connection instead of answering.
    pub fn dropped() -> Reply {
        Reply {
            drop_connection: true,
            ..Reply::json(500, "")
        }
    }
}

/// The running server. Dropping it stops accepting.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server that answers requests with `replies` in order (the last one repeats).
    pub async fn start(replies: Vec<Reply>) -> TestServer {
        TestServer::start_with(move |_request, index| {
            replies
                .get(index)
                .or_else(|| replies.last())
                .cloned()
                .unwrap_or_else(|| Reply::json(500, "{}"))
        })
        .await
    }

    /// Starts a server that answers each request with `handler(request, index)`, `index`
    /// counting requests from 0 in the order they were read.
    pub async fn start_with<H>(handler: H) -> TestServer
    where
        H: Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let handler = Arc::new(handler);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let recorded = recorded.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let reply = {
                        let Ok(mut list) = recorded.lock() else {
                            return;
                        };
                        let index = list.len();
                        list.push(request.clone());
                        handler(&request, index)
                    };
                    tokio::time::sleep(reply.delay).await;
                    if reply.drop_connection {
                        return;
                    }
                    let mut head = format!(
                        "HTTP/1.1 {} Test\r\ncontent-length: {}\r\nconnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&reply.body).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        TestServer {
            url,
            requests,
            task,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// A Server-to-Server OAuth token response.
pub fn token_reply(token: &str, expires_in: u64) -> Reply {
    Reply::json(
        200,
        &serde_json::json!({"access_token": token, "token_type": "bearer", "expires_in": expires_in, "scope": "clips:read:master"}).to_string(),
    )
}

/// A token endpoint that hands out `tok-0`, `tok-1`, … (each valid for `expires_in` seconds).
pub async fn token_server(expires_in: u64, delay: Duration) -> TestServer {
    TestServer::start_with(move |_, index| {
        token_reply(&format!("tok-{index}"), expires_in).delayed(delay)
    })
    .await
}

/// A `tracing` subscriber that records every span and event as text, for tests of what the
/// client traces.
pub mod capture {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Records every span and event as text.
    #[derive(Default, Clone)]
    pub struct Capture {
        pub lines: Arc<Mutex<Vec<String>>>,
        next: Arc<AtomicU64>,
    }

    struct Text(String);

    impl Visit for Text {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, "{}={:?} ", field.name(), value);
        }
    }

    impl Capture {
        fn push(&self, line: String) {
            if let Ok(mut lines) = self.lines.lock() {
                lines.push(line);
            }
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut text = Text(format!("span {} ", span.metadata().name()));
            span.record(&mut text);
            self.push(text.0);
            Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut text = Text("record ".into());
            values.record(&mut text);
            self.push(text.0);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut text = Text("event ".into());
            event.record(&mut text);
            self.push(text.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

/// The README's Rust examples, compiled as doctests so the README cannot drift from the API.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
