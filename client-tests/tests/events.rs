//! `text/event-stream` responses (`specs/servers.json`'s `/ticks` and `/log`): a scripted
//! server sends events in pieces, split mid-event, and the client yields them as they arrive,
//! each `data:` decoded as the spec's type, or kept as text.

use futures_util::StreamExt;
use servers_client::types::Tick;
use servers_client::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves one connection: reads the request head, then writes `pieces` one at a time, pausing
/// between them, and closes.
async fn scripted(pieces: Vec<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepts");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if socket.read(&mut byte).await.expect("reads") == 0 {
                return;
            }
            head.push(byte[0]);
        }
        socket
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
            )
            .await
            .expect("writes");
        for piece in pieces {
            socket.write_all(piece.as_bytes()).await.expect("writes");
            socket.flush().await.expect("flushes");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    });
    url
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).build().expect("client")
}

#[tokio::test]
async fn json_events_arrive_typed_even_when_split_across_pieces() {
    let url = scripted(vec![
        ": a comment, then an event split in the middle of its data\n",
        "data: {\"n\":",
        "1}\n\n",
        "event: tick\nid: 2\nretry: 1500\ndata: {\"n\":2,\n",
        "data: \"note\":\"two lines\"}\n\n",
    ])
    .await;
    let mut events = client(&url).watch_ticks().await.expect("the stream starts");
    assert_eq!(events.meta.status.as_u16(), 200);
    let first = events.next().await.expect("an event").expect("decodes");
    assert_eq!(first.data, Tick::new(1));
    assert_eq!(first.event, "message");
    let second = events.next().await.expect("an event").expect("decodes");
    assert_eq!(second.event, "tick");
    assert_eq!(second.id, "2");
    assert_eq!(second.retry, Some(std::time::Duration::from_millis(1500)));
    assert_eq!(second.data.n, 2);
    assert_eq!(second.data.note.as_deref(), Some("two lines"));
    assert!(
        events.next().await.is_none(),
        "the stream ends when the server closes"
    );
}

#[tokio::test]
async fn text_events_are_kept_as_text() {
    let url = scripted(vec![
        "data: started\n\n",
        "data: line one\ndata: line two\n\n",
    ])
    .await;
    let events: Vec<String> = client(&url)
        .follow_log()
        .await
        .expect("the stream starts")
        .map(|e| e.expect("an event").data)
        .collect()
        .await;
    assert_eq!(events, ["started", "line one\nline two"]);
}

#[tokio::test]
async fn an_event_that_does_not_match_the_spec_is_a_decode_error_and_the_stream_goes_on() {
    let url = scripted(vec!["data: {\"n\":\"one\"}\n\n", "data: {\"n\":3}\n\n"]).await;
    let mut events = client(&url).watch_ticks().await.expect("the stream starts");
    let bad = events.next().await.expect("an item");
    assert!(
        matches!(&bad, Err(Error::Decode(e)) if e.path == "n"),
        "{bad:?}"
    );
    let good = events.next().await.expect("an event").expect("decodes");
    assert_eq!(good.data.n, 3);
}
