//! Criterion benchmarks of the generated Zoom Clips client (`generated-client`), each beside the
//! baseline it is judged against, measured in the same run:
//!
//! - `decode/generated` vs `decode/handwritten`: a 300-item `GET /accounts/{accountId}/clips`
//!   page decoded into the generated types, and into the serde structs a person would write
//!   for the same schema;
//! - `request/generated` vs `request/reqwest`: one `list_clips` call against a local keep-alive
//!   HTTP/1.1 server, and the same request (path, query, bearer token, JSON decode into the same
//!   type) sent with plain `reqwest`.
//!
//! `cargo xtask bench` runs these and turns criterion's estimates into the ratios of
//! `docs/bench.md`; `cargo bench -p client-tests --bench client` runs them alone.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zoom_clips_master::types::ListClipsResponse;

/// What a person would write by hand for the page's schema.
#[allow(dead_code)] // Read by the decoder only, as in a program that uses a few fields.
mod handwritten {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub struct Page {
        #[serde(default)]
        pub data: Vec<Clip>,
        pub next_page_token: Option<String>,
        pub page_size: Option<i64>,
        pub total_records: Option<f64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Clip {
        pub title: Option<String>,
        pub description: Option<String>,
        pub duration: Option<f64>,
        pub status: Option<ClipStatus>,
        pub clip_id: Option<String>,
        pub owner_id: Option<String>,
        pub file_size: Option<i64>,
        pub share_link: Option<String>,
        pub share_link_settings: Option<ShareLinkSettings>,
        pub thumbnail_link: Option<String>,
        pub created_date: Option<String>,
        pub modified_date: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct ShareLinkSettings {
        pub passcode: Option<String>,
        pub share_scope: Option<ShareScope>,
        pub enable_passcode: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum ClipStatus {
        RecordStart,
        RecordFailed,
        RecordEnd,
        RecordSuccess,
        RecordDelete,
        Suspended,
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Deserialize)]
    pub enum ShareScope {
        #[serde(rename = "ANYONE")]
        Anyone,
        #[serde(rename = "SAME_ORGANIZATON")]
        SameOrganization,
        #[serde(rename = "INVITED_MEMBERS_ONLY")]
        InvitedMembersOnly,
        #[serde(rename = "PRIVATE")]
        Private,
        #[serde(other)]
        Unknown,
    }
}

/// A page of `items` clips, every field set, values varied so no two clips are alike.
fn page(items: usize) -> String {
    let statuses = ["RECORD_SUCCESS", "RECORD_END", "RECORD_START", "SUSPENDED"];
    let scopes = [
        "ANYONE",
        "SAME_ORGANIZATON",
        "INVITED_MEMBERS_ONLY",
        "PRIVATE",
    ];
    let data: Vec<Value> = (0..items)
        .map(|i| {
            json!({
                "title": format!("Weekly sync #{i}"),
                "description": format!("Recording {i} of the team's weekly sync, with notes"),
                "duration": 61.5 + i as f64,
                "status": statuses[i % statuses.len()],
                "clip_id": format!("cl{i:08}AbCdEfGhIjKl"),
                "owner_id": format!("u{:06}", i * 7),
                "file_size": 1_048_576 + i as i64 * 4096,
                "share_link": format!("https://zoom.us/clips/share/{i:08}"),
                "share_link_settings": {
                    "passcode": format!("pw{i}"),
                    "share_scope": scopes[i % scopes.len()],
                    "enable_passcode": i % 2 == 0
                },
                "thumbnail_link": format!("https://zoom.us/clips/thumb/{i:08}.png"),
                "created_date": "2024-03-08T16:00:00Z",
                "modified_date": "2024-03-09T08:30:00Z"
            })
        })
        .collect();
    json!({
        "data": data,
        "next_page_token": "kT8nZ2ExYmM3",
        "page_size": items,
        "total_records": 1200
    })
    .to_string()
}

fn decode(c: &mut Criterion) {
    let body = page(300);
    // Both decode the whole page (a failed decode would make the comparison meaningless).
    let generated: ListClipsResponse = serde_json::from_str(&body).expect("generated types decode");
    let handwritten: handwritten::Page =
        serde_json::from_str(&body).expect("hand-written types decode");
    assert_eq!(generated.data.as_ref().map(Vec::len), Some(300));
    assert_eq!(handwritten.data.len(), 300);

    let mut group = c.benchmark_group("decode");
    group.throughput(criterion::Throughput::Bytes(body.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::from_str::<ListClipsResponse>(black_box(&body)))
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| serde_json::from_str::<handwritten::Page>(black_box(&body)))
    });
    group.finish();
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with `body` (JSON, 200).
async fn serve(body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = Vec::with_capacity(8192);
                let mut chunk = [0u8; 8192];
                loop {
                    // GETs only: a request ends at its blank line.
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        if stream.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    url
}

fn request(c: &mut Criterion) {
    // One thread for the server, the connection and the client: with worker threads, each
    // request waits on wake-ups across threads, whose latency on this 2-core VM varied more
    // from run to run (plain reqwest 85 µs in one run, 101 µs in another) than the client adds.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let url = runtime.block_on(serve(page(10)));
    // One HTTP client under both, so that the difference is what the generated client adds:
    // building and checking the request, credentials, retries' bookkeeping, hooks, decoding.
    let plain = reqwest::Client::new();
    let client = zoom_clips_master::Client::builder("bench-token")
        .base_url(format!("{url}/v2"))
        .http_client(plain.clone())
        .build()
        .expect("client builds");
    let list_url = format!("{url}/v2/accounts/me/clips");

    let generated = || async {
        client
            .list_clips("me")
            .page_size(30)
            .send()
            .await
            .expect("generated client request")
    };
    let by_hand = || async {
        plain
            .get(&list_url)
            .query(&[("page_size", "30")])
            .bearer_auth("bench-token")
            .header("accept", "application/json")
            .send()
            .await
            .expect("reqwest request")
            .error_for_status()
            .expect("success status")
            .json::<ListClipsResponse>()
            .await
            .expect("reqwest decode")
    };
    // The two send the same request and read the same page.
    let (a, b) = runtime.block_on(async { (generated().await, by_hand().await) });
    assert_eq!(a, b);

    let mut group = c.benchmark_group("request");
    group.bench_function("generated", |b| b.iter(|| runtime.block_on(generated())));
    group.bench_function("reqwest", |b| b.iter(|| runtime.block_on(by_hand())));
    group.finish();
}

criterion_group!(benches, decode, request);
criterion_main!(benches);
