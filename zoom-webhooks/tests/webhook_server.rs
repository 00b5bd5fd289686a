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
