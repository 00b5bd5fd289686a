//! Uploads `MIB` MiB (default 1024) with `servers-client`'s `put_blob` to a local server that
//! reads and discards them, for `cargo xtask bench` to measure the process's peak memory:
//!
//! ```sh
//! cargo run --release -p client-tests --example upload_memory -- stream 1024
//! cargo run --release -p client-tests --example upload_memory -- memory 1024
//! ```
//!
//! `stream` sends a stream of 64 KiB chunks (`UploadBody::from_stream_fn`, with its length);
//! `memory`, the baseline, sends the same number of bytes from one `Vec<u8>`. On Linux it ends
//! by printing its peak resident memory (`VmHWM` of `/proc/self/status`) on stderr.

use futures_util::stream;
use servers_client::{Client, UploadBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHUNK: usize = 64 * 1024;
static ZEROS: [u8; CHUNK] = [0; CHUNK];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "stream".into());
    let mib: u64 = match args.next() {
        Some(text) => text.parse()?,
        None => 1024,
    };
    let size = mib * 1024 * 1024;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(discard_one(listener));
    let body = match mode.as_str() {
        "stream" => UploadBody::from_stream_fn(Some(size), move || {
            Box::pin(stream::unfold(size, |left| async move {
                (left > 0).then(|| {
                    let n = left.min(CHUNK as u64);
                    (
                        Ok(bytes::Bytes::from_static(&ZEROS[..n as usize])),
                        left - n,
                    )
                })
            }))
        }),
        // Not zeros: a zeroed allocation would stay untouched, and out of the resident set.
        "memory" => UploadBody::from(vec![7u8; usize::try_from(size)?]),
        other => return Err(format!("mode `{other}`: stream or memory").into()),
    };
    let client = Client::builder().base_url(url).build()?;
    client.put_blob("bench", body).await?;
    let received = server.await??;
    if received != size {
        return Err(format!("the server read {received} bytes, not {size}").into());
    }
    eprintln!("uploaded {mib} MiB ({mode})");
    // The process's own peak, which `wait4` cannot give when the parent's memory was larger:
    // a spawned child's `ru_maxrss` starts at its parent's peak.
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// Accepts one request, reads its head and then exactly `Content-Length` bytes into a small
/// buffer, answers 201, and returns how many body bytes it read.
async fn discard_one(listener: tokio::net::TcpListener) -> std::io::Result<u64> {
    let (mut socket, _) = listener.accept().await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await? == 0 {
            return Ok(0);
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let length: u64 = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut buffer = vec![0u8; CHUNK];
    let mut read = 0;
    while read < length {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        read += n as u64;
    }
    socket
        .write_all(b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await?;
    Ok(read)
}
