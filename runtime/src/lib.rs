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
//! - `wire`: the request and response as data, their encodings and decoders;
//! - `client`: the client, hooks, per-request options, and the send loop;
//! - `builder`: the client's builder;
//! - `events` (only with `text/event-stream` responses), `multipart` (only with multipart bodies), `oauth` (only with an OAuth flow), `pagination` (only with paginated operations), `zoom`
//!   (only with the Zoom profile), `receiver` (only with `webhooks` and the Zoom profile: checking a
//!   webhook request's signature): leaves
//!   that add to the modules above.
//!
//! A generated crate's `lib.rs` provides what this file provides here: the modules, the public
//! re-exports, and `DEFAULT_BASE_URL`. What only generated code calls is public but hidden from
//! the docs, so that a crate generated with a shared runtime (`--runtime PATH`) can call it from
//! outside this crate; in a self-contained crate the modules are private, so none of it is part of
//! the crate's API. A spec uses only part of it, hence the `dead_code` allowance below.
#![forbid(unsafe_code)]
#![allow(dead_code)]

// Public, though hidden, for crates generated with a shared runtime (`--runtime PATH`): their
// generated code reaches these modules as `crate::NAME` through `use openapi_rs_runtime::NAME`.
#[doc(hidden)]
pub mod auth;
#[doc(hidden)]
pub mod builder;
#[doc(hidden)]
pub mod client;
#[doc(hidden)]
pub mod error;
#[cfg(feature = "events")]
#[doc(hidden)]
pub mod events;
#[doc(hidden)]
pub mod json;
#[cfg(feature = "multipart")]
#[doc(hidden)]
pub mod multipart;
#[cfg(feature = "oauth")]
#[doc(hidden)]
pub mod oauth;
#[cfg(feature = "pagination")]
#[doc(hidden)]
pub mod pagination;
#[cfg(feature = "webhooks")]
#[doc(hidden)]
pub mod receiver;
#[doc(hidden)]
pub mod retry;
#[doc(hidden)]
pub mod send;
#[doc(hidden)]
pub mod upload;
#[doc(hidden)]
pub mod wire;
#[cfg(feature = "zoom")]
#[doc(hidden)]
pub mod zoom;

/// What crates generated with a shared runtime reach through this crate: the crates their code
/// names, and the version check.
#[doc(hidden)]
pub mod __private {
    pub use futures_core;
    #[cfg(feature = "webhooks")]
    pub use http;
    pub use reqwest;
    pub use serde;
    pub use serde_json;

    /// Whether this runtime is version `expected` (a `const fn`, so that a generated crate can
    /// refuse to compile against another version with a message that says what to do).
    pub const fn is_version(expected: &str) -> bool {
        let (a, b) = (expected.as_bytes(), env!("CARGO_PKG_VERSION").as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

pub use auth::{AccessToken, BoxFuture, TokenSource};
pub use builder::ClientBuilder;
pub use client::{Attempt, AttemptOutcome, Client, Hook};
pub use error::{ApiError, AuthError, DecodeError, Error};
#[cfg(feature = "events")]
pub use events::{EventStream, ServerEvent};
pub use futures_core::Stream;
#[cfg(feature = "multipart")]
pub use multipart::FilePart;
#[cfg(feature = "webhooks")]
pub use receiver::{
    url_validation_token, UrlValidation, Verifier, WebhookError, DEFAULT_MAX_BODY,
    DEFAULT_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER, URL_VALIDATION_EVENT,
};
/// The HTTP client crate, re-exported so that [`ClientBuilder::http_client`] and [`Hook`] can be
/// used without depending on a matching version of it.
pub use reqwest;
/// The middleware crate (feature `middleware`), re-exported so that
/// [`ClientBuilder::middleware`] can be used without depending on a matching version of it.
#[cfg(feature = "middleware")]
pub use reqwest_middleware;
pub use retry::RetryPolicy;
pub use send::{MetaFuture, RequestOptions, ResponseFuture};
pub use wire::{ApiResponse, Base64, ByteStream, ChunkStream, ResponseMeta, UploadBody};
#[cfg(feature = "zoom")]
pub use zoom::{ErrorBody, FieldError, RateLimit};

/// The base URL requests go to unless [`ClientBuilder::base_url`] says otherwise; `None` when the
/// spec names no server (then the builder needs one).
pub const DEFAULT_BASE_URL: Option<&str> = None;

#[cfg(test)]
mod tests;
