//! The `webhook_server` example run end to end on 127.0.0.1: URL validation, verified events
//! (typed and not), repeats, and every way a request is refused, with exactly the stdout lines
//! its contract promises.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "test-secret-token";

fn example_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "zoom-webhooks",
            "--example",
            "webhook_server",
            "--message-format=json",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "building the example failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == "webhook_server")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the example's executable")
}

/// The running receiver; killed when dropped.
struct Receiver {
    child: Child,
    url: String,
    lines: mpsc::Receiver<String>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Receiver {
    let mut child = Command::new(example_binary())
        .args(["--addr", "127.0.0.1:0"])
        .env("ZOOM_WEBHOOK_SECRET_TOKEN", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the example starts");
    let stdout = child.stdout.take().expect("stdout");
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    let first = lines
        .recv_timeout(Duration::from_secs(30))
        .expect("a first line");
    let url = first
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("first line is `{first}`"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Receiver { child, url, lines }
}

fn hmac_hex(message: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// Zoom's headers for `body` at `timestamp`.
fn signed(timestamp: u64, body: &str) -> (String, String) {
    let signature = format!("v0={}", hmac_hex(format!("v0:{timestamp}:{body}").as_bytes()));
    (timestamp.to_string(), signature)
}

async fn post(
    url: &str,
    body: &str,
    headers: Option<(String, String)>,
) -> (u16, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{url}/zoom/events"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some((timestamp, signature)) = headers {
        request = request
            .header("x-zm-request-timestamp", timestamp)
            .header("x-zm-signature", signature);
    }
    let response = request.send().await.expect("the receiver answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn the_receiver_keeps_its_contract() {
    let r = start();
    let url = r.url.clone();

    // URL validation.
    let crc = r#"{"event":"endpoint.url_validation","payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680}"#;
    let (status, body) = post(&url, crc, Some(signed(now(), crc))).await;
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON answer");
    assert_eq!(answer["plainToken"], "qgg8vlvZRS6UYooatFL8Aw");
    assert_eq!(answer["encryptedToken"], hmac_hex(b"qgg8vlvZRS6UYooatFL8Aw"));

    // A typed event, then the same delivery again (Zoom retries): printed once.
    let event = r#"{"event":"calendar.event_create","event_ts":1700000000123,"payload":{"account_id":"acc","object":{"event_id":"e1"}}}"#;
    let delivery = signed(now(), event);
    assert_eq!(post(&url, event, Some(delivery.clone())).await.0, 200);
    assert_eq!(post(&url, event, Some(delivery)).await.0, 200);

    // Refused: no headers, a bad signature, a stale timestamp, a signature for another body.
    assert_eq!(post(&url, event, None).await.0, 401);
    let (ts, _) = signed(now(), event);
    assert_eq!(post(&url, event, Some((ts, "v0=00".into()))).await.0, 401);
    assert_eq!(post(&url, event, Some(signed(now() - 301, event))).await.0, 401);
    assert_eq!(post(&url, event, Some(signed(now() + 301, event))).await.0, 401);
    let other = event.replace("e1", "e2");
    assert_eq!(post(&url, &other, Some(signed(now(), event))).await.0, 401);

    // Signed, but not JSON.
    assert_eq!(post(&url, "not json", Some(signed(now(), "not json"))).await.0, 400);

    // An event the spec does not list, and a listed one whose body breaks its schema.
    let unknown = r#"{"event":"meeting.started","event_ts":1700000000456,"payload":{}}"#;
    assert_eq!(post(&url, unknown, Some(signed(now(), unknown))).await.0, 200);
    let broken = r#"{"event":"calendar.event_delete","event_ts":"soon","payload":{}}"#;
    assert_eq!(post(&url, broken, Some(signed(now(), broken))).await.0, 200);

    let mut lines = Vec::new();
    while let Ok(line) = r.lines.recv_timeout(Duration::from_millis(500)) {
        lines.push(serde_json::from_str::<serde_json::Value>(&line).expect("JSON line"));
    }
    assert_eq!(
        lines,
        [
            serde_json::json!({"event": "calendar.event_create", "event_ts": 1700000000123u64, "typed": true}),
            serde_json::json!({"event": "meeting.started", "event_ts": 1700000000456u64, "typed": false}),
            serde_json::json!({"event": "calendar.event_delete", "event_ts": "soon", "typed": false}),
        ]
    );
}

#[test]
fn without_a_secret_it_refuses_to_start() {
    let out = Command::new(example_binary())
        .env_remove("ZOOM_WEBHOOK_SECRET_TOKEN")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZOOM_WEBHOOK_SECRET_TOKEN"));
}

#[test]
fn events_decode_by_name_and_unknown_ones_are_kept_whole() {
    use zoom_webhooks::webhooks::Event;
    let event = Event::from_slice(
        br#"{"event":"calendar.event_create","event_ts":1,"payload":{"object":{"event_id":"e1"}}}"#,
    )
    .expect("decodes");
    let Event::CalendarEventCreate(body) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(
        body.payload.object.as_ref().and_then(|o| o.event_id.as_deref()),
        Some("e1")
    );
    assert_eq!(event.name(), "calendar.event_create");
    let unknown = Event::from_slice(br#"{"event":"x.y","payload":{"a":1}}"#).expect("kept");
    assert!(matches!(&unknown, Event::Unknown { event, body } if event == "x.y" && body["payload"]["a"] == 1));
    assert!(!unknown.is_typed());
    assert!(Event::from_slice(br#"{"payload":{}}"#).is_err(), "no `event`");
    assert!(Event::from_slice(b"[").is_err());
}

/// The receiver's peak resident memory so far (`VmHWM`), in bytes.
fn peak_memory(r: &Receiver) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", r.child.id()))
        .expect("/proc/PID/status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib * 1024
}

/// POSTs a body of `total` bytes (sent as it is made, never held whole), chunked or with a
/// `Content-Length`, and returns the status the receiver answered with. The answer is read while
/// the body is still going out: a receiver that refuses early closes the connection, and the
/// writes then fail, which is expected.
fn post_large(url: &str, headers: &[(String, String)], total: usize, chunked: bool) -> u16 {
    use std::io::{Read, Write};
    let addr = url.strip_prefix("http://").expect("http URL");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    let mut reading = stream.try_clone().expect("clone the stream");
    reading
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let reader = std::thread::spawn(move || {
        let mut answer = Vec::new();
        let mut buf = [0u8; 1024];
        while !answer.windows(2).any(|w| w == b"\r\n") {
            match reading.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    });
    let mut head = String::from("POST /zoom/events HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\n");
    if chunked {
        head.push_str("transfer-encoding: chunked\r\n");
    } else {
        head.push_str(&format!("content-length: {total}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let block = vec![b' '; 64 * 1024];
    let mut sent = 0;
    let mut write = || -> std::io::Result<()> {
        stream.write_all(head.as_bytes())?;
        while sent < total {
            let n = block.len().min(total - sent);
            if chunked {
                stream.write_all(format!("{n:x}\r\n").as_bytes())?;
                stream.write_all(&block[..n])?;
                stream.write_all(b"\r\n")?;
            } else {
                stream.write_all(&block[..n])?;
            }
            sent += n;
        }
        if chunked {
            stream.write_all(b"0\r\n\r\n")?;
        }
        Ok(())
    };
    // A refused request's connection is closed under the writer: not an error here.
    let _ = write();
    let answer = reader.join().expect("the reader thread");
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in `{answer}`"))
}

#[tokio::test]
async fn large_and_unsigned_bodies_are_refused_without_being_held() {
    let r = start();
    let url = r.url.clone();
    // One small event first, so that the baseline includes serving a request.
    let event = r#"{"event":"meeting.started","event_ts":1700000000456,"payload":{}}"#;
    assert_eq!(post(&url, event, Some(signed(now(), event))).await.0, 200);
    let baseline = peak_memory(&r);
    let large = 512 * 1024 * 1024;
    let (timestamp, signature) = signed(now(), "not the body");
    let signed_head = vec![
        ("x-zm-request-timestamp".to_string(), timestamp),
        ("x-zm-signature".to_string(), signature),
    ];
    let url_for_blocking = url.clone();
    let statuses = tokio::task::spawn_blocking(move || {
        let url = url_for_blocking;
        [
            // No signature headers: 401 before the body is read, declared length or not.
            post_large(&url, &[], large, false),
            post_large(&url, &[], large, true),
            // Signed headers, a body over the 1 MiB limit: 413 from its declared length, and
            // from the bytes read when it declares none.
            post_large(&url, &signed_head, large, false),
            post_large(&url, &signed_head, large, true),
        ]
    })
    .await
    .expect("the blocking posts");
    assert_eq!(statuses, [401, 401, 413, 413]);
    let grown = peak_memory(&r).saturating_sub(baseline);
    assert!(
        grown < 32 * 1024 * 1024,
        "the receiver's peak memory grew by {grown} bytes for bodies it refused"
    );
    // The receiver still serves.
    assert_eq!(post(&url, event, Some(signed(now(), event))).await.0, 200);
}
