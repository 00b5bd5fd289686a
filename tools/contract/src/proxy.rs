//! A proxy in front of Prism for specs whose operations share a path and are told apart by a
//! header (AWS's JSON protocol: `POST /` with `X-Amz-Target: Service.Operation`) or a query
//! parameter. Prism routes by path only, so the mock's copy of the spec has each such operation
//! at a path of its own ([`super::mock::Route`]), and the proxy moves each request there. Nothing
//! else of the request or the response is touched: Prism still judges both.
//!
//! HTTP is hyper's, server and client: the proxy rewrites only the request target.

use super::mock::{Place, Route};
use http_body_util::{Either, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::sync::Arc;

/// What the proxy answers with: Prism's response, or its own 502 when the request cannot be
/// moved.
type Answer = Response<Either<Incoming, Full<Bytes>>>;

/// A proxy listening on a local port; it stops when dropped.
pub(super) struct Proxy {
    pub(super) url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Listens on a free local port and forwards to `upstream` (`http://127.0.0.1:PORT`).
    pub(super) fn start(upstream: &str, routes: Vec<Route>) -> Result<Proxy, String> {
        let authority = upstream
            .strip_prefix("http://")
            .ok_or_else(|| format!("the proxy forwards to http:// only, not {upstream}"))?
            .trim_end_matches('/')
            .to_string();
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| format!("no port for the proxy: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("no port for the proxy: {e}"))?
            .port();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| format!("no runtime for the proxy: {e}"))?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let shared = Arc::new(Shared {
            authority,
            routes,
            client: Client::builder(TokioExecutor::new()).build_http(),
        });
        let thread = std::thread::spawn(move || {
            runtime.block_on(serve(listener, shared, stopped));
        });
        Ok(Proxy {
            url: format!("http://127.0.0.1:{port}"),
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every connection needs: where Prism is, the routes, and one client to reach it.
struct Shared {
    authority: String,
    routes: Vec<Route>,
    client: Client<HttpConnector, Incoming>,
}

/// Accepts connections until `stopped`, serving each on a task of its own.
async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move { forward(request, &shared).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Sends one request on to Prism at its moved target and hands Prism's answer back. When Prism
/// does not answer (it died or hung), neither does the proxy: the connection closes without a
/// response, as it would without the proxy, so the driver stops there and the harness restarts
/// Prism for the operations left (a 502 instead once left a hundred of Glue's operations
/// "failed" behind a Prism that had died).
async fn forward(mut request: Request<Incoming>, shared: &Shared) -> Result<Answer, String> {
    let target = moved_target(
        request.uri(),
        |name| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        },
        &shared.routes,
    );
    let uri = format!("http://{}{target}", shared.authority);
    match uri.parse::<Uri>() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(e) => return Ok(failure(format!("cannot move the request to {uri}: {e}"))),
    }
    match shared.client.request(request).await {
        Ok(response) => Ok(response.map(Either::Left)),
        Err(e) => Err(format!("Prism did not answer: {e}")),
    }
}

/// The proxy's own answer when it cannot forward.
fn failure(message: String) -> Answer {
    let mut response = Response::new(Either::Right(Full::new(Bytes::from(message))));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
}

/// The request's path and query, with the path moved by the first route that matches (same
/// path, and the header or query parameter present with the route's value).
fn moved_target(uri: &Uri, header: impl Fn(&str) -> Option<String>, routes: &[Route]) -> String {
    let path = uri.path();
    let query = uri.query();
    let in_query = |name: &str, value: &str| {
        query.is_some_and(|q| {
            q.split('&')
                .any(|pair| pair.split_once('=') == Some((name, value)))
        })
    };
    let moved = routes
        .iter()
        .find(|r| {
            r.base == path
                && match r.place {
                    Place::Header => header(&r.name).as_deref() == Some(r.value.as_str()),
                    Place::Query => in_query(&r.name, &r.value),
                }
        })
        .map_or(path, |r| r.path.as_str());
    match query {
        Some(query) => format!("{moved}?{query}"),
        None => moved.to_string(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Routes of both kinds (also what `mock`'s test expects from its spec).
    pub(crate) fn amz() -> Vec<Route> {
        vec![
            Route {
                base: "/".into(),
                place: Place::Header,
                name: "X-Amz-Target".into(),
                value: "Hub.List".into(),
                path: "/X-Amz-Target=Hub.List".into(),
            },
            Route {
                base: "/tags".into(),
                place: Place::Query,
                name: "operation".into(),
                value: "tag".into(),
                path: "/tags/operation=tag".into(),
            },
        ]
    }

    fn target(uri: &str, header: Option<(&str, &str)>) -> String {
        let uri: Uri = uri.parse().expect("a URI");
        let lookup = |name: &str| {
            header
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_string())
        };
        moved_target(&uri, lookup, &amz())
    }

    #[test]
    fn a_request_moves_to_its_operations_path_by_header() {
        assert_eq!(
            target("/?a=1", Some(("x-amz-target", "Hub.List"))),
            "/X-Amz-Target=Hub.List?a=1"
        );
    }

    #[test]
    fn a_request_moves_by_query_parameter() {
        assert_eq!(
            target("/tags?a=1&operation=tag", None),
            "/tags/operation=tag?a=1&operation=tag"
        );
        assert_eq!(
            target("/tags?operation=untag", None),
            "/tags?operation=untag"
        );
    }

    #[test]
    fn other_requests_keep_their_target() {
        assert_eq!(target("/", Some(("x-amz-target", "Hub.Other"))), "/");
        assert_eq!(target("/x", Some(("x-amz-target", "Hub.List"))), "/x");
    }

    /// A request through a running proxy reaches the server at the moved path, with its body,
    /// and the server's answer comes back.
    #[test]
    fn the_proxy_forwards_and_answers() {
        use std::io::{Read, Write};
        let server = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let upstream = format!("http://{}", server.local_addr().expect("has an address"));
        let answering = std::thread::spawn(move || {
            let (mut connection, _) = server.accept().expect("accepts");
            let mut seen = Vec::new();
            let mut chunk = [0u8; 1024];
            while !seen.ends_with(b"{}") {
                let n = connection.read(&mut chunk).expect("reads");
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&chunk[..n]);
            }
            connection
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .expect("writes");
            String::from_utf8_lossy(&seen).into_owned()
        });
        let proxy = Proxy::start(&upstream, amz()).expect("starts");
        let address = proxy.url.trim_start_matches("http://").to_string();
        let mut client = std::net::TcpStream::connect(address).expect("connects");
        client
            .write_all(b"POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: Hub.List\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
            .expect("sends");
        let mut answer = String::new();
        client
            .read_to_string(&mut answer)
            .expect("reads the answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("\r\n\r\nok"), "{answer}");
        let seen = answering.join().expect("the server answered");
        assert!(
            seen.starts_with("POST /X-Amz-Target=Hub.List HTTP/1.1\r\n"),
            "{seen}"
        );
        assert!(seen.ends_with("\r\n\r\n{}"), "{seen}");
    }

    #[test]
    fn an_unreachable_upstream_closes_the_connection_without_an_answer() {
        use std::io::{Read, Write};
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        let upstream = format!("http://{}", closed.local_addr().expect("has an address"));
        drop(closed);
        let proxy = Proxy::start(&upstream, amz()).expect("starts");
        let address = proxy.url.trim_start_matches("http://").to_string();
        let mut client = std::net::TcpStream::connect(address).expect("connects");
        client
            .write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            .expect("sends");
        // The connection ends (closed, or reset) with nothing read: what a client sees when
        // the server is gone, and what makes the driver stop.
        let mut answer = Vec::new();
        let _ = client.read_to_end(&mut answer);
        assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
    }
}
