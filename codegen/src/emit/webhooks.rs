//! Emits `src/webhooks.rs`: one `Event` enum over the spec's `webhooks`, decoded by the body's
//! `event` field (an event the spec does not list is kept whole, never an error), and, with the
//! Zoom profile, Zoom's signature check and URL validation from the runtime's `receiver` module.

use super::{doc_attr, ty_tokens};
use crate::model::Api;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole `webhooks` module (only for specs with `webhooks`).
pub fn webhooks_file(api: &Api) -> TokenStream {
    let imports = super::shared::dependency_imports(api);
    let zoom = super::krate::zoom_webhooks(api);
    let types_path = quote!(types::);
    let variants = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let title = format!(" `{}`.", w.event.replace('`', "'"));
        let docs = doc_attr(w.docs.as_deref());
        let docs = (!docs.is_empty()).then(|| quote!(#[doc = ""] #docs));
        let ty = match &w.ty {
            Some(ty) => ty_tokens(api, ty, &types_path),
            None => quote!(serde_json::Value),
        };
        quote! {
            #[doc = #title]
            #docs
            #variant(Box<#ty>),
        }
    });
    let arms = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let name = &w.event;
        quote!(#name => Event::#variant(Box::new(serde_json::from_value(value)?)),)
    });
    let names = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let name = &w.event;
        quote!(Event::#variant(_) => #name,)
    });
    let UrlValidationParts {
        variant: url_validation_variant,
        arm: url_validation_arm,
        name: url_validation_name,
    } = url_validation_parts(zoom);
    let zoom_items = zoom.then(receiver_items);
    let intro = if zoom {
        " Events the API posts to your endpoint (the spec's `webhooks`), decoded by their `event` \
         field. Check each request with [`Verifier`] before trusting it; [`receive`] checks and \
         decodes in one call. Zoom retries a delivery that does not get 200 or 204 within 3 s \
         (after 5, 20 and 60 minutes), so the same event can arrive more than once."
    } else {
        " Events the API posts to your endpoint (the spec's `webhooks`), decoded by their `event` \
         field."
    };
    quote! {
        #![doc = #intro]
        #![allow(clippy::doc_markdown)]
        #imports

        #[allow(unused_imports)]
        use crate::types;

        #zoom_items

        /// One event, picked by the body's `event` field. `#[non_exhaustive]`: an event added to
        /// the spec is a compatible change of the crate.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            #url_validation_variant
            /// An event the spec does not list, kept whole.
            Unknown {
                /// Its `event` field.
                event: String,
                /// The whole body.
                body: serde_json::Value,
            },
        }

        impl Event {
            /// Decodes a body (JSON bytes as received).
            ///
            /// # Errors
            ///
            /// The body is not JSON, has no string `event` field, or does not match the schema
            /// the spec gives that event.
            pub fn from_slice(body: &[u8]) -> Result<Event, serde_json::Error> {
                Event::from_value(serde_json::from_slice(body)?)
            }

            /// Decodes a body already parsed as JSON.
            ///
            /// # Errors
            ///
            /// As [`Event::from_slice`].
            pub fn from_value(value: serde_json::Value) -> Result<Event, serde_json::Error> {
                let Some(name) = value.get("event").and_then(serde_json::Value::as_str) else {
                    return Err(serde::de::Error::missing_field("event"));
                };
                let name = name.to_string();
                Ok(match name.as_str() {
                    #(#arms)*
                    #url_validation_arm
                    _ => Event::Unknown { event: name, body: value },
                })
            }

            /// The event's name (its `event` field).
            pub fn name(&self) -> &str {
                match self {
                    #(#names)*
                    #url_validation_name
                    Event::Unknown { event, .. } => event,
                }
            }

            /// Whether the spec lists the event (so it decoded into a type of its own).
            pub fn is_typed(&self) -> bool {
                !matches!(self, Event::Unknown { .. })
            }
        }
    }
}

/// The pieces of `Event` for Zoom's URL validation request (with the Zoom profile only): its
/// variant, its decoding arm and its name arm.
struct UrlValidationParts {
    variant: Option<TokenStream>,
    arm: Option<TokenStream>,
    name: Option<TokenStream>,
}

fn url_validation_parts(zoom: bool) -> UrlValidationParts {
    UrlValidationParts {
        variant: zoom.then(|| {
            quote! {
                /// Zoom's URL validation request (`endpoint.url_validation`): answer it with
                /// [`Verifier::url_validation_response`].
                UrlValidation {
                    /// The token to hash.
                    plain_token: String,
                },
            }
        }),
        arm: zoom.then(|| {
            quote! {
                URL_VALIDATION_EVENT => Event::UrlValidation {
                    plain_token: url_validation_token(&value).unwrap_or_default().to_string(),
                },
            }
        }),
        name: zoom.then(|| quote!(Event::UrlValidation { .. } => URL_VALIDATION_EVENT,)),
    }
}

/// The runtime's receiver re-exported, and `receive`, which checks a request and decodes its
/// event (with the Zoom profile only).
fn receiver_items() -> TokenStream {
    quote! {
        pub use crate::receiver::{
            url_validation_token, UrlValidation, Verifier, WebhookError, DEFAULT_MAX_BODY,
            DEFAULT_TOLERANCE, SIGNATURE_HEADER, TIMESTAMP_HEADER, URL_VALIDATION_EVENT,
        };

        /// Verifies a request (its headers and raw body, at `now`) and decodes its event.
        ///
        /// # Errors
        ///
        /// [`WebhookError`] for a missing header, a bad signature, a stale timestamp, a body
        /// over the verifier's limit, or a body that is not an event;
        /// [`WebhookError::status`] is the status to answer with. Call
        /// [`Verifier::check_head`] before reading the body, and read it with
        /// [`Verifier::body_limit`].
        pub fn receive(
            verifier: &Verifier,
            headers: &http::HeaderMap,
            body: &[u8],
            now: std::time::SystemTime,
        ) -> Result<Event, WebhookError> {
            verifier.verify_headers(headers, body, now)?;
            Event::from_slice(body).map_err(WebhookError::Body)
        }
    }
}
