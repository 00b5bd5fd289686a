//! The runtime of every client that `openapi-rs-codegen` generates, as a crate of its own.
//!
//! Generated crates stay self-contained: the generator copies these modules into each one
//! verbatim (comments included) and leaves out those a spec does not need. This crate exists so
//! that the runtime is compiled, linted, documented and unit-tested where it is written; the
//! wire behaviour is tested through generated clients in `client-tests`.
//!
//! Modules, each depending only on those above it:
//!
//! - `error`: the one error type;
//! - `retry`: backoff and `Retry-After`;
//! - `auth`: security schemes, credentials, and which requirement a request satisfies;
//! - `json`: how the data types are read and written as JSON (`json_object!`);
//! - `runtime`: the request and response as data, their encodings and decoders;
//! - `client`: the client, hooks, per-request options, and the send loop;
//! - `builder`: the client's builder;
//! - `multipart` (only with multipart bodies), `oauth` (only with an OAuth flow), `pagination` (only with paginated operations), `zoom`
//!   (only with the Zoom profile), `webhook` (only with `webhooks` and the Zoom profile): leaves
//!   that add to the modules above.
//!
//! A generated crate's `lib.rs` provides what this file provides here: the modules, the public
//! re-exports, and `DEFAULT_BASE_URL`. Everything that only generated operations call is
//! `pub(crate)`, hence the `dead_code` allowance below.
#![forbid(unsafe_code)]
#![allow(dead_code)]

mod auth;
mod builder;
mod client;
mod error;
mod json;
mod multipart;
mod oauth;
mod pagination;
mod retry;
mod runtime;
mod webhook;
mod zoom;

pub use auth::{AccessToken, BoxFuture, TokenSource};
pub use builder::ClientBuilder;
pub use client::{
    Attempt, AttemptOutcome, Client, Hook, MetaFuture, RequestOptions, ResponseFuture,
};
pub use error::{ApiError, AuthError, DecodeError, Error};
pub use futures_core::Stream;
pub use multipart::FilePart;
/// The HTTP client crate, re-exported so that [`ClientBuilder::http_client`] and [`Hook`] can be
/// used without depending on a matching version of it.
pub use reqwest;
pub use retry::RetryPolicy;
pub use runtime::{ApiResponse, Base64, ByteStream, ResponseMeta};
pub use webhook::{
    url_validation_token, UrlValidation, Verifier, WebhookError, DEFAULT_MAX_BODY,
    DEFAULT_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER, URL_VALIDATION_EVENT,
};
pub use zoom::{ErrorBody, FieldError, RateLimit};

/// The base URL requests go to unless [`ClientBuilder::base_url`] says otherwise; `None` when the
/// spec names no server (then the builder needs one).
pub const DEFAULT_BASE_URL: Option<&str> = None;
