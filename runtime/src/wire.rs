//! What an operation hands to the client and gets back: the request as data (path, query,
//! headers, cookies, body, security), its encodings (each path parameter percent-encoded as
//! exactly one segment, form and multipart bodies, object parameters), the spec's checks on
//! parameters, and the response with its decoders. Identical in every generated client.

use crate::auth::Security;
use crate::error::{DecodeError, Error};
pub use crate::upload::{ChunkStream, UploadBody};

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
    /// A response header as text, when present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Turns a response body into an operation's output; it is given the status and headers for
/// outputs that differ by status.
#[doc(hidden)]
pub type Decode<T> = fn(&ResponseMeta, RawBody) -> Result<T, Error>;

/// A binary response body, read as it arrives: a [`Stream`](futures_core::Stream) of chunks, so
/// a large download is never held in memory at once. The request's timeout (the client's, or the
/// one in [`RequestOptions`](crate::RequestOptions)) covers the whole download, so give a long download a long timeout.
pub struct ByteStream {
    /// Status and headers (`Content-Length`, `Content-Type`, rate limits, …).
    pub meta: ResponseMeta,
    chunks: std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, Error>> + Send>>,
}

impl ByteStream {
    /// A body arriving in `chunks`.
    #[doc(hidden)]
    pub fn new(
        meta: ResponseMeta,
        chunks: std::pin::Pin<
            Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, Error>> + Send>,
        >,
    ) -> Self {
        ByteStream { meta, chunks }
    }

    /// A body already read in full, handed over as one chunk.
    #[doc(hidden)]
    pub fn whole(meta: ResponseMeta, body: Vec<u8>) -> Self {
        let chunk: Result<bytes::Bytes, Error> = Ok(body.into());
        ByteStream::new(meta, Box::pin(futures_util::stream::iter([chunk])))
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

/// Output of an operation whose success body is JSON.
#[allow(dead_code)] // Not every API has every kind of output.
#[doc(hidden)]
pub fn json_output<T: serde::de::DeserializeOwned>(
    _: &ResponseMeta,
    raw: RawBody,
) -> Result<T, Error> {
    decode_json(raw)
}

/// Output of an operation whose success body is binary.
#[allow(dead_code)]
#[doc(hidden)]
pub fn bytes_output(_: &ResponseMeta, raw: RawBody) -> Result<Vec<u8>, Error> {
    Ok(raw.body)
}

/// Output of an operation whose success body is text (invalid UTF-8 replaced).
#[allow(dead_code)]
#[doc(hidden)]
pub fn text_output(_: &ResponseMeta, raw: RawBody) -> Result<String, Error> {
    Ok(String::from_utf8_lossy(&raw.body).into_owned())
}

/// Output of an operation whose success response has no body.
#[allow(dead_code)]
#[doc(hidden)]
pub fn empty_output(_: &ResponseMeta, _: RawBody) -> Result<(), Error> {
    Ok(())
}

/// One request, as an operation describes it.
#[doc(hidden)]
pub struct Request {
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
    /// The `Accept` header: what the operation's success responses may be.
    pub accept: &'static str,
    /// The operation's `security` (or the spec's default).
    pub security: Security,
}

/// A response, body read in full.
#[doc(hidden)]
pub struct RawResponse {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Splits off status and headers.
    #[doc(hidden)]
    pub fn into_parts(self) -> (ResponseMeta, RawBody) {
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
#[allow(dead_code)]
// `operation` and `status` are only read by `decode_json`, which an API
// without JSON responses does not use.
#[doc(hidden)]
pub struct RawBody {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub body: Vec<u8>,
}

/// Decodes a JSON body, naming the JSON path that did not match on failure.
#[allow(dead_code)] // Not every API has JSON responses.
#[doc(hidden)]
pub fn decode_json<T: serde::de::DeserializeOwned>(raw: RawBody) -> Result<T, Error> {
    // Decoding while tracking the path costs on every field; only a failure needs the path,
    // so the body is decoded again, tracked, to say where it broke.
    if let Ok(value) = serde_json::from_slice(&raw.body) {
        return Ok(value);
    }
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
                // Filled in by the future that read the response, which owns them.
                headers: reqwest::header::HeaderMap::new(),
            })))
        }
    }
}

/// Puts a body on a request; called again for each attempt.
#[doc(hidden)]
pub type Encode = std::sync::Arc<
    dyn Fn(reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> + Send + Sync,
>;

/// A request body, kept as data so that every attempt can send it again.
#[allow(dead_code)] // Not every API uses every kind of body.
#[doc(hidden)]
pub enum RequestBody {
    /// Serialized JSON, with its media type.
    Json(&'static str, Vec<u8>),
    /// `application/x-www-form-urlencoded` text.
    Form(String),
    /// A body another module encodes on each attempt (`multipart/form-data`, in `multipart`),
    /// and whether it can be encoded again (a file part from a one-shot stream cannot).
    Encoded(Encode, bool),
    /// Bytes sent as they are, with their media type.
    Raw(&'static str, Vec<u8>),
    /// A binary body from bytes, a file or a stream, with its media type.
    Upload(&'static str, UploadBody),
}

/// How a form field that is an array or an object is written, when the body's `encoding` says.
#[allow(dead_code)] // Not every API has such fields.
#[derive(Clone, Copy)]
#[doc(hidden)]
pub enum FormStyle {
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
    #[doc(hidden)]
    pub fn json<T: serde::Serialize>(media: &'static str, body: &T) -> Result<RequestBody, Error> {
        serde_json::to_vec(body)
            .map(|bytes| RequestBody::Json(media, bytes))
            .map_err(|e| Error::InvalidRequest {
                parameter: "body".to_string(),
                message: format!("cannot be serialized as JSON: {e}"),
            })
    }

    /// A form body: each top-level field a pair; arrays repeat their key; nested objects are
    /// sent as JSON text.
    #[doc(hidden)]
    pub fn form<T: serde::Serialize>(
        body: &T,
        styles: &[(&str, FormStyle)],
    ) -> Result<RequestBody, Error> {
        let invalid = |message: String| Error::InvalidRequest {
            parameter: "body".to_string(),
            message,
        };
        let value = serde_json::to_value(body)
            .map_err(|e| invalid(format!("cannot be serialized: {e}")))?;
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
                (
                    serde_json::Value::Array(items),
                    Some(style @ (FormStyle::Comma | FormStyle::Space | FormStyle::Pipe)),
                ) => {
                    let separator = match style {
                        FormStyle::Space => " ",
                        FormStyle::Pipe => "|",
                        _ => ",",
                    };
                    let joined: Vec<String> = items.iter().map(text).collect();
                    pairs.push((key.clone(), joined.join(separator)));
                }
                // `deepObject`: nested objects and arrays (of objects too) as brackets, the way
                // Stripe and Rails read them: `items[0][price]=p&metadata[k]=v`.
                (
                    nested @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)),
                    Some(FormStyle::DeepObject),
                ) => {
                    deep_pairs(key.clone(), nested, &mut pairs);
                }
                (serde_json::Value::Array(items), _) => {
                    pairs.extend(items.iter().map(|item| (key.clone(), text(item))))
                }
                (other, _) => pairs.push((key.clone(), text(other))),
            }
        }
        // The URL crate's form encoder, without a dependency of its own.
        let mut url =
            reqwest::Url::parse("http://form.invalid/").map_err(|e| invalid(e.to_string()))?;
        url.query_pairs_mut().extend_pairs(pairs);
        Ok(RequestBody::Form(
            url.query().unwrap_or_default().to_string(),
        ))
    }

    #[doc(hidden)]
    pub fn apply(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Error> {
        use reqwest::header::CONTENT_TYPE;
        Ok(match self {
            RequestBody::Json(media, bytes) => {
                builder.header(CONTENT_TYPE, *media).body(bytes.clone())
            }
            RequestBody::Form(text) => builder
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
            RequestBody::Raw(media, bytes) => {
                builder.header(CONTENT_TYPE, *media).body(bytes.clone())
            }
            RequestBody::Upload(media, body) => {
                let (body, length) = body.attempt("body")?;
                let builder = builder.header(CONTENT_TYPE, *media).body(body);
                match length {
                    Some(length) => builder.header(reqwest::header::CONTENT_LENGTH, length),
                    None => builder,
                }
            }
            RequestBody::Encoded(encode, _) => encode(builder)?,
        })
    }

    /// Whether the body can be sent again: for a retry, or the resend after a fresh token.
    pub fn is_repeatable(&self) -> bool {
        match self {
            RequestBody::Upload(_, body) => body.is_repeatable(),
            RequestBody::Encoded(_, repeatable) => *repeatable,
            RequestBody::Json(..) | RequestBody::Form(_) | RequestBody::Raw(..) => true,
        }
    }
}

/// The pairs of a `deepObject` value: `key[field]` for an object's fields and `key[i]` for an
/// array's items, as deep as the value goes; nulls are left out.
fn deep_pairs(key: String, value: &serde_json::Value, pairs: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(fields) => {
            for (k, v) in fields {
                deep_pairs(format!("{key}[{k}]"), v, pairs);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                deep_pairs(format!("{key}[{i}]"), v, pairs);
            }
        }
        serde_json::Value::String(s) => pairs.push((key, s.clone())),
        other => pairs.push((key, other.to_string())),
    }
}

/// A cookie value with the bytes a `Cookie` header cannot carry percent-encoded.
#[doc(hidden)]
pub fn cookie_value(value: &str) -> String {
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
/// `explode: true`; a nested value is JSON text), or, for `style: deepObject`, `name[key]=value`
/// with nested objects and arrays as brackets, as deep as the value goes:
/// `filter[id][0]=1&filter[id][1]=2&filter[owner][login]=me`. That is how a form body's
/// `deepObject` fields are written (Stripe reads them so), how PHP and Node's `qs` parse such a
/// query, and how Prism validates one.
#[allow(dead_code)] // Not every API has object parameters.
#[doc(hidden)]
pub fn object_pairs<T: serde::Serialize>(
    name: Option<&str>,
    value: &T,
) -> Vec<(std::borrow::Cow<'static, str>, String)> {
    let Ok(value @ serde_json::Value::Object(_)) = serde_json::to_value(value) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    match (name, value) {
        (Some(name), value) => deep_pairs(name.to_string(), &value, &mut pairs),
        (None, serde_json::Value::Object(fields)) => {
            for (key, value) in fields {
                match value {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(text) => pairs.push((key, text)),
                    other => pairs.push((key, other.to_string())),
                }
            }
        }
        (None, _) => {}
    }
    pairs
        .into_iter()
        .map(|(key, text)| (std::borrow::Cow::Owned(key), text))
        .collect()
}

/// A parameter value as text: what it serializes to when that is a string (a date, a UUID, a
/// `oneOf` holding its string alternative, a `const`), as it is; JSON text for anything else
/// (a number, `true`, an object).
#[allow(dead_code)] // Not every API has such a parameter.
#[doc(hidden)]
pub fn scalar_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Bytes sent as base64 text (OpenAPI's `format: byte`, when the config asks for it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::auth::base64(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode_base64(&text)
            .map(Base64)
            .ok_or_else(|| serde::de::Error::custom("not base64 text"))
    }
}

/// Decodes standard or URL-safe base64, with or without padding, ignoring whitespace.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    use base64::engine::DecodePaddingMode;
    use base64::{alphabet, Engine as _};
    const TOLERANT: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, TOLERANT);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, TOLERANT);
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| URL_SAFE.decode(&compact))
        .ok()
}

/// A parameter value as JSON text (a parameter described with a JSON `content`): a string is
/// quoted.
#[allow(dead_code)] // Not every API has such a parameter.
#[doc(hidden)]
pub fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Percent-encodes a path parameter so that it stays exactly one path segment: every byte but
/// ASCII letters, digits and `-._~` is encoded, and values that a URL parser would still read as
/// something else (empty, `.`, `..`) are refused.
#[allow(dead_code)] // Not every API has path parameters.
#[doc(hidden)]
pub fn path_segment(name: &str, value: &str) -> Result<String, Error> {
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
#[doc(hidden)]
pub fn check_minimum<T: PartialOrd + std::fmt::Display>(
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
#[doc(hidden)]
pub fn check_maximum<T: PartialOrd + std::fmt::Display>(
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
#[doc(hidden)]
pub fn check_min_length(name: &str, value: &str, min: usize) -> Result<(), Error> {
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
#[doc(hidden)]
pub fn check_max_length(name: &str, value: &str, max: usize) -> Result<(), Error> {
    let len = value.chars().count();
    if len <= max {
        return Ok(());
    }
    Err(Error::InvalidRequest {
        parameter: name.to_string(),
        message: format!("must be at most {max} characters long, got {len}"),
    })
}
