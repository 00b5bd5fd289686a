//! Receiving Zoom's webhooks: the signature check (`x-zm-signature: v0=HEX` over
//! `v0:{x-zm-request-timestamp}:{raw body}` with HMAC-SHA256 and the app's secret token, compared
//! in constant time, the timestamp within a tolerance), and the answer to Zoom's URL validation
//! (`endpoint.url_validation`). Framework-agnostic: header values and bytes in, typed values and
//! `http` responses out. Included in crates whose spec has `webhooks` and whose config turns on
//! the Zoom profile; the typed events are in the generated `webhooks` module.
//!
//! A receiver is open to anyone, so it checks what it can before it reads a body:
//! [`Verifier::check_head`] refuses a request without the signature headers, with a stale
//! timestamp, or with a `Content-Length` over the body limit ([`DEFAULT_MAX_BODY`], 1 MiB, unless
//! [`Verifier::max_body`] says otherwise), and the body is then read with that limit
//! ([`Verifier::body_limit`]), answering 413 past it.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header holding the signature.
pub const SIGNATURE_HEADER: &str = "x-zm-signature";
/// The header holding the timestamp (seconds since the Unix epoch) the signature covers.
pub const TIMESTAMP_HEADER: &str = "x-zm-request-timestamp";
/// How far the timestamp may be from now by default: 300 s.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
/// The largest body a [`Verifier`] accepts by default: 1 MiB (Zoom's events are a few KiB).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;
/// The event Zoom posts to validate an endpoint URL.
pub const URL_VALIDATION_EVENT: &str = "endpoint.url_validation";

/// Why a webhook request was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the check needs is absent (or not visible ASCII).
    MissingHeader(&'static str),
    /// The timestamp is not a whole number of seconds.
    BadTimestamp(String),
    /// The timestamp is further from now than the tolerance: a replay, or a clock that is off.
    Stale {
        /// How far from now, in seconds.
        off_by_secs: u64,
    },
    /// The signature does not match the body and timestamp (or is not `v0=HEX`).
    BadSignature,
    /// The body is not the JSON of an event.
    Body(serde_json::Error),
    /// The body is longer than the verifier's limit ([`Verifier::max_body`]).
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::MissingHeader(name) => {
                write!(f, "webhook request without a `{name}` header")
            }
            WebhookError::BadTimestamp(value) => {
                write!(f, "webhook timestamp `{value}` is not a number of seconds")
            }
            WebhookError::Stale { off_by_secs } => {
                write!(
                    f,
                    "webhook timestamp is {off_by_secs} s away from now, more than the tolerance"
                )
            }
            WebhookError::BadSignature => f.write_str("webhook signature does not match the body"),
            WebhookError::Body(e) => write!(f, "webhook body is not an event: {e}"),
            WebhookError::TooLarge { limit } => {
                write!(f, "webhook body is longer than the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Body(e) => Some(e),
            _ => None,
        }
    }
}

impl WebhookError {
    /// The HTTP status to answer with: 400 for a body that is not an event, 413 for one over the
    /// limit, 401 otherwise.
    pub fn status(&self) -> http::StatusCode {
        match self {
            WebhookError::Body(_) => http::StatusCode::BAD_REQUEST,
            WebhookError::TooLarge { .. } => http::StatusCode::PAYLOAD_TOO_LARGE,
            _ => http::StatusCode::UNAUTHORIZED,
        }
    }
}

/// Checks webhook requests against an app's secret token.
#[derive(Clone)]
pub struct Verifier {
    secret: String,
    tolerance: Duration,
    max_body: usize,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .field("max_body", &self.max_body)
            .finish()
    }
}

impl Verifier {
    /// A verifier for the app's secret token, with [`DEFAULT_TOLERANCE`] and
    /// [`DEFAULT_MAX_BODY`].
    pub fn new(secret_token: impl Into<String>) -> Verifier {
        Verifier {
            secret: secret_token.into(),
            tolerance: DEFAULT_TOLERANCE,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// The largest body accepted, in bytes (default [`DEFAULT_MAX_BODY`]).
    pub fn max_body(mut self, bytes: usize) -> Verifier {
        self.max_body = bytes;
        self
    }

    /// The largest body accepted: read a request's body with this limit, and answer
    /// [`WebhookError::TooLarge`] (413) past it, so that no request makes the receiver hold more.
    pub fn body_limit(&self) -> usize {
        self.max_body
    }

    /// Checks a request's headers before its body is read: both signature headers present, the
    /// timestamp a number within the tolerance of `now`, and a `Content-Length`, when given, within
    /// the body limit. A request that fails here can be answered without reading its body, so an
    /// unsigned or oversized request costs the receiver nothing. The signature itself covers the
    /// body: [`Verifier::verify_headers`] checks it once the body is read.
    ///
    /// # Errors
    ///
    /// A missing header, a bad or stale timestamp, or a declared length over the limit.
    pub fn check_head(
        &self,
        headers: &http::HeaderMap,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let timestamp =
            text(TIMESTAMP_HEADER).ok_or(WebhookError::MissingHeader(TIMESTAMP_HEADER))?;
        text(SIGNATURE_HEADER).ok_or(WebhookError::MissingHeader(SIGNATURE_HEADER))?;
        self.check_timestamp(timestamp, now)?;
        let declared =
            text(http::header::CONTENT_LENGTH.as_str()).and_then(|v| v.trim().parse::<u64>().ok());
        match declared {
            Some(length) if length > self.max_body as u64 => Err(WebhookError::TooLarge {
                limit: self.max_body,
            }),
            _ => Ok(()),
        }
    }

    fn check_timestamp(&self, timestamp: &str, now: SystemTime) -> Result<(), WebhookError> {
        let seconds: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::BadTimestamp(timestamp.to_string()))?;
        let now = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let off_by_secs = now.abs_diff(seconds);
        if off_by_secs > self.tolerance.as_secs() {
            return Err(WebhookError::Stale { off_by_secs });
        }
        Ok(())
    }

    /// How far the timestamp may be from now.
    pub fn tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// Checks a request: its `x-zm-request-timestamp` and `x-zm-signature` values (`None` when
    /// absent), its raw body as received, and the time now.
    ///
    /// # Errors
    ///
    /// A missing header, a timestamp that is not a number or is further from `now` than the
    /// tolerance, a body over the limit, or a signature that does not match.
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let timestamp = timestamp.ok_or(WebhookError::MissingHeader(TIMESTAMP_HEADER))?;
        let signature = signature.ok_or(WebhookError::MissingHeader(SIGNATURE_HEADER))?;
        self.check_timestamp(timestamp, now)?;
        if body.len() > self.max_body {
            return Err(WebhookError::TooLarge {
                limit: self.max_body,
            });
        }
        let given = signature
            .trim()
            .strip_prefix("v0=")
            .and_then(hex_decode)
            .ok_or(WebhookError::BadSignature)?;
        let mut mac = self.mac();
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(&given)
            .map_err(|_| WebhookError::BadSignature)
    }

    /// [`Verifier::verify`] with the headers of a request.
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify`].
    pub fn verify_headers(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        self.verify(text(TIMESTAMP_HEADER), text(SIGNATURE_HEADER), body, now)
    }

    /// The answer to a URL validation request with `plain_token`.
    pub fn url_validation_response(&self, plain_token: &str) -> UrlValidation {
        let mut mac = self.mac();
        mac.update(plain_token.as_bytes());
        UrlValidation {
            plain_token: plain_token.to_string(),
            encrypted_token: hex_encode(&mac.finalize().into_bytes()),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        <Hmac<Sha256> as Mac>::new_from_slice(self.secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }
}

/// The JSON body Zoom expects in answer to `endpoint.url_validation`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlValidation {
    /// The token Zoom sent.
    pub plain_token: String,
    /// Hex HMAC-SHA256 of the token with the secret token.
    pub encrypted_token: String,
}

impl UrlValidation {
    /// A `200 OK` response with this JSON body.
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = http::Response::new(body);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// The `plainToken` of a URL validation request body, if that is what `body` is.
pub fn url_validation_token(body: &serde_json::Value) -> Option<&str> {
    if body.get("event").and_then(serde_json::Value::as_str) != Some(URL_VALIDATION_EVENT) {
        return None;
    }
    body.get("payload")?.get("plainToken")?.as_str()
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    let digit = |b: u8| char::from(b).to_digit(16);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8))
        .collect()
}
