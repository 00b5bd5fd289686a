//! Server-sent events: a `text/event-stream` response read as a stream of events as they
//! arrive, each `data:` decoded as the operation's item type when the spec gives it as JSON, and
//! kept as text otherwise. The parsing (events split across chunks, multi-line `data:`, comments,
//! `id:` and `retry:`) is `eventsource-stream`'s. Included in crates with such an operation.

use crate::error::{DecodeError, Error};
use crate::send::Prepared;
use crate::wire::{RawBody, ResponseMeta};
use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::StreamExt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One event of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent<T> {
    /// Its `event:` field; `message`, the default type, when the server sent none.
    pub event: String,
    /// Its `data:` lines, decoded.
    pub data: T,
    /// Its `id:` field; empty when the server sent none.
    pub id: String,
    /// Its `retry:` field: how long the server asks a client to wait before reconnecting.
    pub retry: Option<std::time::Duration>,
}

/// The events of a response as they arrive, with the response's status and headers. A
/// `Stream` of [`ServerEvent`]s; an item is an error when an event's data does not decode or
/// the connection breaks off. It ends when the server closes the response.
pub struct EventStream<T> {
    /// Status and headers.
    pub meta: ResponseMeta,
    events: Pin<Box<dyn futures_core::Stream<Item = Result<ServerEvent<T>, Error>> + Send>>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = Result<ServerEvent<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.as_mut().poll_next(cx)
    }
}

/// How an event's `data:` becomes the item type: [`crate::wire::decode_json`] for JSON,
/// [`text_data`] for text.
#[doc(hidden)]
pub type DecodeData<T> = fn(RawBody) -> Result<T, Error>;

/// An event's `data:` as text.
#[doc(hidden)]
pub fn text_data(raw: RawBody) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(&raw.body).into_owned())
}

/// Sends the request (with retries, credentials and error decoding, as any other) and hands
/// its response over as events, decoding each `data:` with `decode`.
#[doc(hidden)]
pub async fn send_events<T: Send + 'static>(
    prepared: Result<Prepared, Error>,
    decode: DecodeData<T>,
) -> Result<EventStream<T>, Error> {
    let operation = prepared.as_ref().map_or("", |p| p.request.operation);
    let bytes = crate::send::send_streaming(prepared).await?;
    let meta = bytes.meta.clone();
    let status = meta.status;
    let events = bytes.eventsource().map(move |item| match item {
        Ok(event) => {
            let raw = RawBody {
                operation,
                status,
                body: event.data.into_bytes(),
            };
            decode(raw).map(|data| ServerEvent {
                event: event.event,
                data,
                id: event.id,
                retry: event.retry,
            })
        }
        Err(EventStreamError::Transport(e)) => Err(e),
        Err(EventStreamError::Utf8(e)) => Err(not_events(operation, status, e.to_string())),
        Err(EventStreamError::Parser(e)) => Err(not_events(operation, status, e.to_string())),
    });
    Ok(EventStream {
        meta,
        events: Box::pin(events),
    })
}

/// The error for a body that is not an event stream.
fn not_events(operation: &'static str, status: reqwest::StatusCode, message: String) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation,
        status,
        path: String::new(),
        message: format!("not a `text/event-stream`: {message}"),
        body: Vec::new(),
        headers: reqwest::header::HeaderMap::new(),
    }))
}
