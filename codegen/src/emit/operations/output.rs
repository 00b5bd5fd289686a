//! What an operation's `send` returns, and how the response becomes it: the output type, the
//! `wire::Decode` that makes it, and for a response whose body depends on the status, an enum
//! with a variant per documented status and the builder's own decoder.

use super::{cfg_attr, ty_tokens, types_path};
use crate::model::{Api, Operation, Response};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// What `send` returns and how it is made from the response.
pub(super) struct Output {
    /// The output type.
    pub(super) output: TokenStream,
    /// The function (a `wire::Decode`) that makes it.
    pub(super) decode: TokenStream,
    /// A `decode` of the builder's own, for a response whose body depends on the status.
    pub(super) decode_fn: Option<TokenStream>,
}

pub(super) fn output(api: &Api, op: &Operation) -> Output {
    let (output, decode, decode_fn) = match &op.response {
        Response::Json(ty) => {
            let ty = ty_tokens(api, ty, &types_path());
            (quote!(#ty), quote!(wire::json_output::<#ty>), None)
        }
        Response::Bytes => (quote!(Vec<u8>), quote!(wire::bytes_output), None),
        Response::Text => (quote!(String), quote!(wire::text_output), None),
        Response::ByStatus { name, bodies } => {
            let name = ident(name);
            let arms = bodies.iter().map(|(status, body)| {
                let variant = ident(&status_variant(*status));
                let code = Literal::u16_unsuffixed(*status);
                let value = match body {
                    Response::Json(_) => quote!(#name::#variant(wire::decode_json(raw)?)),
                    Response::Bytes | Response::Events(_) => quote!(#name::#variant(raw.body)),
                    Response::Text => {
                        quote!(#name::#variant(String::from_utf8_lossy(&raw.body).into_owned()))
                    }
                    _ => quote!(#name::#variant),
                };
                quote!(#code => #value,)
            });
            let decode_fn = quote! {
                /// Decodes the body the status calls for.
                fn decode(meta: &wire::ResponseMeta, raw: wire::RawBody) -> Result<#name, Error> {
                    Ok(match meta.status.as_u16() {
                        #(#arms)*
                        status => #name::Other(status, raw.body),
                    })
                }
            };
            (quote!(#name), quote!(Self::decode), Some(decode_fn))
        }
        Response::Empty => (quote!(()), quote!(wire::empty_output), None),
        // Read whole only inside an enum by status; alone, `send` streams the events.
        Response::Events(_) => (quote!(Vec<u8>), quote!(wire::bytes_output), None),
    };
    Output {
        output,
        decode,
        decode_fn,
    }
}

/// The variant name of a success status.
fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        208 => "AlreadyReported".into(),
        226 => "ImUsed".into(),
        other => format!("Status{other}"),
    }
}

/// The enum of an operation whose success statuses carry different bodies.
pub(super) fn status_enum(
    api: &Api,
    op: &Operation,
    name: &str,
    bodies: &[(u16, Response)],
) -> TokenStream {
    let name = ident(name);
    let variants = bodies.iter().map(|(status, body)| {
        let variant = ident(&status_variant(*status));
        let doc = format!(" HTTP {status}.");
        let payload = match body {
            // A large body is boxed (see `Api::size_estimate`), so the enum stays small.
            Response::Json(ty) if api.size_estimate(ty) > crate::model::OVERSIZED => {
                let ty = ty_tokens(api, ty, &types_path());
                quote!((Box<#ty>))
            }
            Response::Json(ty) => {
                let ty = ty_tokens(api, ty, &types_path());
                quote!((#ty))
            }
            Response::Bytes | Response::Events(_) => quote!((Vec<u8>)),
            Response::Text => quote!((String)),
            _ => quote!(),
        };
        quote!(#[doc = #doc] #variant #payload,)
    });
    let doc = format!(
        " The successful responses of [`Client::{}`], by status.",
        op.method_name.trim_start_matches("r#")
    );
    let cfg = cfg_attr(op.feature.as_slice());
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A success status the spec does not list, with the raw body.
            Other(u16, Vec<u8>),
        }
    }
}
