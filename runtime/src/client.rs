//! The client, per-request options, and the loop every request goes through: credentials
//! chosen by the operation's `security`, the user's default headers and hooks, retries with
//! backoff and `Retry-After`, one token refresh after a 401, tracing, and classifying the
//! response. The client is configured and built in `builder`. Identical in every generated
//! client.

use crate::auth::{apply, can_refresh, Credentials};
use crate::error::{ApiError, Error};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::send::RequestOptions;
use crate::wire::{cookie_value, RawResponse, Request};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// A client of the API. Cheap to clone: clones share one connection pool, one token cache and one
/// configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What a client is made of; [`crate::builder::ClientBuilder::build`] assembles it.
#[doc(hidden)]
pub struct Inner {
    pub(crate) http: reqwest::Client,
    /// The user's middleware stack, which sends the requests instead of `http` when set.
    #[cfg(feature = "middleware")]
    pub(crate) middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) default_headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) use_api_url: bool,
    pub(crate) retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &crate::error::redact_str(&self.inner.base_url))
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .finish()
    }
}

/// One attempt at sending a request, as a [`Hook`] sees it.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The operationId.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The path template (never the filled-in path, which may hold identifiers).
    pub path_template: &'static str,
    /// 1 for the first attempt of a request, counting every retry and the resend after a token
    /// refresh.
    pub number: u32,
}

/// How an attempt ended, as a [`Hook`] sees it.
#[derive(Debug)]
pub enum AttemptOutcome<'a> {
    /// The server answered, with any status.
    Response {
        /// The status.
        status: reqwest::StatusCode,
        /// The response headers.
        headers: &'a reqwest::header::HeaderMap,
        /// From sending to the end of the body (to the headers, for a streamed download).
        latency: Duration,
    },
    /// The attempt failed before a response arrived (connection, timeout).
    Failed {
        /// What went wrong.
        error: &'a Error,
        /// How long it took to fail.
        latency: Duration,
    },
}

/// Code run around every attempt of every request: to propagate a trace context, record
/// metrics, or keep an audit log. Both methods do nothing by default.
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent, with the request as it will go out but for the credentials,
    /// which the client adds after the hooks ran: a hook may log the request's URL and headers
    /// without leaking a secret. It may add headers.
    fn before_attempt(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        let _ = (attempt, request);
    }

    /// After an attempt got a response or failed.
    fn after_attempt(&self, attempt: &Attempt, outcome: &AttemptOutcome<'_>) {
        let _ = (attempt, outcome);
    }
}

/// A shared hook, so that the code that added it can keep reading what it records.
impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before_attempt(&self, attempt: &Attempt, request: &mut reqwest::Request) {
        (**self).before_attempt(attempt, request);
    }

    fn after_attempt(&self, attempt: &Attempt, outcome: &AttemptOutcome<'_>) {
        (**self).after_attempt(attempt, outcome);
    }
}

impl Client {
    /// The base URL requests go to (before any `api_url` from a token endpoint).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The base URL for a request: the token's `api_url` (with the configured base URL's path)
    /// when the client was told to use it.
    fn effective_base_url(&self, api_url: Option<&str>) -> std::borrow::Cow<'_, str> {
        match (api_url, self.inner.use_api_url) {
            (Some(api_url), true) => {
                let path = reqwest::Url::parse(&self.inner.base_url)
                    .map(|u| u.path().trim_end_matches('/').to_string())
                    .unwrap_or_default();
                format!("{}{path}", api_url.trim_end_matches('/')).into()
            }
            _ => self.inner.base_url.as_str().into(),
        }
    }

    /// Sends `request`, retrying as the policy and the options allow, and reads the body.
    #[doc(hidden)]
    pub async fn execute(
        &self,
        request: Request,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        let operation = request.operation;
        match self.execute_with(request, options, true).await? {
            Received::Read(raw) => Ok(raw),
            Received::Unread(response) => read(operation, response).await,
        }
    }

    /// Sends `request`, retrying as the policy and the options allow. A success body is left
    /// unread unless `read_body`; error bodies are always read, since [`ApiError`] carries them.
    #[doc(hidden)]
    pub async fn execute_with(
        &self,
        request: Request,
        options: &RequestOptions,
        read_body: bool,
    ) -> Result<Received, Error> {
        let policy = &self.inner.retry;
        let max_attempts = options.max_attempts.unwrap_or(policy.max_attempts).max(1);
        let idempotent = !matches!(
            request.method,
            reqwest::Method::POST | reqwest::Method::PATCH
        );
        // A body streamed once cannot be sent again: no retry, no resend after a fresh token.
        let repeatable = request
            .body
            .as_ref()
            .is_none_or(crate::wire::RequestBody::is_repeatable);
        let may_retry = repeatable
            && (idempotent
                || options
                    .retry_non_idempotent
                    .unwrap_or(policy.retry_non_idempotent));
        let selected = self.inner.credentials.select(request.security);
        let mut attempt = 0;
        let mut sent = 0;
        let mut rejected: Vec<(&'static str, String)> = Vec::new();
        let mut refreshed = false;
        loop {
            attempt += 1;
            sent += 1;
            let applied = apply(&selected, &rejected).await?;
            let info = Attempt {
                operation: request.operation,
                method: request.method.clone(),
                path_template: request.path_template,
                number: sent,
            };
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
                let response = self.send_once(&request, &applied, options, &info).await?;
                if response.status().is_success() && !read_body {
                    return Ok(Received::Unread(response));
                }
                read(request.operation, response).await.map(Received::Read)
            }
            .instrument(span.clone())
            .await;
            let latency = started.elapsed();
            span.record("latency_ms", latency.as_millis() as u64);
            let seen = match &outcome {
                Ok(Received::Unread(r)) => AttemptOutcome::Response {
                    status: r.status(),
                    headers: r.headers(),
                    latency,
                },
                Ok(Received::Read(r)) => AttemptOutcome::Response {
                    status: r.status,
                    headers: &r.headers,
                    latency,
                },
                Err(error) => AttemptOutcome::Failed { error, latency },
            };
            for hook in &self.inner.hooks {
                hook.after_attempt(&info, &seen);
            }
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
            if status == 401 && !refreshed && repeatable && can_refresh(&selected) {
                // A token may have been revoked or expired early: fresh tokens, one retry.
                refreshed = true;
                rejected = applied.tokens;
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

    async fn send_once(
        &self,
        request: &Request,
        applied: &crate::auth::Applied,
        options: &RequestOptions,
        info: &Attempt,
    ) -> Result<reqwest::Response, Error> {
        let base = self.effective_base_url(applied.api_url.as_deref());
        let (mut url, own_query) = match &options.next_url {
            // A next page's URL carries its own query; it must stay on the client's host, where
            // the credentials belong.
            Some(next) => (next_page_url(&base, next)?, &[][..]),
            None => {
                let url = format!("{base}{}", request.path);
                let url = reqwest::Url::parse(&url)
                    .map_err(|e| Error::Config(format!("invalid request URL `{url}`: {e}")))?;
                (url, request.query.as_slice())
            }
        };
        if !own_query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(own_query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(reqwest::header::ACCEPT, request.accept);
        let cookies: Vec<String> = request
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={}", cookie_value(v)))
            .collect();
        let cookie = (!cookies.is_empty()).then(|| cookies.join("; "));
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
        // The client's default headers, then the request's own, each replace what the client
        // would send under the same name (`Accept`, the body's `Content-Type`, …); the same name
        // given twice in one list sends both.
        let mut replaced: Vec<&reqwest::header::HeaderName> = Vec::new();
        for extra in [&self.inner.default_headers, &options.headers] {
            let mut replaced_here: Vec<&reqwest::header::HeaderName> = Vec::new();
            for (name, value) in extra {
                let mut value = value.clone();
                if is_secret_header(name) {
                    value.set_sensitive(true);
                }
                if replaced_here.contains(&name) {
                    http_request.headers_mut().append(name, value);
                } else {
                    replaced_here.push(name);
                    http_request.headers_mut().insert(name, value);
                }
            }
            replaced.extend(replaced_here);
        }
        // Hooks see the request before the credentials go in, so nothing a hook logs (its
        // URL, its headers) can hold a secret.
        for hook in &self.inner.hooks {
            hook.before_attempt(info, &mut http_request);
        }
        attach_credentials(&mut http_request, applied, &replaced)?;
        let mut response = self.send_http(http_request).await?;
        hide_secret_headers(response.headers_mut());
        Ok(response)
    }
}

impl Client {
    /// Sends one attempt: through the user's middleware stack when there is one (feature
    /// `middleware`), else through the HTTP client.
    async fn send_http(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
        #[cfg(feature = "middleware")]
        if let Some(stack) = &self.inner.middleware {
            return stack.execute(request).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => Error::from_reqwest(e),
                reqwest_middleware::Error::Middleware(e) => Error::Middleware(format!("{e:#}")),
            });
        }
        self.inner
            .http
            .execute(request)
            .await
            .map_err(Error::from_reqwest)
    }
}

/// Adds what the selected credentials put on a request: their headers (marked sensitive, so
/// `Debug` output shows no value), their query pairs and their cookies. A header the user set
/// under the same name (a default header, a request option) is left as the user set it.
fn attach_credentials(
    http_request: &mut reqwest::Request,
    applied: &crate::auth::Applied,
    replaced: &[&reqwest::header::HeaderName],
) -> Result<(), Error> {
    if !applied.query.is_empty() {
        http_request
            .url_mut()
            .query_pairs_mut()
            .extend_pairs(applied.query.iter().map(|(k, v)| (*k, v.as_str())));
    }
    for (name, value) in &applied.headers {
        let (name, mut value) = parse_header(name, value)?;
        if replaced.contains(&&name) {
            continue;
        }
        value.set_sensitive(true);
        // Appended: two schemes of one requirement may share a header (an API key and a bearer
        // token, both in `Authorization`), and both are sent.
        http_request.headers_mut().append(name, value);
    }
    if !applied.cookies.is_empty() {
        let headers = http_request.headers_mut();
        let mut cookie: Vec<String> = headers
            .get(reqwest::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .into_iter()
            .collect();
        cookie.extend(
            applied
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={}", cookie_value(v))),
        );
        let (name, mut value) = parse_header("cookie", &cookie.join("; "))?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    Ok(())
}

/// Names of headers that carry a credential whole (header names compare in lowercase). The
/// generator reads this list, and [`SECRET_HEADER_PARTS`], from this source, to hide the same
/// parameters in a request builder's `Debug` output.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Parts of header names that say the value is a credential (`X-Api-Key`, `X-Session-Token`).
const SECRET_HEADER_PARTS: [&str; 7] = [
    "api-key",
    "api_key",
    "apikey",
    "token",
    "secret",
    "session",
    "signature",
];

/// Whether a header usually carries a credential, so its value is hidden from `Debug` output.
#[doc(hidden)]
pub fn is_secret_header(name: &reqwest::header::HeaderName) -> bool {
    let name = name.as_str();
    SECRET_HEADERS.contains(&name) || SECRET_HEADER_PARTS.iter().any(|part| name.contains(part))
}

/// Marks the values of headers that usually carry a credential as sensitive, so `Debug` output
/// of the headers (an [`ApiError`]'s, a hook's view of a response) shows no value.
#[doc(hidden)]
pub fn hide_secret_headers(headers: &mut reqwest::header::HeaderMap) {
    for (name, value) in headers.iter_mut() {
        if is_secret_header(name) {
            value.set_sensitive(true);
        }
    }
}

/// The URL of a next page (absolute, or relative to the base URL), refused unless it is on the
/// base URL's scheme, host and port.
pub(crate) fn next_page_url(base: &str, next: &str) -> Result<reqwest::Url, Error> {
    let base = reqwest::Url::parse(base)
        .map_err(|e| Error::Config(format!("invalid base URL `{base}`: {e}")))?;
    let url = base.join(next).map_err(|e| {
        Error::Pagination(format!(
            "the next page's URL `{}` is not a URL: {e}",
            crate::error::redact_str(next)
        ))
    })?;
    if url.scheme() != base.scheme()
        || url.host_str() != base.host_str()
        || url.port_or_known_default() != base.port_or_known_default()
    {
        return Err(Error::Pagination(format!(
            "the next page's URL `{}` is not on the client's host; not following it with the client's credentials",
            crate::error::redact_url(&url)
        )));
    }
    Ok(url)
}

/// What a request got: a response read in full, or a success whose body is left to stream.
#[doc(hidden)]
pub enum Received {
    Read(RawResponse),
    Unread(reqwest::Response),
}

/// Reads a response's body in full.
async fn read(
    operation: &'static str,
    mut response: reqwest::Response,
) -> Result<RawResponse, Error> {
    let status = response.status();
    // Taken, not copied: reading the body no longer needs them.
    let headers = std::mem::take(response.headers_mut());
    // `Vec::from` takes the buffer over without copying when reqwest read the body into one.
    let body = Vec::from(response.bytes().await.map_err(Error::from_reqwest)?);
    Ok(RawResponse {
        operation,
        status,
        headers,
        body,
    })
}

/// A header name and value, or an error naming the header when either is not valid HTTP.
#[doc(hidden)]
pub fn parse_header(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), Error> {
    let invalid = |what: &str| Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("is not a valid HTTP header {what}"),
    };
    let parsed =
        reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
    let value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| invalid("value (control characters are not allowed)"))?;
    Ok((parsed, value))
}

fn api_error(
    response: RawResponse,
    request: &Request,
    attempts: u32,
    retry_after: Option<Duration>,
) -> Error {
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
        documented,
        retry_after,
        attempts,
    }))
}
