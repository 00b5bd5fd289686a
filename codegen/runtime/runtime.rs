//! The HTTP runtime every operation goes through: the client and its settings, building the URL
//! (with each path parameter percent-encoded as exactly one segment), sending, and classifying the
//! response. Generated from the generator's runtime template; identical in every generated client.

use crate::error::{ApiError, DecodeError, Error, ErrorBody};
use std::sync::Arc;
use std::time::Duration;

/// A client of the API. Cheap to clone: clones share one connection pool and one configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// A client that sends `access_token` as a bearer token to [`crate::DEFAULT_BASE_URL`], with
    /// the default timeouts.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the HTTP client cannot be set up (no TLS backend).
    pub fn new(access_token: impl Into<String>) -> Result<Client, Error> {
        Client::builder(access_token).build()
    }

    /// Starts configuring a client.
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: access_token.into(),
            base_url: crate::DEFAULT_BASE_URL.to_string(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut url = reqwest::Url::parse(&url)
            .map_err(|e| Error::Config(format!("invalid request URL `{url}`: {e}")))?;
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .bearer_auth(&self.inner.token)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in &request.headers {
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest {
                    parameter: (*name).to_string(),
                    message:
                        "is not a valid HTTP header value (control characters are not allowed)"
                            .to_string(),
                }
            })?;
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = builder.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(Error::from_reqwest)?
            .to_vec();
        if status.is_success() {
            return Ok(RawResponse {
                operation: request.operation,
                status,
                body,
            });
        }
        let error_body = serde_json::from_slice::<ErrorBody>(&body)
            .ok()
            .filter(|b| b.code.is_some() || b.message.is_some());
        let documented = request
            .errors
            .iter()
            .find(|(code, _)| *code == status.as_u16())
            .map(|(_, meaning)| *meaning);
        Err(Error::Api(Box::new(ApiError {
            operation: request.operation,
            status,
            headers,
            body,
            error_body,
            documented,
        })))
    }
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    token: String,
    base_url: String,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl ClientBuilder {
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

    /// How long a whole request may take, from sending to the end of the body (default 30 s);
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
            Ok(_) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` must be an http(s) URL without a query"
                )))
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "base URL `{base_url}` is not a valid URL: {e}"
                )))
            }
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
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                token: self.token,
            }),
        })
    }
}

/// One request, as an operation describes it.
pub(crate) struct Request {
    pub operation: &'static str,
    pub method: reqwest::Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// Statuses the spec documents for the operation, with what they mean.
    pub errors: &'static [(u16, &'static str)],
}

/// A successful response, body read in full.
pub(crate) struct RawResponse {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub body: Vec<u8>,
}

/// Decodes a JSON body, naming the JSON path that did not match on failure.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    response: RawResponse,
) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&response.body);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(e) => {
            let path = e.path().to_string();
            Err(Error::Decode(Box::new(DecodeError {
                operation: response.operation,
                status: response.status,
                path,
                message: e.into_inner().to_string(),
                body: response.body,
            })))
        }
    }
}

/// Serializes a JSON request body.
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn json_body<T: serde::Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::InvalidRequest {
        parameter: "body".to_string(),
        message: format!("cannot be serialized as JSON: {e}"),
    })
}

/// A parameter value that is not a scalar, as JSON text.
#[allow(dead_code)] // Not every API has a parameter that needs it.
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
pub(crate) fn check_minimum<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    bound: T,
    exclusive: bool,
) -> Result<(), Error> {
    let ok = if exclusive {
        value > bound
    } else {
        value >= bound
    };
    if ok {
        return Ok(());
    }
    let relation = if exclusive {
        "greater than"
    } else {
        "at least"
    };
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be {relation} {bound}, got {value}"),
    })
}

/// Checks an upper bound from the spec.
#[allow(dead_code)] // Not every API has a parameter that needs it.
pub(crate) fn check_maximum<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    bound: T,
    exclusive: bool,
) -> Result<(), Error> {
    let ok = if exclusive {
        value < bound
    } else {
        value <= bound
    };
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
