//! Emits `src/mock.rs` (Cargo feature `mock`): typed mocks of the API on `httpmock`, for the
//! tests of code that calls the client. An extension trait on `httpmock::MockServer` has one
//! method per operation, named like the client's; its closure gets the operation's `When`, with
//! one method per parameter (encoded exactly as the client encodes it) and the body, and its
//! `Then`, with one method per documented response status taking that status's typed body.
//!
//! Contract: reads the model only; every name comes from the model or [`naming`]; a parameter
//! the mock cannot match (a cookie) gets no method, and `into_inner` reaches httpmock's own
//! matcher for it.

use super::operations::encode::push_value;
use super::{cfg_attr, doc_attr, resolve, ty_tokens};
use crate::model::{Api, BodyKind, Location, Operation, PathSegment, Response, Ty, TOO_COMPLEX};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Part `part` of `parts` of `src/mock.rs` (see [`super::types::types_part`]): part 0 holds
/// the module's header, the trait and its impl; every part holds the `When` and `Then` types of
/// its share of the operations.
pub fn mock_part(api: &Api, part: usize, parts: usize) -> TokenStream {
    let range = super::part_range(api.operations.len(), part, parts);
    let items = api.operations[range]
        .iter()
        .map(|op| operation_items(api, op, &MockNames::of(op)));
    let header = (part == 0).then(|| mock_header(api));
    quote! {
        #header
        #(#items)*
    }
}

/// The module's docs and imports, `MockServerExt`'s trait and impl, and `escape`.
fn mock_header(api: &Api) -> TokenStream {
    let imports = super::shared::dependency_imports(api);
    let names: Vec<MockNames> = api.operations.iter().map(MockNames::of).collect();
    let trait_methods = api.operations.iter().zip(&names).map(|(op, n)| {
        let MockNames { method, when, then } = n;
        let cfg = cfg_attr(op.feature.as_slice());
        let docs = format!(
            " Mocks [`Client::{0}`](crate::Client::{0}): `config` gets what a request must look like and what the mock answers.",
            op.method_name.trim_start_matches("r#")
        );
        let convention = takes_self_against_convention(&op.method_name)
            .then(|| quote!(#[allow(clippy::wrong_self_convention)]));
        quote! {
            #cfg
            #[doc = #docs]
            #convention
            fn #method<F>(&self, config: F) -> httpmock::Mock<'_>
            where
                F: FnOnce(#when, #then);
        }
    });
    let impl_methods = api.operations.iter().zip(&names).map(|(op, n)| {
        let MockNames { method, when, then } = n;
        let cfg = cfg_attr(op.feature.as_slice());
        let http_method = format_ident!("{}", op.method.as_str());
        let pattern = path_pattern(op, None);
        quote! {
            #cfg
            fn #method<F>(&self, config: F) -> httpmock::Mock<'_>
            where
                F: FnOnce(#when, #then),
            {
                self.mock(|when, then| {
                    let when = when.method(httpmock::Method::#http_method).path_matches(#pattern);
                    config(#when(when), #then(then))
                })
            }
        }
    });
    let escape = escape_fn(api);
    quote! {
        //! Typed mocks of the API for your own tests, on [`httpmock`] (Cargo feature `mock`).
        //!
        //! [`MockServerExt`] adds one method per operation to `httpmock::MockServer`, named like
        //! the client's. Its closure gets a `When`, with a method per parameter and for the body,
        //! each encoded as the client sends it, and a `Then`, with a method per response status
        //! the spec documents, taking that status's body. Point the client at
        //! `server.base_url()`. A path matches after any base path, so a base URL with a path
        //! (`server.url("/v2")`) works too. `into_inner()` on either reaches httpmock's own
        //! builder for anything the typed methods do not cover.
        #![allow(clippy::doc_markdown, unused_imports)]
        #imports

        use crate::types;
        use crate::wire;

        /// One method per operation of the API on [`httpmock::MockServer`].
        pub trait MockServerExt {
            #(#trait_methods)*
        }

        impl MockServerExt for httpmock::MockServer {
            #(#impl_methods)*
        }

        #escape
    }
}

/// Whether clippy's `wrong_self_convention` flags a trait method of this name taking `&self`:
/// `from_*` should take no `self`, `into_*` take `self`, and `*_mut` `&mut self`. The trait
/// methods are named after the spec's operations (icons8's `from_a_collection`).
fn takes_self_against_convention(name: &str) -> bool {
    let name = name.trim_start_matches("r#");
    name.starts_with("from_") || name.starts_with("into_") || name.ends_with("_mut")
}

/// The run-time `escape` that path parameter methods call, compiled when one of them is.
fn escape_fn(api: &Api) -> Option<TokenStream> {
    let users: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| op.params.iter().any(|p| p.location == Location::Path))
        .collect();
    if users.is_empty() {
        return None;
    }
    // Compiled when any operation that calls it is: always, if one of them always is.
    let features: Option<Vec<String>> = users.iter().map(|op| op.feature.clone()).collect();
    let mut features = features.unwrap_or_default();
    features.sort();
    features.dedup();
    let cfg = cfg_attr(&features);
    let special = REGEX_SPECIAL;
    Some(quote! {
        /// `text` with the characters a regular expression gives a meaning escaped.
        #cfg
        fn escape(text: &str) -> String {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if #special.contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    })
}

/// The names one operation's mock uses.
struct MockNames {
    /// The trait method (the client method's name).
    method: proc_macro2::Ident,
    /// The request matcher's type.
    when: proc_macro2::Ident,
    /// The response's type.
    then: proc_macro2::Ident,
}

impl MockNames {
    fn of(op: &Operation) -> MockNames {
        let base = naming::type_name(op.method_name.trim_start_matches("r#"), "operation");
        MockNames {
            method: ident(&op.method_name),
            when: format_ident!("{base}When"),
            then: format_ident!("{base}Then"),
        }
    }
}

/// The `When` and `Then` types of one operation.
fn operation_items(api: &Api, op: &Operation, n: &MockNames) -> TokenStream {
    let MockNames { when, then, .. } = n;
    let cfg = cfg_attr(op.feature.as_slice());
    let params = op
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| param_method(api, op, i, p));
    let body = op.body.as_ref().and_then(|b| {
        let ty = borrowed(api, &b.ty);
        let matcher = match b.kind {
            BodyKind::Json => quote!(self.0.json_body_obj(value)),
            BodyKind::Text => quote!(self.0.body(value)),
            BodyKind::Form | BodyKind::Multipart | BodyKind::Bytes => return None,
        };
        Some(quote! {
            /// The request body, exactly.
            pub fn body(self, value: &#ty) -> Self {
                Self(#matcher)
            }
        })
    });
    let statuses = status_methods(api, op);
    let when_docs = format!(
        " What a request of [`Client::{0}`](crate::Client::{0}) must look like to match.",
        op.method_name.trim_start_matches("r#")
    );
    let then_docs = format!(
        " What the mock answers a request of [`Client::{0}`](crate::Client::{0}) with.",
        op.method_name.trim_start_matches("r#")
    );
    quote! {
        #cfg
        #[doc = #when_docs]
        pub struct #when(httpmock::When);

        #cfg
        impl #when {
            /// httpmock's own matcher, for what the typed methods do not cover.
            pub fn into_inner(self) -> httpmock::When {
                self.0
            }

            #(#params)*
            #body
        }

        #cfg
        #[doc = #then_docs]
        pub struct #then(httpmock::Then);

        #cfg
        impl #then {
            /// httpmock's own response builder, for what the typed methods do not cover.
            pub fn into_inner(self) -> httpmock::Then {
                self.0
            }

            #(#statuses)*
        }
    }
}

/// The type a body is borrowed as: `str` for text and a slice for an array, as clippy asks of
/// a reference argument; an array whose items are too complex to spell keeps the name lower
/// gave it.
fn borrowed(api: &Api, ty: &Ty) -> TokenStream {
    let named = matches!(ty, Ty::Named(_));
    match resolve(api, ty) {
        Ty::String => quote!(str),
        // `&[T]`: one for the reference, ten for the slice, and `T` a level down.
        Ty::Vec(inner) if !(named && 1 + 10 + inner.complexity(2) > TOO_COMPLEX) => {
            let inner = ty_tokens(api, inner, &quote!(types::));
            quote!([#inner])
        }
        _ => ty_tokens(api, ty, &quote!(types::)),
    }
}

/// The path as a regular expression anchored at its end, each parameter a segment of its own;
/// with `fixed`, that parameter's place is the named variable (the escaped, encoded value)
/// instead.
fn path_pattern(op: &Operation, fixed: Option<(usize, &str)>) -> TokenStream {
    let mut format = String::new();
    let mut fixed_used = false;
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => {
                format.push_str(&regex_escape(text).replace('{', "{{").replace('}', "}}"))
            }
            PathSegment::Param(i) => match fixed {
                Some((at, value)) if at == *i => {
                    format.push_str(&format!("{{{value}}}"));
                    fixed_used = true;
                }
                _ => format.push_str("[^/]+"),
            },
        }
    }
    format.push('$');
    if !fixed_used {
        quote!(#format)
    } else {
        quote!(format!(#format))
    }
}

/// The characters a regular expression gives a meaning, escaped by `regex_escape` here and by
/// the generated `escape` at run time.
const REGEX_SPECIAL: &str = "\\.+*?()|[]{}^$#&-~";

/// `text` escaped for a regular expression (what the generated `escape` does at run time).
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if REGEX_SPECIAL.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The `When` method of one parameter, encoding the value as the client does.
fn param_method(
    api: &Api,
    op: &Operation,
    index: usize,
    p: &crate::model::Param,
) -> Option<TokenStream> {
    let name = ident(&p.name);
    // Taken as the client's builder takes it (`impl Into<String>` for text).
    let types = super::operations::param_types(api, &p.ty);
    let arg = &types.arg;
    let docs = doc_attr(p.docs.as_deref());
    let wire_name = &p.wire;
    let resolved = resolve(api, &p.ty);
    let is_text = *resolved == Ty::String && !p.json;
    // The value's text as the client writes it: text as it is, JSON content as JSON, the rest
    // as the client's own encoding does it.
    let stored = &types.stored;
    let text = || match resolved {
        // Taken as `impl Into<String>` when its type is text: made the builder's type first.
        _ if p.json && types.into => quote!(wire::json_text(&Into::<#stored>::into(value))),
        _ if p.json => quote!(wire::json_text(&value)),
        Ty::String => quote!(value.into()),
        _ => super::operations::encode::to_text(api, &p.ty, quote!(value), false),
    };
    let scalar = !matches!(resolved, Ty::Vec(_) | Ty::Map(_))
        && !matches!(resolved, Ty::Named(id) if matches!(api.types[*id].kind, crate::model::TypeKind::Struct { .. }));
    let matcher = match p.location {
        Location::Query => quote!(query_param),
        Location::Header => quote!(header),
        Location::Path | Location::Cookie => quote!(),
    };
    let body = match p.location {
        Location::Path => {
            let text = text();
            let pattern = path_pattern(op, Some((index, "segment")));
            let text = if is_text { quote!(value.into()) } else { text };
            quote! {
                let text: String = #text;
                let segment = escape(&wire::path_segment(#wire_name, &text).unwrap_or(text));
                Self(self.0.path_matches(#pattern.as_str()))
            }
        }
        Location::Query | Location::Header if is_text => {
            quote!(Self(self.0.#matcher(#wire_name, value)))
        }
        Location::Query | Location::Header if scalar => {
            let text = text();
            quote!(Self(self.0.#matcher(#wire_name, #text)))
        }
        // Arrays and objects: the pairs the client would send, each matched.
        Location::Query | Location::Header => {
            let push = push_value(api, p, quote!(pairs));
            quote! {
                let mut pairs: Vec<(std::borrow::Cow<'static, str>, String)> = Vec::new();
                {
                    let value = &value;
                    #push
                }
                Self(pairs.into_iter().fold(self.0, |when, (name, text)| when.#matcher(name, text)))
            }
        }
        Location::Cookie => return None,
    };
    // Named after the spec's parameter: `add`, `sub`, … look like operator methods to clippy.
    let operator_name = super::operations::OPERATOR_METHODS
        .contains(&p.name.as_str())
        .then(|| quote!(#[allow(clippy::should_implement_trait)]));
    Some(quote! {
        #docs
        #operator_name
        pub fn #name(self, value: #arg) -> Self {
            #body
        }
    })
}

/// One `Then` method per documented status: the success statuses with their bodies, then the
/// error statuses (with the body type where the spec gives one).
fn status_methods(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let successes: Vec<(u16, &Response)> = match &op.response {
        Response::ByStatus { bodies, .. } => bodies.iter().map(|(s, r)| (*s, r)).collect(),
        other => vec![(op.success_status, other)],
    };
    for (status, response) in successes {
        let (name, code) = status_name(status);
        let (arg, answer) = match response {
            Response::Json(ty) => {
                let ty = borrowed(api, ty);
                (
                    Some(quote!(value: &#ty)),
                    quote!(.header("content-type", "application/json").json_body_obj(value)),
                )
            }
            Response::Text => (
                Some(quote!(value: &str)),
                quote!(.header("content-type", "text/plain").body(value)),
            ),
            Response::Bytes => (
                Some(quote!(value: impl AsRef<[u8]>)),
                quote!(.header("content-type", "application/octet-stream").body(value)),
            ),
            Response::Events(_) => (
                Some(quote!(value: &str)),
                quote!(.header("content-type", "text/event-stream").body(value)),
            ),
            Response::Empty | Response::ByStatus { .. } => (None, quote!()),
        };
        out.push(status_method(&name, code, arg, answer, status));
    }
    for (status, _) in op.errors.iter().filter(|(s, _)| *s >= 400) {
        let (name, code) = status_name(*status);
        let body = op
            .error_bodies
            .iter()
            .find(|(s, _)| *s == status.to_string())
            .map(|(_, ty)| borrowed(api, ty));
        let (arg, answer) = match body {
            Some(ty) => (
                Some(quote!(value: &#ty)),
                quote!(.header("content-type", "application/json").json_body_obj(value)),
            ),
            None => (None, quote!()),
        };
        out.push(status_method(&name, code, arg, answer, *status));
    }
    for (range, ty) in op
        .error_bodies
        .iter()
        .filter(|(s, _)| s.parse::<u16>().is_err())
    {
        let name = match range.as_str() {
            "4XX" => "client_error",
            "5XX" => "server_error",
            _ => "error",
        };
        let name = ident(name);
        let ty = borrowed(api, ty);
        let docs = format!(" Answers with `status` (the spec's `{range}` response) and this body.");
        out.push(quote! {
            #[doc = #docs]
            pub fn #name(self, status: u16, value: &#ty) -> Self {
                Self(self.0.status(status).header("content-type", "application/json").json_body_obj(value))
            }
        });
    }
    out
}

/// A status's method name, and the status to answer with (`None`: the caller gives it, for
/// the spec's `2XX` and `default`).
fn status_name(status: u16) -> (String, Option<u16>) {
    match status {
        0 => ("default_response".into(), None),
        299 => ("success".into(), None),
        code => (naming::status_method(code), Some(code)),
    }
}

fn status_method(
    name: &str,
    code: Option<u16>,
    arg: Option<TokenStream>,
    answer: TokenStream,
    status: u16,
) -> TokenStream {
    let name = ident(name);
    match code {
        Some(code) => {
            let docs = format!(
                " Answers with status {code}{}.",
                if arg.is_some() { " and this body" } else { "" }
            );
            quote! {
                #[doc = #docs]
                pub fn #name(self, #arg) -> Self {
                    Self(self.0.status(#code)#answer)
                }
            }
        }
        None => {
            let which = if status == 0 { "default" } else { "2XX" };
            let docs = format!(
                " Answers with `status` (the spec's `{which}` response){}.",
                if arg.is_some() { " and this body" } else { "" }
            );
            quote! {
                #[doc = #docs]
                pub fn #name(self, status: u16, #arg) -> Self {
                    Self(self.0.status(status)#answer)
                }
            }
        }
    }
}
