//! The Zoom profile, included when a spec's config says `[profile] vendor = "zoom"`: Zoom's
//! tracking-id and rate-limit headers, its `{code, message, errors}` error body, and the `api_url`
//! its Server-to-Server OAuth token endpoint names. Nothing else in the runtime knows about Zoom.

use crate::builder::ClientBuilder;
use crate::error::ApiError;
use crate::wire::ResponseMeta;

/// The header Zoom support asks for.
const TRACKING_ID: &str = "x-zm-trackingid";

/// Zoom's rate-limit headers of a response; each is present only when the server sent it.
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
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        RateLimit {
            category: text("x-ratelimit-category").map(str::to_string),
            limit_type: text("x-ratelimit-type").map(str::to_string),
            limit: text("x-ratelimit-limit").and_then(|v| v.trim().parse().ok()),
            remaining: text("x-ratelimit-remaining").and_then(|v| v.trim().parse().ok()),
        }
    }
}

/// Zoom's JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ErrorBody {
    /// Zoom's error code (not the HTTP status).
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

impl ResponseMeta {
    /// Zoom's rate-limit headers, where the server sent them.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The `x-zm-trackingid` header, which Zoom support asks for.
    pub fn tracking_id(&self) -> Option<&str> {
        self.header(TRACKING_ID)
    }
}

impl ApiError {
    /// The body, when it is Zoom's JSON error shape `{code, message, errors}`.
    pub fn error_body(&self) -> Option<ErrorBody> {
        self.json::<ErrorBody>()
            .ok()
            .filter(|b| b.code.is_some() || b.message.is_some())
    }

    /// Zoom's error code, when the body carries one.
    pub fn code(&self) -> Option<i64> {
        self.error_body().and_then(|b| b.code)
    }

    /// Zoom's error message, when the body carries one.
    pub fn message(&self) -> Option<String> {
        self.error_body().and_then(|b| b.message)
    }

    /// Zoom's rate-limit headers of the response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The `x-zm-trackingid` header, which Zoom support asks for.
    pub fn tracking_id(&self) -> Option<&str> {
        self.header(TRACKING_ID)
    }
}

impl ClientBuilder {
    /// Send requests to the `api_url` the token endpoint returns with a token, keeping the base
    /// URL's path (default off).
    pub fn use_api_url(mut self, on: bool) -> Self {
        self.use_api_url = on;
        self
    }
}
