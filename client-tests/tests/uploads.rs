//! Request bodies from a file or a stream (`UploadBody`), sent without being held in memory: a
//! body that can be made again is retried; a stream handed over once is not.

use client_tests::{Reply, TestServer};
use futures_util::stream;
use std::io::Write;
use zoom_clips::{Client as ClipsClient, FilePart, RequestOptions};

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("upload-{}-{name}", std::process::id()));
    let mut file = std::fs::File::create(&path).expect("creates");
    file.write_all(contents).expect("writes");
    path
}

fn blob() -> Vec<u8> {
    (0..=255u8).cycle().take(300_000).collect()
}

fn blobs_client(server: &TestServer) -> servers_client::Client {
    servers_client::Client::builder()
        .base_url(&server.url)
        .retry(servers_client::RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            ..servers_client::RetryPolicy::default()
        })
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_file_body_is_streamed_with_its_length_and_sent_again_on_a_retry() {
    let contents = blob();
    let path = temp_file("put.bin", &contents);
    let server = TestServer::start(vec![Reply::json(503, "{}"), Reply::json(201, "")]).await;
    blobs_client(&server)
        .put_blob("b1", servers_client::UploadBody::from_path(&path))
        .await
        .expect("stored after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.body, contents);
        assert_eq!(
            r.header("content-length"),
            Some(contents.len().to_string().as_str())
        );
        assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    }
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn a_stream_made_again_is_retried() {
    let server = TestServer::start(vec![Reply::json(503, "{}"), Reply::json(201, "")]).await;
    // With its length, so that it goes out length-delimited (the test server reads no chunked
    // encoding).
    let body = servers_client::UploadBody::from_stream_fn(Some(13), || {
        Box::pin(stream::iter(
            ["one ", "two ", "three"].map(|s| Ok(bytes::Bytes::from_static(s.as_bytes()))),
        ))
    });
    blobs_client(&server)
        .put_blob("b2", body)
        .await
        .expect("stored after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.body, b"one two three");
        assert_eq!(r.header("content-length"), Some("13"));
    }
}

#[tokio::test]
async fn a_stream_sent_once_is_not_retried() {
    let server = TestServer::start(vec![Reply::json(503, "{}"), Reply::json(201, "")]).await;
    let body = servers_client::UploadBody::from_stream(
        Some(5),
        stream::iter([Ok(bytes::Bytes::from_static(b"hello"))]),
    );
    let err = blobs_client(&server)
        .put_blob("b3", body)
        .await
        .expect_err("the 503 is the answer: the stream cannot be sent again");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"hello");
}

#[tokio::test]
async fn a_multipart_file_part_from_a_path_is_streamed_and_retried() {
    let contents = blob();
    let path = temp_file("clip.mp4", &contents);
    let server = TestServer::start(vec![
        Reply::json(503, "{}"),
        Reply::json(201, r#"{"clip_id":"new"}"#),
    ])
    .await;
    let client = ClipsClient::builder("TOKEN")
        .base_url(format!("{}/v2", server.url))
        .build()
        .expect("client");
    let file = FilePart::from_path(&path).content_type("video/mp4");
    assert!(file.file_name.ends_with("clip.mp4"));
    let response = client
        .upload_clip_file()
        .body(zoom_clips::types::UploadClipFileBody::new(file))
        .request_options(RequestOptions::new().retry_non_idempotent(true))
        .await
        .expect("uploaded after a retry");
    assert_eq!(response.clip_id.as_deref(), Some("new"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        let found = r
            .body
            .windows(contents.len())
            .any(|w| w == contents.as_slice());
        assert!(found, "the file's bytes are in the multipart body");
    }
    let _ = std::fs::remove_file(path);
}
