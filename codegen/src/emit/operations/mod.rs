//! Emits `src/operations.rs`: one `Client` method and one request builder per operation.
//!
//! This file builds the method, the builder and its `send`; `encode` writes how the builder's
//! fields become the request (path, query, headers, body, constraint checks), `output` what
//! `send` returns and how the response is decoded into it, `pagination` the
//! `pages()`/`items()` methods, and `docs` the methods' documentation.

mod debug;
mod docs;
pub(super) mod encode;
mod output;
mod pagination;

use super::{cfg_attr, doc_attr, resolve, ty_tokens};
use crate::model::{
    Api, Body, BodyKind, FieldStep, Location, Operation, PageShape, Pagination, Param, PathSegment,
    Response, Ty, TypeKind,
};
use crate::model::{QueryStyle, TypeText};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use docs::method_docs;
use encode::{body_field, body_value, checks, path_expr, push_param};
use output::{output, status_enum, Output};
use pagination::pagination_methods;

/// Part `part` of `parts` of the `operations` module (see [`super::types::types_part`]); part 0
/// of 1 is the whole module.
pub fn operations_part(api: &Api, part: usize, parts: usize) -> TokenStream {
    let range = super::part_range(api.operations.len(), part, parts);
    let ops = api.operations[range].iter().map(|op| operation(api, op));
    let header = (part == 0).then(|| {
        let imports = super::shared::dependency_imports(api);
        quote! {
            #![doc = " One method on [`Client`] per API operation, and the request builder it returns."]
            #![allow(clippy::doc_markdown, clippy::too_many_arguments)]
            #imports

            #[allow(unused_imports)]
            use crate::types;
            #[allow(unused_imports)]
            use crate::client::Client;
            #[allow(unused_imports)]
            use crate::send::{self, RequestOptions};
            #[allow(unused_imports)]
            use crate::wire::{self, ApiResponse, Request};
            #[allow(unused_imports)]
            use crate::security;
            #[allow(unused_imports)]
            use crate::Error;
        }
    });
    quote! {
        #header
        #(#ops)*
    }
}

fn types_path() -> TokenStream {
    quote!(types::)
}

/// How a parameter is stored in the builder and taken as an argument.
pub(super) struct ParamTypes {
    pub(super) stored: TokenStream,
    /// The argument type (`impl Into<String>` for strings).
    pub(super) arg: TokenStream,
    /// Whether the argument needs `.into()` to become the stored type.
    pub(super) into: bool,
}

impl ParamTypes {
    /// Converts the argument `arg` into the stored type.
    pub(super) fn convert(&self, arg: &proc_macro2::Ident) -> TokenStream {
        if self.into {
            quote!(#arg.into())
        } else {
            quote!(#arg)
        }
    }
}

pub(super) fn param_types(api: &Api, ty: &Ty) -> ParamTypes {
    let stored = ty_tokens(api, ty, &types_path());
    // Binary contents: bytes, a file or a stream, sent without being held in memory.
    if *ty == Ty::Bytes {
        return ParamTypes {
            stored: quote!(crate::UploadBody),
            arg: quote!(impl Into<crate::UploadBody>),
            into: true,
        };
    }
    if *resolve(api, ty) == Ty::String {
        ParamTypes {
            stored,
            arg: quote!(impl Into<String>),
            into: true,
        }
    } else {
        ParamTypes {
            arg: stored.clone(),
            stored,
            into: false,
        }
    }
}

/// Methods of `std::ops` traits taking `self` and one argument, which clippy's
/// `should_implement_trait` flags on a `fn NAME(self, value) -> Self`.
pub(crate) const OPERATOR_METHODS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// Clippy's default `disallowed-names`.
pub(crate) const PLACEHOLDER_NAMES: &[&str] = &["foo", "baz", "quux"];

/// One operation's code: the `Client` method, the request builder with its setters, how the
/// request is prepared, and how the response is decoded, each made by a function of its own.
fn operation(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = client_method(api, op);
    let fields = builder_fields(api, op);
    let setters = builder_setters(api, op);
    let prepare = prepare_fn(api, op);
    let out = output(api, op);
    let (send, into_future) = send_methods(api, op, &builder, &out);
    let Output {
        output, decode_fn, ..
    } = out;
    let streaming = (op.response == Response::Bytes).then(|| {
        quote! {
            /// Like [`send`](Self::send), but hands the body over as it arrives instead of reading
            /// it whole: for large downloads.
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send), before any of the body arrives; after that, an item of the
            /// stream is an error if the body breaks off.
            pub fn send_streaming(self) -> impl std::future::Future<Output = Result<crate::ByteStream, Error>> + Send + 'static {
                send::send_streaming(self.prepare())
            }
        }
    });
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| pagination_methods(api, op, p, &output));
    let builder_docs = format!(
        " Request builder for [`Client::{}`]: set optional parameters, then `.send().await` (or just `.await`).",
        op.method_name.trim_start_matches("r#")
    );
    let response_enum = match &op.response {
        Response::ByStatus { name, bodies } => Some(status_enum(api, op, name, bodies)),
        _ => None,
    };
    let cfg = cfg_attr(op.feature.as_slice());
    let (derive, debug) = debug::builder_debug(op, &cfg);
    quote! {
        #response_enum

        #cfg
        impl Client {
            #method
        }

        #[doc = #builder_docs]
        #cfg
        #derive
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: Client,
            options: RequestOptions,
            #fields
        }

        #debug

        #cfg
        impl #builder {
            #setters

            /// Per-request options: extra headers, a timeout, retries.
            pub fn request_options(mut self, options: RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send

            #prepare

            #decode_fn

            #streaming

            #pagination
        }

        #cfg
        #into_future
    }
}

/// `send`, `send_with_meta` and `IntoFuture`: the decoded body, or for a `text/event-stream`
/// the stream of its events.
fn send_methods(
    api: &Api,
    op: &Operation,
    builder: &proc_macro2::Ident,
    output: &Output,
) -> (TokenStream, TokenStream) {
    let Output { output, decode, .. } = output;
    if let Response::Events(item) = &op.response {
        let (item, decode) = match item {
            Some(ty) => {
                let ty = ty_tokens(api, ty, &types_path());
                (quote!(#ty), quote!(wire::decode_json::<#ty>))
            }
            None => (quote!(String), quote!(crate::events::text_data)),
        };
        let send = quote! {
            /// Sends the request and hands the response over as a stream of its events, as they
            /// arrive (each `data:` decoded as the spec's type, or kept as text).
            ///
            /// # Errors
            ///
            /// As any other request before the events start: [`Error::InvalidRequest`],
            /// [`Error::Api`], [`Error::Auth`], [`Error::Transport`]/[`Error::Timeout`]. After
            /// that, an item of the stream is an error when an event's data does not match the
            /// spec ([`Error::Decode`]) or the connection breaks off.
            pub fn send(self) -> impl std::future::Future<Output = Result<crate::EventStream<#item>, Error>> + Send + 'static {
                crate::events::send_events(self.prepare(), #decode)
            }
        };
        let into_future = quote! {
            impl std::future::IntoFuture for #builder {
                type Output = Result<crate::EventStream<#item>, Error>;
                type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(self.send())
                }
            }
        };
        return (send, into_future);
    }
    let send = quote! {
        /// Sends the request and decodes the response.
        ///
        /// # Errors
        ///
        /// [`Error::InvalidRequest`] if a parameter breaks a constraint of the spec (nothing is
        /// sent then), [`Error::Api`] for a non-success status (after retries), [`Error::Decode`]
        /// if a success body does not match the spec, [`Error::Auth`] if no token could be had,
        /// and [`Error::Transport`]/[`Error::Timeout`] when the server could not be reached in
        /// time.
        pub fn send(self) -> send::ResponseFuture<#output> {
            send::ResponseFuture::new(self.prepare(), #decode)
        }

        /// Like [`send`](Self::send), and also returns the response's status and headers
        /// (rate limits, tracking id).
        ///
        /// # Errors
        ///
        /// As [`send`](Self::send).
        pub fn send_with_meta(self) -> send::MetaFuture<#output> {
            send::MetaFuture::new(self.prepare(), #decode)
        }
    };
    let into_future = quote! {
        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, Error>;
            type IntoFuture = send::ResponseFuture<#output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
    (send, into_future)
}

/// The method on `Client` that starts the request: required parameters (and a required body)
/// are its arguments, the rest start empty.
fn client_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();

    // Client method: required parameters (and a required body) are arguments.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &required {
        let name = ident(&p.name);
        let types = param_types(api, &p.ty);
        let arg = &types.arg;
        args.push(quote!(#name: #arg));
        inits.push(if types.into {
            let convert = types.convert(&name);
            quote!(#name: #convert)
        } else {
            quote!(#name)
        });
    }
    for p in &optional {
        let name = ident(&p.name);
        inits.push(quote!(#name: None));
    }
    match &op.body {
        Some(b) if b.required => {
            let types = param_types(api, &b.ty);
            let arg = &types.arg;
            let body = proc_macro2::Ident::new("body", proc_macro2::Span::call_site());
            args.push(quote!(body: #arg));
            inits.push(if types.into {
                let convert = types.convert(&body);
                quote!(body: #convert)
            } else {
                quote!(body)
            });
        }
        Some(_) => inits.push(quote!(body: None)),
        None => {}
    }
    let method_docs = doc_attr(Some(&method_docs(api, op)));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated = "the API marks this operation as deprecated"]));

    let feature_doc = op.feature.as_ref().map(|f| {
        let line = format!(" Needs the Cargo feature `{f}` (on by default).");
        quote!(#[doc = ""] #[doc = #line])
    });
    // An argument named after a spec's parameter may be one of clippy's placeholder names
    // (`foo`, `baz`, `quux`): real names there, so the lint is allowed on this method alone.
    let placeholder_names = required
        .iter()
        .any(|p| PLACEHOLDER_NAMES.contains(&p.name.as_str()))
        .then(|| quote!(#[allow(clippy::disallowed_names)]));
    quote! {
        #method_docs
        #feature_doc
        #deprecated
        #placeholder_names
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.clone(),
                options: RequestOptions::default(),
                #(#inits,)*
            }
        }
    }
}

/// The request builder's fields: one per parameter (optional ones in `Option`), and the body.
fn builder_fields(api: &Api, op: &Operation) -> TokenStream {
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let stored = param_types(api, &p.ty).stored;
        if p.required {
            quote!(#name: #stored,)
        } else {
            quote!(#name: Option<#stored>,)
        }
    });
    let body_field = op.body.as_ref().map(|b| body_field(api, b));
    quote! {
        #(#fields)*
        #body_field
    }
}

/// A setter per optional parameter, and one for an optional body.
fn builder_setters(api: &Api, op: &Operation) -> TokenStream {
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let setters = optional.iter().map(|p| {
        let name = ident(&p.name);
        let types = param_types(api, &p.ty);
        let arg = &types.arg;
        let convert = types.convert(&proc_macro2::Ident::new(
            "value",
            proc_macro2::Span::call_site(),
        ));
        let docs = doc_attr(p.docs.as_deref());
        // A setter named after a parameter called `add`, `sub`, … has the shape clippy takes
        // for an operator's method; the name is the spec's, so the lint is allowed on it alone.
        let operator_name = OPERATOR_METHODS
            .contains(&p.name.as_str())
            .then(|| quote!(#[allow(clippy::should_implement_trait)]));
        quote! {
            #docs
            #operator_name
            pub fn #name(mut self, value: #arg) -> Self {
                self.#name = Some(#convert);
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let types = param_types(api, &b.ty);
        let arg = &types.arg;
        let convert = types.convert(&proc_macro2::Ident::new(
            "value",
            proc_macro2::Span::call_site(),
        ));
        let docs = doc_attr(Some(b.docs.as_deref().unwrap_or(" The request body.")));
        quote! {
            #docs
            pub fn body(mut self, value: #arg) -> Self {
                self.body = Some(#convert);
                self
            }
        }
    });

    quote! {
        #(#setters)*
        #body_setter
    }
}

/// `prepare`: checks the parameters against the spec's constraints and encodes the request.
fn prepare_fn(api: &Api, op: &Operation) -> TokenStream {
    // With a shared runtime, `Client` is the crate's own wrapper around the runtime's client.
    let runtime_client = match api.shared_runtime {
        Some(_) => quote!(self.client.0),
        None => quote!(self.client),
    };
    let checks = op.params.iter().flat_map(checks);
    let path = path_expr(api, op);
    let query = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| push_param(api, p, quote!(query)));
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
        .map(|p| push_param(api, p, quote!(headers)));
    let body_expr = match &op.body {
        None => quote!(None),
        Some(b) if b.required => {
            let value = body_value(api, b);
            quote!({
                let body = &self.body;
                Some(#value)
            })
        }
        // Encoding JSON and forms can fail (`?`); the other kinds cannot.
        Some(b) if matches!(b.kind, BodyKind::Json | BodyKind::Form) => {
            let value = body_value(api, b);
            quote! {
                match &self.body {
                    Some(body) => Some(#value),
                    None => None,
                }
            }
        }
        Some(b) => {
            let value = body_value(api, b);
            quote!(self.body.as_ref().map(|body| #value))
        }
    };
    let http_method = ident(op.method.as_str());
    let errors = op.errors.iter().map(|(status, meaning)| {
        let status = Literal::u16_unsuffixed(*status);
        quote!((#status, #meaning))
    });
    let operation_id = &op.operation_id;
    let accept = &op.accept;
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt.iter().map(|&i| ident(&api.auth.schemes[i].const_name));
        quote!(&[#(&security::#schemes),*])
    });
    let security = quote!(&[#(#alternatives),*]);
    let path_template = &op.path;
    let has_query = op.params.iter().any(|p| p.location == Location::Query);
    let has_headers = op.params.iter().any(|p| p.location == Location::Header);
    let has_cookies = op.params.iter().any(|p| p.location == Location::Cookie);
    let cookies = op
        .params
        .iter()
        .filter(|p| p.location == Location::Cookie)
        .map(|p| push_param(api, p, quote!(cookies)));
    let cookies_decl = if has_cookies {
        quote!(let mut cookies = Vec::new();)
    } else {
        quote!(let cookies = Vec::new();)
    };
    let query_decl = if has_query {
        quote!(let mut query = Vec::new();)
    } else {
        quote!(let query = Vec::new();)
    };
    let headers_decl = if has_headers {
        quote!(let mut headers = Vec::new();)
    } else {
        quote!(let headers = Vec::new();)
    };
    quote! {
        /// Checks the parameters against the spec's constraints and encodes the request.
        fn prepare(self) -> Result<send::Prepared, Error> {
            const ERRORS: &[(u16, &str)] = &[#(#errors),*];
            #(#checks)*
            #query_decl
            #(#query)*
            #headers_decl
            #(#headers)*
            #cookies_decl
            #(#cookies)*
            let request = Request {
                operation: #operation_id,
                method: reqwest::Method::#http_method,
                path_template: #path_template,
                path: #path,
                query,
                headers,
                cookies,
                body: #body_expr,
                errors: ERRORS,
                accept: #accept,
                security: #security,
            };
            Ok(send::Prepared { client: #runtime_client, options: self.options, request })
        }
    }
}
