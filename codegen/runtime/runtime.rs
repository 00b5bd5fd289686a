//! The HTTP runtime every operation goes through: the client and its settings, building the URL
//! (each path parameter percent-encoded as exactly one segment), authentication, retries, tracing,
//! and classifying the response. Identical in every generated client.

use crate::auth::{AccessToken, ServerToServer, ServerToServerOAuth, StaticToken, TokenSource, DEFAULT_OAUTH_URL};
use crate::error::{ApiError, DecodeError, Error, ErrorBody};
use crate::retry::{parse_retry_after, RetryPolicy};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// A client of the API. Cheap to clone: clones share one connection pool, one token cache and one
/// configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    auth: Arc<dyn TokenSource>,
    use_api_url: bool,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// How the client authenticates.
#[derive(Clone)]
enum Auth {
    Static(String),
    ServerToServer(ServerToServer),
    Custom(Arc<dyn TokenSource>),
}

impl Client {
    /// A client that sends `access_token` as a bearer token to [`crate::DEFAULT_BASE_URL`], with
    /// the default timeouts and retry policy.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the HTTP client cannot be set up (no TLS backend).
    pub fn new(access_token: impl Into<String>) -> Result<Client, Error> {
        Client::builder(access_token).build()
    }

    /// Starts configuring a client that sends a fixed bearer token.
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder::with_auth(Auth::Static(access_token.into()))
    }

    /// Starts configuring a client that authenticates with Server-to-Server OAuth: it fetches a
    /// token from [`ClientBuilder::oauth_url`] (default `https://zoom.us/oauth/token`), caches
    /// it, fetches a new one shortly before it expires, and once more after a 401.
    pub fn server_to_server(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder::with_auth(Auth::ServerToServer(ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            oauth_url: DEFAULT_OAUTH_URL.to_string(),
        }))
    }

    /// Starts configuring a client whose tokens come from `source`.
    pub fn with_token_source(source: Arc<dyn TokenSource>) -> ClientBuilder {
        ClientBuilder::with_auth(Auth::Custom(source))
    }

    /// The base URL requests go to (before any `api_url` from the token endpoint).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The base URL for a request made with `token`: the token's `api_url` (with the configured
    /// base URL's path, e.g. `/v2`) when [`ClientBuilder::use_api_url`] is on.
    fn effective_base_url(&self, token: &AccessToken) -> String {
        match (&token.api_url, self.inner.use_api_url) {
            (Some(api_url), true) => {
                let path = reqwest::Url::parse(&self.inner.base_url)
                    .map(|u| u.path().trim_end_matches('/').to_string())
                    .unwrap_or_default();
                format!("{}{path}", api_url.trim_end_matches('/'))
            }
            _ => self.inner.base_url.clone(),
        }
    }

    /// Sends `request`, retrying as the policy and the options allow, and reads the body.
    pub(crate) async fn execute(&self, request: Request, options: &RequestOptions) -> Result<RawResponse, Error> {
        let operation = request.operation;
        match self.execute_with(request, options, true).await? {
            Received::Read(raw) => Ok(raw),
            Received::Unread(response) => read(operation, response).await,
        }
    }

    /// Sends `request`, retrying as the policy and the options allow. A success body is left
    /// unread unless `read_body`; error bodies are always read, since [`ApiError`] carries them.
    pub(crate) async fn execute_with(&self, request: Request, options: &RequestOptions, read_body: bool) -> Result<Received, Error> {
        let policy = &self.inner.retry;
        let max_attempts = options.max_attempts.unwrap_or(policy.max_attempts).max(1);
        let idempotent = !matches!(request.method, reqwest::Method::POST | reqwest::Method::PATCH);
        let may_retry = idempotent || options.retry_non_idempotent.unwrap_or(policy.retry_non_idempotent);
        let mut attempt = 0;
        let mut rejected: Option<String> = None;
        let mut refreshed = false;
        loop {
            attempt += 1;
            let token = self.inner.auth.token(rejected.as_deref()).await?;
            let span = tracing::debug_span!(
                "http_request",
                operation = request.operation,
                method = %request.method,
                path = request.path_template,
                attempt,
                status = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = async {
                let response = self.send_once(&request, &token, options).await?;
                if response.status().is_success() && !read_body {
                    return Ok(Received::Unread(response));
                }
                read(request.operation, response).await.map(Received::Read)
            }
            .instrument(span.clone())
            .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let response = match outcome {
                Ok(Received::Unread(response)) => {
                    span.record("status", response.status().as_u16());
                    return Ok(Received::Unread(response));
                }
                Ok(Received::Read(response)) => response,
                Err(e) => {
                    let retryable = matches!(&e, Error::Transport(_) | Error::Timeout(_));
                    if retryable && may_retry && attempt < max_attempts {
                        let delay = policy.backoff(attempt);
                        tracing::debug!(parent: &span, error = %e, ?delay, "retrying after a transport error");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(e);
                }
            };
            span.record("status", response.status.as_u16());
            if response.status.is_success() {
                return Ok(Received::Read(response));
            }
            let status = response.status.as_u16();
            if status == 401 && self.inner.auth.can_refresh() && !refreshed {
                // The token may have been revoked or expired early: one fresh token, one retry.
                refreshed = true;
                rejected = Some(token.token);
                attempt -= 1;
                tracing::debug!(parent: &span, "401 with a token believed valid; fetching a new one");
                continue;
            }
            let retry_after = response
                .headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            let retryable = matches!(status, 429 | 502 | 503 | 504);
            if retryable && may_retry && attempt < max_attempts {
                match retry_after {
                    Some(wait) if wait > policy.max_delay => {
                        return Err(api_error(response, &request, attempt, Some(wait)));
                    }
                    wait => {
                        let delay = wait.unwrap_or_else(|| policy.backoff(attempt));
                        tracing::debug!(parent: &span, status, ?delay, "retrying");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                }
            }
            return Err(api_error(response, &request, attempt, retry_after));
        }
    }

    async fn send_once(&self, request: &Request, token: &AccessToken, options: &RequestOptions) -> Result<reqwest::Response, Error> {
        let url = format!("{}{}", self.effective_base_url(token), request.path);
        let mut url = reqwest::Url::parse(&url).map_err(|e| Error::Config(format!("invalid request URL `{url}`: {e}")))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .bearer_auth(&token.token)
            .header(reqwest::header::ACCEPT, "application/json");
        let cookie = (!request.cookies.is_empty()).then(|| {
            let pairs: Vec<String> = request.cookies.iter().map(|(k, v)| format!("{k}={}", cookie_value(v))).collect();
            pairs.join("; ")
        });
        let headers = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_str()))
            .chain(cookie.as_deref().map(|c| ("cookie", c)));
        for (name, value) in headers {
            let (name, value) = parse_header(name, value)?;
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = body.apply(builder)?;
        }
        if let Some(timeout) = options.timeout {
            builder = builder.timeout(timeout);
        }
        let mut http_request = builder.build().map_err(Error::from_reqwest)?;
        // Extra headers replace what the client would send under the same name (`Accept`, the
        // body's `Content-Type`, …); the same name given twice in the options sends both.
        let mut replaced: Vec<reqwest::header::HeaderName> = Vec::new();
        for (name, value) in &options.headers {
            let (name, value) = parse_header(name, value)?;
            if !replaced.contains(&name) {
                replaced.push(name.clone());
                http_request.headers_mut().insert(name, value);
            } else {
                http_request.headers_mut().append(name, value);
            }
        }
        self.inner.http.execute(http_request).await.map_err(Error::from_reqwest)
    }
}

/// What a request got: a response read in full, or a success whose body is left to stream.
pub(crate) enum Received {
    Read(RawResponse),
    Unread(reqwest::Response),
}

/// Reads a response's body in full.
async fn read(operation: &'static str, response: reqwest::Response) -> Result<RawResponse, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::from_reqwest)?.to_vec();
    Ok(RawResponse { operation, status, headers, body })
}

/// A header name and value, or an error naming the header when either is not valid HTTP.
fn parse_header(name: &str, value: &str) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), Error> {
    let invalid = |what: &str| Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("is not a valid HTTP header {what}"),
    };
    let parsed = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
    let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid("value (control characters are not allowed)"))?;
    Ok((parsed, value))
}

fn api_error(response: RawResponse, request: &Request, attempts: u32, retry_after: Option<Duration>) -> Error {
    let error_body = serde_json::from_slice::<ErrorBody>(&response.body)
        .ok()
        .filter(|b| b.code.is_some() || b.message.is_some());
    let documented = request
        .errors
        .iter()
        .find(|(code, _)| *code == response.status.as_u16())
        .map(|(_, meaning)| *meaning);
    Error::Api(Box::new(ApiError {
        operation: request.operation,
        status: response.status,
        headers: response.headers,
        body: response.body,
        error_body,
        documented,
        retry_after,
        attempts,
    }))
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    auth: Auth,
    base_url: String,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    use_api_url: bool,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let auth = match &self.auth {
            Auth::Static(_) => "static bearer token".to_string(),
            Auth::ServerToServer(c) => format!("Server-to-Server OAuth via {}", c.oauth_url),
            Auth::Custom(source) => format!("{source:?}"),
        };
        f.debug_struct("ClientBuilder")
            .field("auth", &auth)
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("use_api_url", &self.use_api_url)
            .finish()
    }
}

impl ClientBuilder {
    fn with_auth(auth: Auth) -> ClientBuilder {
        ClientBuilder {
            auth,
            base_url: crate::DEFAULT_BASE_URL.to_string(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            use_api_url: false,
        }
    }

    /// Sends requests to `url` instead of [`crate::DEFAULT_BASE_URL`] (a trailing `/` is ignored).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How long one attempt may take, from sending to the end of the body (default 30 s);
    /// `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The Server-to-Server OAuth token endpoint (default `https://zoom.us/oauth/token`); only
    /// used by [`Client::server_to_server`] clients.
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        if let Auth::ServerToServer(c) = &mut self.auth {
            c.oauth_url = url.into();
        }
        self
    }

    /// Send requests to the `api_url` the token endpoint returns with a token, keeping the base
    /// URL's path (default off).
    pub fn use_api_url(mut self, on: bool) -> Self {
        self.use_api_url = on;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the base URL is not an absolute `http(s)` URL, or the HTTP client
    /// cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            Ok(_) => return Err(Error::Config(format!("base URL `{base_url}` must be an http(s) URL without a query"))),
            Err(e) => return Err(Error::Config(format!("base URL `{base_url}` is not a valid URL: {e}"))),
        }
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout);
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        let auth: Arc<dyn TokenSource> = match self.auth {
            Auth::Static(token) => Arc::new(StaticToken(token)),
            Auth::ServerToServer(credentials) => {
                if reqwest::Url::parse(&credentials.oauth_url).is_err() {
                    return Err(Error::Config(format!("OAuth URL `{}` is not a valid URL", credentials.oauth_url)));
                }
                Arc::new(ServerToServerOAuth::new(credentials, http.clone()))
            }
            Auth::Custom(source) => source,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                use_api_url: self.use_api_url,
                retry: self.retry,
            }),
        })
    }
}

/// Options for one request: extra headers, a timeout, retries.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    max_attempts: Option<u32>,
    retry_non_idempotent: Option<bool>,
}

impl RequestOptions {
    /// No options: the client's settings apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Sends an extra header. It replaces a header the client would send under the same name,
    /// so this also picks another `Accept`, or another `Content-Type` for a body the spec allows
    /// in several media types (say `application/merge-patch+json`). Given twice, the same name is
    /// sent twice.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
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
}

/// A decoded response body with its status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The decoded body.
    pub body: T,
    /// Status and headers.
    pub meta: ResponseMeta,
}

impl<T> ApiResponse<T> {
    /// The body, without status and headers.
    pub fn into_body(self) -> T {
        self.body
    }
}

/// The status and headers of a response.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
}

impl ResponseMeta {
    /// The rate-limit headers, where the server sent them.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The `x-zm-trackingid` header, which Zoom support asks for.
    pub fn tracking_id(&self) -> Option<&str> {
        header_str(&self.headers, "x-zm-trackingid")
    }
}

/// Rate-limit headers of a response; each is present only when the server sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Category` (e.g. `Light`, `Medium`, `Heavy`).
    pub category: Option<String>,
    /// `X-RateLimit-Type` (e.g. `QPS`, `Daily-limit`).
    pub limit_type: Option<String>,
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Reads the rate-limit headers from `headers`.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> RateLimit {
        RateLimit {
            category: header_str(headers, "x-ratelimit-category").map(str::to_string),
            limit_type: header_str(headers, "x-ratelimit-type").map(str::to_string),
            limit: header_str(headers, "x-ratelimit-limit").and_then(|v| v.trim().parse().ok()),
            remaining: header_str(headers, "x-ratelimit-remaining").and_then(|v| v.trim().parse().ok()),
        }
    }
}

pub(crate) fn header_str<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A request that an operation's builder has checked and encoded, ready for [`send`].
pub(crate) struct Prepared {
    pub client: Client,
    pub options: RequestOptions,
    pub request: Request,
}

/// Turns a response body into an operation's output; it is given the status and headers for
/// outputs that differ by status.
pub(crate) type Decode<T> = fn(&ResponseMeta, RawBody) -> Result<T, Error>;

/// Sends a prepared request and decodes the response.
///
/// Every operation sends through here. It is generic only over the output type, so an API with
/// thousands of operations compiles one such future per output type, not one per operation.
pub(crate) async fn send<T>(prepared: Result<Prepared, Error>, decode: Decode<T>) -> Result<ApiResponse<T>, Error> {
    let Prepared { client, options, request } = prepared?;
    let response = client.execute(request, &options).await?;
    let (meta, raw) = response.into_parts();
    let body = decode(&meta, raw)?;
    Ok(ApiResponse { body, meta })
}

/// Sends a prepared request whose success body is binary, and hands the body over as it arrives.
#[allow(dead_code)] // Only operations with binary responses stream.
pub(crate) async fn send_streaming(prepared: Result<Prepared, Error>) -> Result<ByteStream, Error> {
    let Prepared { client, options, request } = prepared?;
    let operation = request.operation;
    let response = match client.execute_with(request, &options, false).await? {
        Received::Unread(response) => response,
        Received::Read(raw) => {
            // Already read in full: hand it over as one chunk.
            let (meta, raw) = raw.into_parts();
            let chunk: Result<bytes::Bytes, Error> = Ok(raw.body.into());
            return Ok(ByteStream { meta, chunks: Box::pin(futures_util::stream::iter([chunk])) });
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
                tracing::debug!(operation, error = %e, "the response body broke off");
                Err(Error::from_reqwest(e))
            }
        }
    });
    Ok(ByteStream { meta, chunks: Box::pin(chunks) })
}

/// A binary response body, read as it arrives: a [`Stream`](futures_core::Stream) of chunks, so
/// a large download is never held in memory at once. The request's timeout (the client's, or the
/// one in [`RequestOptions`]) covers the whole download, so give a long download a long timeout.
pub struct ByteStream {
    /// Status and headers (`Content-Length`, `Content-Type`, rate limits, …).
    pub meta: ResponseMeta,
    chunks: std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, Error>> + Send>>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").field("meta", &self.meta).finish_non_exhaustive()
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

/// [`send`], keeping only the body.
pub(crate) async fn send_body<T>(prepared: Result<Prepared, Error>, decode: Decode<T>) -> Result<T, Error> {
    send(prepared, decode).await.map(ApiResponse::into_body)
}

/// Output of an operation whose success body is JSON.
#[allow(dead_code)] // Not every API has every kind of output.
pub(crate) fn json_output<T: serde::de::DeserializeOwned>(_: &ResponseMeta, raw: RawBody) -> Result<T, Error> {
    decode_json(raw)
}

/// Output of an operation whose success body is binary.
#[allow(dead_code)]
pub(crate) fn bytes_output(_: &ResponseMeta, raw: RawBody) -> Result<Vec<u8>, Error> {
    Ok(raw.body)
}

/// Output of an operation whose success body is text (invalid UTF-8 replaced).
#[allow(dead_code)]
pub(crate) fn text_output(_: &ResponseMeta, raw: RawBody) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(&raw.body).into_owned())
}

/// Output of an operation whose success response has no body.
#[allow(dead_code)]
pub(crate) fn empty_output(_: &ResponseMeta, _: RawBody) -> Result<(), Error> {
    Ok(())
}

/// One request, as an operation describes it.
pub(crate) struct Request {
    pub operation: &'static str,
    pub method: reqwest::Method,
    /// The path template, for tracing (never the filled-in path, which may hold identifiers).
    pub path_template: &'static str,
    pub path: String,
    pub query: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub headers: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub cookies: Vec<(std::borrow::Cow<'static, str>, String)>,
    pub body: Option<RequestBody>,
    /// Statuses the spec documents for the operation, with what they mean.
    pub errors: &'static [(u16, &'static str)],
}

/// A response, body read in full.
pub(crate) struct RawResponse {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Splits off status and headers.
    pub(crate) fn into_parts(self) -> (ResponseMeta, RawBody) {
        (
            ResponseMeta {
                status: self.status,
                headers: self.headers,
            },
            RawBody {
                operation: self.operation,
                status: self.status,
                body: self.body,
            },
        )
    }
}

/// A response body with what a decode error needs to name.
#[allow(dead_code)] // `operation` and `status` are only read by `decode_json`, which an API
                    // without JSON responses does not use.
pub(crate) struct RawBody {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub body: Vec<u8>,
}

/// Decodes a JSON body, naming the JSON path that did not match on failure.
#[allow(dead_code)] // Not every API has JSON responses.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(raw: RawBody) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&raw.body);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(e) => {
            let path = e.path().to_string();
            Err(Error::Decode(Box::new(DecodeError {
                operation: raw.operation,
                status: raw.status,
                path,
                message: e.into_inner().to_string(),
                body: raw.body,
            })))
        }
    }
}

/// A request body, kept as data so that every attempt can send it again.
#[allow(dead_code)] // Not every API uses every kind of body.
pub(crate) enum RequestBody {
    /// Serialized JSON, with its media type.
    Json(&'static str, Vec<u8>),
    /// `application/x-www-form-urlencoded` text.
    Form(String),
    /// `multipart/form-data` parts.
    Multipart(Vec<Part>),
    /// Bytes sent as they are, with their media type.
    Raw(&'static str, Vec<u8>),
}

/// One part of a multipart body.
#[allow(dead_code)] // Not every API has multipart bodies.
pub(crate) enum Part {
    /// A text part, with the content type the spec's `encoding` gives it.
    Text(&'static str, String, Option<&'static str>),
    /// A file part; the spec's content type applies when the file has none of its own.
    File(&'static str, FilePart, Option<&'static str>),
}

/// How a form field that is an array or an object is written, when the body's `encoding` says.
#[allow(dead_code)] // Not every API has such fields.
#[derive(Clone, Copy)]
pub(crate) enum FormStyle {
    /// `a=1,2`.
    Comma,
    /// `a=1 2`.
    Space,
    /// `a=1|2`.
    Pipe,
    /// `a[k]=v`.
    DeepObject,
}

#[allow(dead_code)] // Not every API uses every kind of body.
impl RequestBody {
    /// A JSON body.
    pub(crate) fn json<T: serde::Serialize>(media: &'static str, body: &T) -> Result<RequestBody, Error> {
        serde_json::to_vec(body).map(|bytes| RequestBody::Json(media, bytes)).map_err(|e| Error::InvalidRequest {
            parameter: "body".to_string(),
            message: format!("cannot be serialized as JSON: {e}"),
        })
    }

    /// A form body: each top-level field a pair; arrays repeat their key; nested objects are
    /// sent as JSON text.
    pub(crate) fn form<T: serde::Serialize>(body: &T, styles: &[(&str, FormStyle)]) -> Result<RequestBody, Error> {
        let invalid = |message: String| Error::InvalidRequest {
            parameter: "body".to_string(),
            message,
        };
        let value = serde_json::to_value(body).map_err(|e| invalid(format!("cannot be serialized: {e}")))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(invalid("a form body must be an object".to_string()));
        };
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut pairs = Vec::new();
        for (key, value) in &fields {
            let style = styles.iter().find(|(k, _)| k == key).map(|(_, s)| *s);
            match (value, style) {
                (serde_json::Value::Null, _) => {}
                (serde_json::Value::Array(items), Some(style @ (FormStyle::Comma | FormStyle::Space | FormStyle::Pipe))) => {
                    let separator = match style {
                        FormStyle::Space => " ",
                        FormStyle::Pipe => "|",
                        _ => ",",
                    };
                    let joined: Vec<String> = items.iter().map(text).collect();
                    pairs.push((key.clone(), joined.join(separator)));
                }
                (serde_json::Value::Array(items), _) => pairs.extend(items.iter().map(|item| (key.clone(), text(item)))),
                (serde_json::Value::Object(object), Some(FormStyle::DeepObject)) => {
                    pairs.extend(object.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (format!("{key}[{k}]"), text(v))));
                }
                (other, _) => pairs.push((key.clone(), text(other))),
            }
        }
        // The URL crate's form encoder, without a dependency of its own.
        let mut url = reqwest::Url::parse("http://form.invalid/").map_err(|e| invalid(e.to_string()))?;
        url.query_pairs_mut().extend_pairs(pairs);
        Ok(RequestBody::Form(url.query().unwrap_or_default().to_string()))
    }

    fn apply(&self, builder: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        use reqwest::header::CONTENT_TYPE;
        Ok(match self {
            RequestBody::Json(media, bytes) => builder.header(CONTENT_TYPE, *media).body(bytes.clone()),
            RequestBody::Form(text) => builder
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
            RequestBody::Raw(media, bytes) => builder.header(CONTENT_TYPE, *media).body(bytes.clone()),
            RequestBody::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    form = match part {
                        Part::Text(name, value, content_type) => {
                            let mut part = reqwest::multipart::Part::text(value.clone());
                            if let Some(content_type) = content_type {
                                part = part.mime_str(content_type).map_err(|_| Error::InvalidRequest {
                                    parameter: (*name).to_string(),
                                    message: format!("has an invalid content type `{content_type}`"),
                                })?;
                            }
                            form.part(*name, part)
                        }
                        Part::File(name, file, spec_content_type) => {
                            let mut part = reqwest::multipart::Part::bytes(file.bytes.clone()).file_name(file.file_name.clone());
                            if let Some(content_type) = file.content_type.as_deref().or(*spec_content_type) {
                                part = part.mime_str(content_type).map_err(|_| Error::InvalidRequest {
                                    parameter: (*name).to_string(),
                                    message: format!("has an invalid content type `{content_type}`"),
                                })?;
                            }
                            form.part(*name, part)
                        }
                    };
                }
                builder.multipart(form)
            }
        })
    }
}

/// A file to upload as one part of a `multipart/form-data` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FilePart {
    /// The file name sent with the part.
    pub file_name: String,
    /// The part's content type (default `application/octet-stream`).
    pub content_type: Option<String>,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file part with the given name and contents.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the part's content type, e.g. `video/mp4`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A cookie value with the bytes a `Cookie` header cannot carry percent-encoded.
fn cookie_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_graphic() && !matches!(byte, b'"' | b',' | b';' | b'\\' | b'%') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The query pairs of an object parameter: `key=value` for each field (`style: form`,
/// `explode: true`), or `name[key]=value` (`style: deepObject`). Nested values are JSON text.
#[allow(dead_code)] // Not every API has object parameters.
pub(crate) fn object_pairs<T: serde::Serialize>(name: Option<&str>, value: &T) -> Vec<(std::borrow::Cow<'static, str>, String)> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) else { return Vec::new() };
    fields
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let key = match name {
                Some(name) => format!("{name}[{k}]"),
                None => k,
            };
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (std::borrow::Cow::Owned(key), text)
        })
        .collect()
}

/// A parameter value that is not a scalar, as JSON text.
#[allow(dead_code)] // Not every API has such a parameter.
pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Percent-encodes a path parameter so that it stays exactly one path segment: every byte but
/// ASCII letters, digits and `-._~` is encoded, and values that a URL parser would still read as
/// something else (empty, `.`, `..`) are refused.
#[allow(dead_code)] // Not every API has path parameters.
pub(crate) fn path_segment(name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidRequest {
            parameter: name.to_string(),
            message: format!("cannot be {value:?}: as a path segment it would change which resource is addressed"),
        });
    }
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(out)
}

/// Checks a lower bound from the spec.
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn check_minimum<T: PartialOrd + std::fmt::Display>(name: &str, value: T, bound: T, exclusive: bool) -> Result<(), Error> {
    let ok = if exclusive { value > bound } else { value >= bound };
    if ok {
        return Ok(());
    }
    let relation = if exclusive { "greater than" } else { "at least" };
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be {relation} {bound}, got {value}"),
    })
}

/// Checks an upper bound from the spec.
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn check_maximum<T: PartialOrd + std::fmt::Display>(name: &str, value: T, bound: T, exclusive: bool) -> Result<(), Error> {
    let ok = if exclusive { value < bound } else { value <= bound };
    if ok {
        return Ok(());
    }
    let relation = if exclusive { "less than" } else { "at most" };
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be {relation} {bound}, got {value}"),
    })
}

/// Checks `minLength` (in characters).
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn check_min_length(name: &str, value: &str, min: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len >= min {
        return Ok(());
    }
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be at least {min} characters long, got {len}"),
    })
}

/// Checks `maxLength` (in characters).
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn check_max_length(name: &str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len <= max {
        return Ok(());
    }
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be at most {max} characters long, got {len}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_parameters_become_pairs() {
        let value = serde_json::json!({"owner": "me", "size": 3, "gone": null, "nested": {"a": 1}});
        let pairs = |name| {
            let mut pairs: Vec<String> = object_pairs(name, &value).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.sort();
            pairs
        };
        assert_eq!(pairs(Some("filter")), ["filter[nested]={\"a\":1}", "filter[owner]=me", "filter[size]=3"]);
        assert_eq!(pairs(None), ["nested={\"a\":1}", "owner=me", "size=3"]);
    }

    #[test]
    fn form_fields_follow_their_encoding() {
        let body = serde_json::json!({"a": [1, 2], "b": ["x", "y"], "c": {"k": "v"}, "d": [3, 4]});
        let styles = [("a", FormStyle::Comma), ("b", FormStyle::Pipe), ("c", FormStyle::DeepObject)];
        let Ok(RequestBody::Form(text)) = RequestBody::form(&body, &styles) else { panic!("a form") };
        let mut pairs: Vec<&str> = text.split('&').collect();
        pairs.sort();
        assert_eq!(pairs, ["a=1%2C2", "b=x%7Cy", "c%5Bk%5D=v", "d=3", "d=4"]);
    }

    #[test]
    fn cookie_values_cannot_break_the_header() {
        assert_eq!(cookie_value("abc-123"), "abc-123");
        assert_eq!(cookie_value("a; b=c, \"d\"%"), "a%3B%20b=c%2C%20%22d%22%25");
    }

    #[test]
    fn path_segments_stay_one_segment() {
        assert_eq!(path_segment("p", "a/b?c#d e").ok().as_deref(), Some("a%2Fb%3Fc%23d%20e"));
        assert!(path_segment("p", "..").is_err());
    }
}
