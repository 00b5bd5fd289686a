//! The crate's one error type, and the pieces of an API error response.
//!
//! Depends on nothing else in the runtime, so every other module can use it.
//!
//! No error carries a secret: every URL an error shows (reqwest's own included) has its query
//! values and any password replaced by [`REDACTED`], since an API key or a token may travel in
//! the query string.

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A parameter breaks a constraint of the spec; nothing was sent.
    InvalidRequest {
        /// The parameter's name on the wire.
        parameter: String,
        /// Which constraint, and the value that broke it.
        message: String,
    },
    /// The client is misconfigured (no or an invalid base URL, TLS setup).
    Config(String),
    /// No access token could be had (the token endpoint failed or could not be reached).
    Auth(Box<AuthError>),
    /// The server could not be reached, or the connection broke.
    Transport(reqwest::Error),
    /// The request or connection timed out.
    Timeout(reqwest::Error),
    /// The server answered with a non-success status.
    Api(Box<ApiError>),
    /// A success response's body does not match the spec.
    Decode(Box<DecodeError>),
    /// Pagination cannot go on (the server repeated a page token).
    Pagination(String),
    /// A layer of the user's `reqwest_middleware` stack failed (feature `middleware`).
    Middleware(String),
}

/// What stands in for a value left out of a URL the client shows.
#[doc(hidden)]
pub const REDACTED: &str = "REDACTED";

/// `url` as the client shows it in errors and logs: each query value and the password, if any,
/// replaced by [`REDACTED`]. Query names stay, so the message still says which parameters went.
#[doc(hidden)]
pub fn redact_url(url: &reqwest::Url) -> reqwest::Url {
    let mut shown = url.clone();
    if url.password().is_some() {
        let _ = shown.set_password(Some(REDACTED));
    }
    if url.query().is_some() {
        let names: Vec<String> = url
            .query_pairs()
            .map(|(name, _)| name.into_owned())
            .collect();
        shown.set_query(None);
        if !names.is_empty() {
            let mut pairs = shown.query_pairs_mut();
            for name in &names {
                pairs.append_pair(name, REDACTED);
            }
        }
    }
    shown
}

/// [`redact_url`] for a URL given as text; text that is not a URL loses everything from its `?`.
#[doc(hidden)]
pub fn redact_str(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(parsed) => redact_url(&parsed).to_string(),
        Err(_) => match url.split_once('?') {
            Some((before, _)) => format!("{before}?{REDACTED}"),
            None => url.to_string(),
        },
    }
}

/// A reqwest error with the URL it carries redacted ([`redact_url`]).
#[doc(hidden)]
pub fn redact_reqwest(e: reqwest::Error) -> reqwest::Error {
    match e.url().map(redact_url) {
        Some(shown) => e.with_url(shown),
        None => e,
    }
}

impl Error {
    /// The error for a failure of reqwest's, its URL redacted.
    #[doc(hidden)]
    pub fn from_reqwest(e: reqwest::Error) -> Error {
        let e = redact_reqwest(e);
        if e.is_timeout() {
            Error::Timeout(e)
        } else {
            Error::Transport(e)
        }
    }

    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) | Error::Timeout(e) => e.status(),
            Error::Auth(e) => e.status,
            Error::InvalidRequest { .. }
            | Error::Config(_)
            | Error::Pagination(_)
            | Error::Middleware(_) => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::InvalidRequest { parameter, message } => {
                write!(f, "invalid request: `{parameter}` {message}")
            }
            Error::Config(message) => write!(f, "client configuration: {message}"),
            Error::Auth(e) => e.fmt(f),
            Error::Pagination(message) => write!(f, "pagination: {message}"),
            Error::Middleware(message) => write!(f, "middleware: {message}"),
            Error::Transport(e) => write!(f, "transport error: {}", with_causes(e)),
            Error::Timeout(e) => write!(f, "timed out: {}", with_causes(e)),
            Error::Api(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
        }
    }
}

/// An error and its chain of causes, `: `-separated (reqwest's own message leaves out why a
/// connection failed).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            _ => None,
        }
    }
}

/// A non-success response.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The operationId of the request.
    pub operation: &'static str,
    /// The status.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
    /// What the spec says this status means for this operation.
    pub documented: Option<&'static str>,
    /// How long the server asked to wait (`Retry-After`), when it said so. Set when the wait was
    /// longer than the retry policy's `max_delay`, so the request was not retried.
    pub retry_after: Option<std::time::Duration>,
    /// Attempts made, the first one included.
    pub attempts: u32,
}

impl ApiError {
    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// A response header as text, when present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Decodes the body as JSON into `T`: the error schema the spec documents for this status
    /// (each operation's docs name it), or any type of your own. The raw body stays in
    /// [`ApiError::body`].
    ///
    /// # Errors
    ///
    /// The `serde_json` error when the body is not JSON of that shape.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        match summary(&self.body) {
            Some(summary) => write!(f, "{summary}")?,
            None if !self.body.is_empty() => {
                let text = self.body_text();
                let short: String = text.chars().take(300).collect();
                write!(f, ": {}", short.trim())?;
            }
            None => {}
        }
        if let Some(documented) = self.documented {
            write!(f, " (documented: {documented})")?;
        }
        if self.status.is_redirection() {
            if let Some(location) = self.header("location") {
                write!(
                    f,
                    "; a redirect to `{}`, which the client does not follow: it only follows \
                     redirects within the API's origin, where its credentials belong",
                    redact_str(location)
                )?;
            }
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; retry after {} s", wait.as_secs())?;
        }
        if self.attempts > 1 {
            write!(f, "; after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// `, code C: MESSAGE` from a JSON error body with a string `message` (at the top, or under
/// `error` as many APIs nest it), and `; FIELD: MESSAGE` for each entry of an `errors` array.
pub(crate) fn summary(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = match value.get("error") {
        Some(inner)
            if inner
                .get("message")
                .is_some_and(serde_json::Value::is_string) =>
        {
            inner
        }
        _ => &value,
    };
    let message = object.get("message")?.as_str()?;
    let mut text = String::new();
    match object.get("code") {
        Some(serde_json::Value::String(code)) => text.push_str(&format!(", code {code}")),
        Some(serde_json::Value::Number(code)) => text.push_str(&format!(", code {code}")),
        _ => {}
    }
    text.push_str(&format!(": {message}"));
    for e in object
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
    {
        let field = e
            .get("field")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?");
        match e.get("message").and_then(serde_json::Value::as_str) {
            Some(message) => text.push_str(&format!("; {field}: {message}")),
            None => text.push_str(&format!("; {e}")),
        }
    }
    Some(text)
}

/// A success response whose body does not match the spec.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// The operationId of the request.
    pub operation: &'static str,
    /// The status.
    pub status: reqwest::StatusCode,
    /// The JSON path that failed, e.g. `data[3].file_size`.
    pub path: String,
    /// What did not match.
    pub message: String,
    /// The raw body.
    pub body: Vec<u8>,
    /// The response headers (a request id to quote to the API's support, rate limits, …).
    pub headers: reqwest::header::HeaderMap,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the HTTP {} response body does not match the spec at `{}`: {}",
            self.operation, self.status, self.path, self.message
        )
    }
}

/// No access token could be had.
#[derive(Debug, Clone)]
pub struct AuthError {
    /// The token endpoint's status, when it answered.
    pub status: Option<reqwest::StatusCode>,
    /// What went wrong.
    pub message: String,
    /// The token endpoint's body when it answered with an error (never a token).
    pub body: String,
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "authentication failed: {}", self.message)?;
        if !self.body.is_empty() {
            let short: String = self.body.chars().take(200).collect();
            write!(f, ": {short}")?;
        }
        Ok(())
    }
}
