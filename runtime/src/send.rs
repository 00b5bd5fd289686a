//! How an operation sends: the options of one request, the request its builder prepared, and
//! the futures its `send()` and `send_with_meta()` return (one boxed future type for every
//! operation), or the byte stream of `send_streaming()`. The loop that sends each attempt is in
//! `client`. Identical in every generated client.

use crate::client::{parse_header, Client, Received};
use crate::error::Error;
use crate::wire::{ApiResponse, ByteStream, Decode, RawResponse, Request, ResponseMeta};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Options for one request: extra headers, a timeout, retries.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    invalid_header: Option<String>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_attempts: Option<u32>,
    pub(crate) retry_non_idempotent: Option<bool>,
    /// The absolute URL of a next page, which replaces the operation's path and query.
    pub(crate) next_url: Option<String>,
}

impl RequestOptions {
    /// No options: the client's settings apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Sends the request to `url`, a next page's absolute URL, instead of the operation's path
    /// and query (for the generated page streams, which may live in another crate than this
    /// module when the runtime crate is shared).
    #[doc(hidden)]
    pub fn set_next_url(&mut self, url: Option<String>) {
        self.next_url = url;
    }

    /// Sends an extra header. It replaces a header the client would send under the same name,
    /// so this also picks another `Accept`, or another `Content-Type` for a body the spec allows
    /// in several media types (say `application/merge-patch+json`). Given twice, the same name is
    /// sent twice. A name or value that is not valid HTTP fails the request with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match parse_header(&name, &value) {
            Ok(pair) => self.headers.push(pair),
            Err(_) => self.invalid_header = self.invalid_header.or(Some(name)),
        }
        self
    }

    /// The timeout of each attempt of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Attempts in all for this request (1 turns retries off).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Retry this request even if it is a POST or PATCH.
    pub fn retry_non_idempotent(mut self, on: bool) -> Self {
        self.retry_non_idempotent = Some(on);
        self
    }

    /// The error for a header given here that is not valid HTTP.
    fn check(&self) -> Result<(), Error> {
        match &self.invalid_header {
            Some(name) => Err(Error::InvalidRequest {
                parameter: name.clone(),
                message: "is not a valid HTTP header (name, or a value with control characters)"
                    .to_string(),
            }),
            None => Ok(()),
        }
    }
}

/// A request that an operation's builder has checked and encoded, ready for [`send`].
#[doc(hidden)]
pub struct Prepared {
    pub client: Client,
    pub options: RequestOptions,
    pub request: Request,
}

/// A request in flight, not yet decoded: one boxed future type for every operation, so rustc
/// proves it `Send` once, not once per operation.
type InFlight = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send>>;

impl Prepared {
    /// The request, once its options pass their checks.
    fn checked(prepared: Result<Prepared, Error>) -> Result<Prepared, Error> {
        let prepared = prepared?;
        prepared.options.check()?;
        Ok(prepared)
    }
}

fn start(prepared: Result<Prepared, Error>) -> InFlight {
    Box::pin(async move {
        let Prepared {
            client,
            options,
            request,
        } = Prepared::checked(prepared)?;
        client.execute(request, &options).await
    })
}

/// The future of an operation's `send()` (and of `.await` on its request builder): the request
/// in flight, then its body decoded into `T`. It is `Send` and `'static`, so it can be spawned.
#[must_use = "a future does nothing unless it is awaited"]
pub struct ResponseFuture<T>(MetaFuture<T>);

impl<T> ResponseFuture<T> {
    #[doc(hidden)]
    pub fn new(prepared: Result<Prepared, Error>, decode: Decode<T>) -> Self {
        ResponseFuture(MetaFuture::new(prepared, decode))
    }
}

impl<T> Future for ResponseFuture<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.get_mut().0)
            .poll(cx)
            .map(|response| response.map(ApiResponse::into_body))
    }
}

impl<T> std::fmt::Debug for ResponseFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseFuture")
    }
}

/// The future of an operation's `send_with_meta()`: as [`ResponseFuture`], with the response's
/// status and headers beside the body.
#[must_use = "a future does nothing unless it is awaited"]
pub struct MetaFuture<T> {
    inflight: InFlight,
    decode: Decode<T>,
}

impl<T> MetaFuture<T> {
    #[doc(hidden)]
    pub fn new(prepared: Result<Prepared, Error>, decode: Decode<T>) -> Self {
        MetaFuture {
            inflight: start(prepared),
            decode,
        }
    }
}

impl<T> Future for MetaFuture<T> {
    type Output = Result<ApiResponse<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.inflight.as_mut().poll(cx).map(|received| {
            let (meta, raw) = received?.into_parts();
            match (this.decode)(&meta, raw) {
                Ok(body) => Ok(ApiResponse { body, meta }),
                Err(Error::Decode(mut e)) => {
                    e.headers = meta.headers;
                    Err(Error::Decode(e))
                }
                Err(e) => Err(e),
            }
        })
    }
}

impl<T> std::fmt::Debug for MetaFuture<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetaFuture")
    }
}

/// Sends a prepared request whose success body is binary, and hands the body over as it arrives.
#[allow(dead_code)] // Only operations with binary responses stream.
#[doc(hidden)]
pub async fn send_streaming(prepared: Result<Prepared, Error>) -> Result<ByteStream, Error> {
    let Prepared {
        client,
        options,
        request,
    } = Prepared::checked(prepared)?;
    let operation = request.operation;
    let response = match client.execute_with(request, &options, false).await? {
        Received::Unread(response) => response,
        Received::Read(raw) => {
            // Already read in full: hand it over as one chunk.
            let (meta, raw) = raw.into_parts();
            return Ok(ByteStream::whole(meta, raw.body));
        }
    };
    let meta = ResponseMeta {
        status: response.status(),
        headers: response.headers().clone(),
    };
    let chunks = futures_util::stream::try_unfold(response, move |mut response| async move {
        match response.chunk().await {
            Ok(Some(chunk)) => Ok(Some((chunk, response))),
            Ok(None) => Ok(None),
            Err(e) => {
                let e = Error::from_reqwest(e);
                tracing::debug!(operation, error = %e, "the response body broke off");
                Err(e)
            }
        }
    });
    Ok(ByteStream::new(meta, Box::pin(chunks)))
}
