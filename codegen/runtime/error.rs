//! The crate's one error type, and the pieces of an API error response.

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
    /// The client is misconfigured (base URL, TLS setup).
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
}

impl Error {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Error {
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
            Error::InvalidRequest { .. } | Error::Config(_) | Error::Pagination(_) => None,
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
    /// The body, when it is the API's JSON error shape `{code, message, errors}`.
    pub error_body: Option<ErrorBody>,
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

    /// The API's error code, when the body carries one.
    pub fn code(&self) -> Option<i64> {
        self.error_body.as_ref().and_then(|b| b.code)
    }

    /// The API's error message, when the body carries one.
    pub fn message(&self) -> Option<&str> {
        self.error_body.as_ref().and_then(|b| b.message.as_deref())
    }

    /// The rate-limit headers of the response.
    pub fn rate_limit(&self) -> crate::RateLimit {
        crate::RateLimit::from_headers(&self.headers)
    }

    /// The `x-zm-trackingid` header, which Zoom support asks for.
    pub fn tracking_id(&self) -> Option<&str> {
        crate::runtime::header_str(&self.headers, "x-zm-trackingid")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        match &self.error_body {
            Some(body) => {
                if let Some(code) = body.code {
                    write!(f, ", code {code}")?;
                }
                if let Some(message) = &body.message {
                    write!(f, ": {message}")?;
                }
                for e in &body.errors {
                    write!(
                        f,
                        "; {}: {}",
                        e.field.as_deref().unwrap_or("?"),
                        e.message.as_deref().unwrap_or("?")
                    )?;
                }
            }
            None if !self.body.is_empty() => {
                let text = self.body_text();
                let short: String = text.chars().take(200).collect();
                write!(f, ": {short}")?;
            }
            None => {}
        }
        if let Some(documented) = self.documented {
            write!(f, " (documented: {documented})")?;
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

/// The API's JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ErrorBody {
    /// The API's error code (not the HTTP status).
    #[serde(default)]
    pub code: Option<i64>,
    /// A human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// Per-field validation errors.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// One field's validation error in an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct FieldError {
    /// The field.
    #[serde(default)]
    pub field: Option<String>,
    /// What is wrong with it.
    #[serde(default)]
    pub message: Option<String>,
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
