//! Requests with bodies, downloads and empty responses, and which methods are retried, through
//! the client generated from Zoom's user-level Clips spec (`specs/clips.json`).

use client_tests::{Reply, TestServer};
use serde_json::{json, Value};
use std::time::Duration;
use zoom_clips::types::{TransferClipsOwnerBody, TransferClipsOwnerBodyTransferType};
use zoom_clips::{Client, Error, RequestOptions, RetryPolicy};

fn client(server: &TestServer, retry_non_idempotent: bool) -> Client {
    Client::builder("tok")
        .base_url(format!("{}/v2", server.url))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            retry_non_idempotent,
            ..RetryPolicy::default()
        })
        .build()
        .expect("client")
}

fn transfer() -> TransferClipsOwnerBody {
    let mut body = TransferClipsOwnerBody::new(
        "u1",
        "u2",
        TransferClipsOwnerBodyTransferType::PartialTransfer,
    );
    body.clip_id_list = Some(vec!["c1".into(), "c2".into()]);
    body
}

#[tokio::test]
async fn a_json_body_is_sent_as_is() {
    let server = TestServer::start(vec![Reply::json(201, r#"{"task_id":"t-1"}"#)]).await;
    let response = client(&server, false)
        .transfer_clips_owner()
        .body(transfer())
        .await
        .expect("ok");
    assert_eq!(response.task_id, "t-1");
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), "/v2/clips/transfers");
    assert_eq!(r.header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(&r.body).expect("JSON body");
    assert_eq!(
        body,
        json!({"source_owner_user_id": "u1", "clip_id_list": ["c1", "c2"], "target_owner_user_id": "u2", "transfer_type": "PARTIAL_TRANSFER"})
    );
}

#[tokio::test]
async fn post_is_not_retried_unless_opted_in() {
    let replies = || {
        vec![
            Reply::json(503, "{}"),
            Reply::json(201, r#"{"task_id":"t"}"#),
        ]
    };

    let server = TestServer::start(replies()).await;
    let err = client(&server, false)
        .transfer_clips_owner()
        .body(transfer())
        .await
        .expect_err("not retried");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);

    let server = TestServer::start(replies()).await;
    client(&server, false)
        .transfer_clips_owner()
        .body(transfer())
        .request_options(RequestOptions::new().retry_non_idempotent(true))
        .await
        .expect("retried per request");
    assert_eq!(server.requests().len(), 2);

    let server = TestServer::start(replies()).await;
    client(&server, true)
        .transfer_clips_owner()
        .body(transfer())
        .await
        .expect("retried per client");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        server.requests()[0].body,
        server.requests()[1].body,
        "the same body is sent again"
    );
}

#[tokio::test]
async fn delete_is_idempotent_and_retried() {
    let server = TestServer::start(vec![Reply::json(503, ""), Reply::json(204, "")]).await;
    client(&server, false)
        .delete_clip("c1")
        .await
        .expect("204 after a retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "DELETE");
    assert_eq!(requests[1].path(), "/v2/clips/c1");
}

#[tokio::test]
async fn a_download_returns_the_exact_bytes() {
    let bytes: Vec<u8> = (0..=255u8).chain([0xff, 0xfe, 0x00]).collect();
    let mut reply = Reply::json(200, "");
    reply.headers = vec![("content-type".into(), "video/mp4".into())];
    reply.body = bytes.clone();
    let server = TestServer::start(vec![reply]).await;
    let downloaded = client(&server, false)
        .download_clip("c1")
        .await
        .expect("bytes");
    assert_eq!(downloaded, bytes);
}

#[tokio::test]
async fn a_required_body_field_missing_from_a_response_is_a_decode_error() {
    let server = TestServer::start(vec![Reply::json(201, "{}")]).await;
    let err = client(&server, false)
        .transfer_clips_owner()
        .body(transfer())
        .await
        .expect_err("missing task_id");
    let Error::Decode(decode) = err else {
        panic!("expected a decode error")
    };
    assert!(decode.message.contains("task_id"), "{}", decode.message);
}

#[tokio::test]
async fn a_file_part_without_a_content_type_is_sent_as_octet_stream() {
    use zoom_clips::types::UploadClipFileBody;
    use zoom_clips::FilePart;
    let server = TestServer::start(vec![Reply::json(201, r#"{"clip_id":"new"}"#)]).await;
    client(&server, false)
        .upload_clip_file()
        .body(UploadClipFileBody::new(FilePart::new(
            "notes.bin",
            b"hi".to_vec(),
        )))
        .await
        .expect("uploaded");
    let request = server.requests().pop().expect("a request");
    let body = String::from_utf8_lossy(&request.body).into_owned();
    // Some servers' multipart parsers (Prism's among them) fail on a file part without a type.
    assert!(
        body.contains(
            "filename=\"notes.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nhi\r\n"
        ),
        "{body}"
    );
}

#[tokio::test]
async fn a_multipart_upload_sends_the_file_as_a_part() {
    use zoom_clips::types::UploadClipFileBody;
    use zoom_clips::FilePart;
    let server = TestServer::start(vec![
        Reply::json(503, "{}"),
        Reply::json(201, r#"{"clip_id":"new"}"#),
    ])
    .await;
    let video: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let file = FilePart::new("demo.mp4", video.clone()).content_type("video/mp4");
    let response = client(&server, false)
        .upload_clip_file()
        .body(UploadClipFileBody::new(file))
        .request_options(RequestOptions::new().retry_non_idempotent(true))
        .await
        .expect("uploaded after a retry");
    assert_eq!(response.clip_id.as_deref(), Some("new"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), "/v2/clips/files");
        let content_type = r.header("content-type").expect("content type");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("multipart");
        let body = &r.body;
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"demo.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
        );
        assert!(
            body.starts_with(head.as_bytes()),
            "{}",
            String::from_utf8_lossy(&body[..200.min(body.len())])
        );
        assert_eq!(
            &body[head.len()..head.len() + video.len()],
            video.as_slice(),
            "the file's bytes, unchanged"
        );
    }
}

#[tokio::test]
async fn an_extra_header_replaces_the_clients_own() {
    let server = TestServer::start(vec![Reply::json(201, r#"{"task_id":"t-1"}"#)]).await;
    client(&server, false)
        .transfer_clips_owner()
        .body(transfer())
        .request_options(
            RequestOptions::new()
                .header("Content-Type", "application/merge-patch+json")
                .header("accept", "application/problem+json")
                .header("x-trace", "a")
                .header("x-trace", "b"),
        )
        .await
        .expect("ok");
    let r = &server.requests()[0];
    let all = |name: &str| -> Vec<&str> {
        r.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(all("content-type"), ["application/merge-patch+json"]);
    assert_eq!(all("accept"), ["application/problem+json"]);
    assert_eq!(all("x-trace"), ["a", "b"], "the same name twice sends both");
    assert_eq!(all("authorization"), ["Bearer tok"]);
    let body: Value = serde_json::from_slice(&r.body).expect("the JSON body, unchanged");
    assert_eq!(body["transfer_type"], "PARTIAL_TRANSFER");
}

#[tokio::test]
async fn a_download_can_stream_after_a_retry() {
    use futures_util::StreamExt;
    // 3 MB, more than one chunk on the wire.
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut reply = Reply::json(200, "");
    reply.headers = vec![("content-type".into(), "video/mp4".into())];
    reply.body = bytes.clone();
    let server = TestServer::start(vec![Reply::json(503, "{}"), reply]).await;
    let mut stream = client(&server, false)
        .download_clip("c1")
        .send_streaming()
        .await
        .expect("the download starts after one retry");
    assert_eq!(stream.meta.status.as_u16(), 200);
    assert_eq!(
        stream
            .meta
            .headers
            .get("content-type")
            .map(|v| v.as_bytes()),
        Some(&b"video/mp4"[..])
    );
    let (mut received, mut chunks) = (Vec::new(), 0);
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.expect("chunk"));
        chunks += 1;
    }
    assert!(chunks > 1, "streamed in {chunks} chunk(s)");
    assert_eq!(received.len(), bytes.len());
    assert!(received == bytes, "the bytes, unchanged and in order");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_streamed_download_that_fails_is_an_api_error_before_any_byte() {
    let server = TestServer::start(vec![Reply::json(
        404,
        r#"{"code":3001,"message":"Clip does not exist"}"#,
    )])
    .await;
    let err = client(&server, false)
        .download_clip("missing")
        .send_streaming()
        .await
        .expect_err("404");
    let Error::Api(api) = err else {
        panic!("expected an API error")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(
        api.error_body().and_then(|b| b.code),
        Some(3001),
        "the error body is read and decoded"
    );
}
