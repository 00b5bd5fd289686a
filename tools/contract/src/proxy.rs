//! A proxy in front of Prism for specs whose operations share a path and are told apart by a
//! header (AWS's JSON protocol: `POST /` with `X-Amz-Target: Service.Operation`). Prism routes
//! by path only, so the mock's copy of the spec has each such operation at a path of its own
//! ([`super::mock::Route`]), and the proxy moves each request there from its header. Nothing
//! else of the request or the response is touched: Prism still judges both.
//!
//! HTTP/1.1 only, one request per connection: the request's head is read and its target
//! rewritten, `Connection: close` is set, and from then on bytes are copied both ways until
//! Prism closes the connection.

use super::mock::{Place, Route};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};

/// A proxy listening on a local port; it stops accepting when dropped.
pub(super) struct Proxy {
    pub(super) url: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    port: u16,
}

impl Proxy {
    /// Listens on a free local port and forwards to `upstream` (`http://127.0.0.1:PORT`).
    pub(super) fn start(upstream: &str, routes: Vec<Route>) -> Result<Proxy, String> {
        let upstream = upstream
            .strip_prefix("http://")
            .ok_or_else(|| format!("the proxy forwards to http:// only, not {upstream}"))?
            .to_string();
        let listener =
            TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no port for the proxy: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("no port for the proxy: {e}"))?
            .port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let routes = std::sync::Arc::new(routes);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stopped.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let Ok(client) = client else { continue };
                let (routes, upstream) = (routes.clone(), upstream.clone());
                std::thread::spawn(move || {
                    let _ = forward(client, &upstream, &routes);
                });
            }
        });
        Ok(Proxy {
            url: format!("http://127.0.0.1:{port}"),
            stop,
            port,
        })
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Forwards one connection's request, moved by `routes`, and copies the answer back.
fn forward(mut client: TcpStream, upstream: &str, routes: &[Route]) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            break end + 4;
        }
        let n = client.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut server = TcpStream::connect(upstream)?;
    server.write_all(rewrite(&head, routes).as_bytes())?;
    server.write_all(&buffer[head_end..])?;
    let (mut from_client, mut to_server) = (client.try_clone()?, server.try_clone()?);
    let upload = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let copied = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = upload.join();
    copied.map(|_| ())
}

/// The request head with its target moved by the first route that matches (same path, header
/// present with the route's value) and `Connection: close`.
fn rewrite(head: &str, routes: &[Route]) -> String {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let headers: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let header = |name: &str| {
        headers.iter().find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
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
                    Place::Header => header(&r.name) == Some(r.value.as_str()),
                    Place::Query => in_query(&r.name, &r.value),
                }
        })
        .map_or(path, |r| r.path.as_str());
    let mut out = match query {
        Some(query) => format!("{method} {moved}?{query} {version}\r\n"),
        None => format!("{method} {moved} {version}\r\n"),
    };
    for h in &headers {
        let name = h.split_once(':').map_or(*h, |(n, _)| n).trim();
        if !name.eq_ignore_ascii_case("connection") {
            out.push_str(h);
            out.push_str("\r\n");
        }
    }
    out.push_str("connection: close\r\n\r\n");
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

    #[test]
    fn a_request_moves_to_its_operations_path_by_header() {
        let head = "POST /?a=1 HTTP/1.1\r\nhost: x\r\nX-Amz-Target: Hub.List\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\n";
        assert_eq!(
            rewrite(head, &amz()),
            "POST /X-Amz-Target=Hub.List?a=1 HTTP/1.1\r\nhost: x\r\nX-Amz-Target: Hub.List\r\ncontent-length: 2\r\nconnection: close\r\n\r\n"
        );
    }

    #[test]
    fn a_request_moves_by_query_parameter() {
        let head = "POST /tags?a=1&operation=tag HTTP/1.1\r\n\r\n";
        assert!(rewrite(head, &amz())
            .starts_with("POST /tags/operation=tag?a=1&operation=tag HTTP/1.1\r\n"));
        let other = "POST /tags?operation=untag HTTP/1.1\r\n\r\n";
        assert!(rewrite(other, &amz()).starts_with("POST /tags?operation=untag HTTP/1.1\r\n"));
    }

    #[test]
    fn other_requests_keep_their_target() {
        let other_value = "POST / HTTP/1.1\r\nx-amz-target: Hub.Other\r\n\r\n";
        assert!(rewrite(other_value, &amz()).starts_with("POST / HTTP/1.1\r\n"));
        let other_path = "POST /x HTTP/1.1\r\nx-amz-target: Hub.List\r\n\r\n";
        assert!(rewrite(other_path, &amz()).starts_with("POST /x HTTP/1.1\r\n"));
    }

    /// A request through a running proxy reaches the server at the moved path, with its body.
    #[test]
    fn the_proxy_forwards_and_answers() {
        let server = TcpListener::bind("127.0.0.1:0").expect("binds");
        let upstream = format!("http://{}", server.local_addr().expect("has an address"));
        let answering = std::thread::spawn(move || {
            let (mut connection, _) = server.accept().expect("accepts");
            let mut seen = Vec::new();
            let mut chunk = [0u8; 1024];
            while find(&seen, b"{}").is_none() {
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
        let mut client = TcpStream::connect(address).expect("connects");
        client
            .write_all(b"POST / HTTP/1.1\r\nx-amz-target: Hub.List\r\ncontent-length: 2\r\n\r\n{}")
            .expect("sends");
        let mut answer = String::new();
        client
            .read_to_string(&mut answer)
            .expect("reads the answer");
        assert!(answer.ends_with("\r\n\r\nok"), "{answer}");
        let seen = answering.join().expect("the server answered");
        assert!(
            seen.starts_with("POST /X-Amz-Target=Hub.List HTTP/1.1\r\n"),
            "{seen}"
        );
        assert!(seen.ends_with("\r\n\r\n{}"), "{seen}");
    }
}
