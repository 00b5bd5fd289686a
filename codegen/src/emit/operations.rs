//! Emits `src/operations.rs`: one `Client` method and one request builder per operation.

use super::{cfg_attr, doc_attr, resolve, ty_tokens};
use crate::model::{
    Api, Body, BodyKind, FieldStep, Location, Operation, PageShape, Pagination, Param, PathSegment,
    Response, Ty, TypeKind,
};
use crate::model::{QueryStyle, TypeText};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Part `part` of `parts` of the `operations` module (see [`super::types::types_part`]); part 0
/// of 1 is the whole module.
pub fn operations_part(api: &Api, part: usize, parts: usize) -> TokenStream {
    let range = super::part_range(api.operations.len(), part, parts);
    let ops = api.operations[range].iter().map(|op| operation(api, op));
    let header = (part == 0).then(|| {
        quote! {
            #![doc = " One method on [`Client`] per API operation, and the request builder it returns."]
            #![allow(clippy::doc_markdown, clippy::too_many_arguments)]

            #[allow(unused_imports)]
            use crate::types;
            #[allow(unused_imports)]
            use crate::client::{self, Client, RequestOptions};
            #[allow(unused_imports)]
            use crate::runtime::{self, ApiResponse, Request};
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
struct ParamTypes {
    stored: TokenStream,
    /// The argument type (`impl Into<String>` for strings).
    arg: TokenStream,
    /// Whether the argument needs `.into()` to become the stored type.
    into: bool,
}

impl ParamTypes {
    /// Converts the argument `arg` into the stored type.
    fn convert(&self, arg: &proc_macro2::Ident) -> TokenStream {
        if self.into {
            quote!(#arg.into())
        } else {
            quote!(#arg)
        }
    }
}

fn param_types(api: &Api, ty: &Ty) -> ParamTypes {
    let stored = ty_tokens(api, ty, &types_path());
    if *ty == Ty::Bytes {
        return ParamTypes {
            stored,
            arg: quote!(impl Into<Vec<u8>>),
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

fn operation(api: &Api, op: &Operation) -> TokenStream {
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
    let body_field = op.body.as_ref().map(|b| body_field(api, b));
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

    // Builder fields and setters.
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let stored = param_types(api, &p.ty).stored;
        if p.required {
            quote!(#name: #stored,)
        } else {
            quote!(#name: Option<#stored>,)
        }
    });
    let setters = optional.iter().map(|p| {
        let name = ident(&p.name);
        let types = param_types(api, &p.ty);
        let arg = &types.arg;
        let convert = types.convert(&proc_macro2::Ident::new(
            "value",
            proc_macro2::Span::call_site(),
        ));
        let docs = doc_attr(p.docs.as_deref());
        quote! {
            #docs
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
    // The output type, and the function (a `runtime::Decode`) that makes it from the response.
    let (output, decode, decode_fn) = match &op.response {
        Response::Json(ty) => {
            let ty = ty_tokens(api, ty, &types_path());
            (quote!(#ty), quote!(runtime::json_output::<#ty>), None)
        }
        Response::Bytes => (quote!(Vec<u8>), quote!(runtime::bytes_output), None),
        Response::Text => (quote!(String), quote!(runtime::text_output), None),
        Response::ByStatus { name, bodies } => {
            let name = ident(name);
            let arms = bodies.iter().map(|(status, body)| {
                let variant = ident(&status_variant(*status));
                let code = Literal::u16_unsuffixed(*status);
                let value = match body {
                    Response::Json(_) => quote!(#name::#variant(runtime::decode_json(raw)?)),
                    Response::Bytes => quote!(#name::#variant(raw.body)),
                    Response::Text => {
                        quote!(#name::#variant(String::from_utf8_lossy(&raw.body).into_owned()))
                    }
                    _ => quote!(#name::#variant),
                };
                quote!(#code => #value,)
            });
            let decode_fn = quote! {
                /// Decodes the body the status calls for.
                fn decode(meta: &runtime::ResponseMeta, raw: runtime::RawBody) -> Result<#name, Error> {
                    Ok(match meta.status.as_u16() {
                        #(#arms)*
                        status => #name::Other(status, raw.body),
                    })
                }
            };
            (quote!(#name), quote!(Self::decode), Some(decode_fn))
        }
        Response::Empty => (quote!(()), quote!(runtime::empty_output), None),
    };
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
                client::send_streaming(self.prepare())
            }
        }
    });
    let path_template = &op.path;
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| pagination_methods(api, op, p, &output));
    let builder_docs = format!(
        " Request builder for [`Client::{}`]: set optional parameters, then `.send().await` (or just `.await`).",
        op.method_name.trim_start_matches("r#")
    );
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

    let response_enum = match &op.response {
        Response::ByStatus { name, bodies } => Some(status_enum(api, op, name, bodies)),
        _ => None,
    };

    let cfg = cfg_attr(op.feature.as_slice());
    let feature_doc = op.feature.as_ref().map(|f| {
        let line = format!(" Needs the Cargo feature `{f}` (on by default).");
        quote!(#[doc = ""] #[doc = #line])
    });
    quote! {
        #response_enum

        #cfg
        impl Client {
            #method_docs
            #feature_doc
            #deprecated
            pub fn #method(&self, #(#args),*) -> #builder {
                #builder {
                    client: self.clone(),
                    options: RequestOptions::default(),
                    #(#inits,)*
                }
            }
        }

        #[doc = #builder_docs]
        #cfg
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #builder {
            client: Client,
            options: RequestOptions,
            #(#fields)*
            #body_field
        }

        #cfg
        impl #builder {
            #(#setters)*
            #body_setter

            /// Per-request options: extra headers, a timeout, retries.
            pub fn request_options(mut self, options: RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidRequest`] if a parameter breaks a constraint of the spec (nothing is
            /// sent then), [`Error::Api`] for a non-success status (after retries), [`Error::Decode`]
            /// if a success body does not match the spec, [`Error::Auth`] if no token could be had,
            /// and [`Error::Transport`]/[`Error::Timeout`] when the server could not be reached in
            /// time.
            pub fn send(self) -> client::ResponseFuture<#output> {
                client::ResponseFuture::new(self.prepare(), #decode)
            }

            /// Like [`send`](Self::send), and also returns the response's status and headers
            /// (rate limits, tracking id).
            ///
            /// # Errors
            ///
            /// As [`send`](Self::send).
            pub fn send_with_meta(self) -> client::MetaFuture<#output> {
                client::MetaFuture::new(self.prepare(), #decode)
            }

            /// Checks the parameters against the spec's constraints and encodes the request.
            fn prepare(self) -> Result<client::Prepared, Error> {
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
                Ok(client::Prepared { client: self.client, options: self.options, request })
            }

            #decode_fn

            #streaming

            #pagination
        }

        #cfg
        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, Error>;
            type IntoFuture = client::ResponseFuture<#output>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
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
fn status_enum(api: &Api, op: &Operation, name: &str, bodies: &[(u16, Response)]) -> TokenStream {
    let name = ident(name);
    let variants = bodies.iter().map(|(status, body)| {
        let variant = ident(&status_variant(*status));
        let doc = format!(" HTTP {status}.");
        let payload = match body {
            Response::Json(ty) => {
                let ty = ty_tokens(api, ty, &types_path());
                quote!((#ty))
            }
            Response::Bytes => quote!((Vec<u8>)),
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

/// `pages()` and `items()` for a token-paginated operation.
fn pagination_methods(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    page_ty: &TokenStream,
) -> TokenStream {
    let item_ty = ty_tokens(api, &p.item_ty, &types_path());
    let items = match &p.items_field {
        None => quote!(page),
        Some(FieldStep {
            name,
            optional: true,
        }) => {
            let name = ident(name);
            quote!(page.#name.unwrap_or_default())
        }
        Some(FieldStep {
            name,
            optional: false,
        }) => {
            let name = ident(name);
            quote!(page.#name)
        }
    };
    let wire = |field: &str| {
        op.params
            .iter()
            .find(|q| q.name == field)
            .map_or(field.to_string(), |q| q.wire.clone())
    };
    // `pages(request, first cursor, send with a cursor, the next cursor of a page)`, and docs.
    let (pages, doc) = match &p.shape {
        PageShape::Cursor { param, field } => {
            let param_ident = ident(param);
            let next = field_path(field);
            (
                cursor_pages(&param_ident, page_ty, next),
                format!(
                    "each next request repeats this request's parameters with the previous page's `{}` as `{}`. Ends after a page without one",
                    field.iter().map(|f| f.name.trim_start_matches("r#")).collect::<Vec<_>>().join("."),
                    wire(param)
                ),
            )
        }
        PageShape::After { param, has_more, id } => {
            let param_ident = ident(param);
            let more_field = ident(&has_more.name);
            let more = if has_more.optional {
                quote!(page.#more_field.unwrap_or(false))
            } else {
                quote!(page.#more_field)
            };
            let last = match &p.items_field {
                Some(FieldStep { name, optional: true }) => {
                    let name = ident(name);
                    quote!(page.#name.as_ref().and_then(|items| items.last()))
                }
                Some(FieldStep { name, optional: false }) => {
                    let name = ident(name);
                    quote!(page.#name.last())
                }
                None => quote!(page.last()),
            };
            let id_field = ident(&id.name);
            let next = if id.optional {
                quote!(#last.and_then(|item| item.#id_field.clone()))
            } else {
                quote!(#last.map(|item| item.#id_field.clone()))
            };
            (
                cursor_pages(&param_ident, page_ty, quote!(if #more { #next } else { None })),
                format!(
                    "while a page says `has_more`, the next request repeats this one with `{}` set to the last item's `id`. Ends on a page without more",
                    wire(param)
                ),
            )
        }
        PageShape::NextUrl { field } => {
            let next = field_path(field);
            (
                quote! {
                    crate::pagination::pages(
                        self,
                        None,
                        |mut request: Self, url: Option<String>| {
                            request.options.next_url = url;
                            request.send()
                        },
                        |page: &#page_ty| #next,
                    )
                },
                format!(
                    "each next request goes to the URL the previous page gives in `{}` (only on the client's own host). Ends on a page without one",
                    field.iter().map(|f| f.name.trim_start_matches("r#")).collect::<Vec<_>>().join(".")
                ),
            )
        }
        PageShape::LinkHeader => (
            quote! {
                crate::pagination::bodies(crate::pagination::pages(
                    self,
                    None,
                    |mut request: Self, url: Option<String>| {
                        request.options.next_url = url;
                        request.send_with_meta()
                    },
                    |page: &ApiResponse<#page_ty>| crate::pagination::next_link(&page.meta.headers),
                ))
            },
            "each next request goes to the `Link` header's `rel=\"next\"` URL (only on the client's own host). Ends on a page without one".to_string(),
        ),
    };
    let pages_doc = doc_attr(Some(&format!(
        "Every page, fetched lazily as the stream is polled: {doc}; yields [`Error::Pagination`]\n\
         instead of looping if the server repeats itself."
    )));
    quote! {
        #pages_doc
        pub fn pages(self) -> impl futures_core::Stream<Item = Result<#page_ty, Error>> + Send + 'static {
            #pages
        }

        /// Every item of every page, in order, fetched lazily; only one page is held at a time.
        pub fn items(self) -> impl futures_core::Stream<Item = Result<#item_ty, Error>> + Send + 'static {
            crate::pagination::items(self.pages(), |page: #page_ty| #items)
        }
    }
}

/// Pages asked for with a cursor in the query parameter `param`; `next` reads the next cursor
/// from `page`.
fn cursor_pages(
    param: &proc_macro2::Ident,
    page_ty: &TokenStream,
    next: TokenStream,
) -> TokenStream {
    quote! {
        let first = self.#param.clone();
        crate::pagination::pages(
            self,
            first,
            |mut request: Self, cursor: Option<String>| {
                request.#param = cursor;
                request.send()
            },
            |page: &#page_ty| #next,
        )
    }
}

/// `Option<String>` of a string reached through `steps` from `page`.
fn field_path(steps: &[FieldStep]) -> TokenStream {
    let mut expr = quote!(Some(page));
    for step in steps {
        let name = ident(&step.name);
        expr = if step.optional {
            quote!(#expr.and_then(|value| value.#name.as_ref()))
        } else {
            quote!(#expr.map(|value| &value.#name))
        };
    }
    quote!(#expr.cloned())
}

/// The `RequestBody` for the body referenced by `body`.
fn body_value(api: &Api, b: &Body) -> TokenStream {
    let media = &b.media;
    match b.kind {
        BodyKind::Json => quote!(runtime::RequestBody::json(#media, body)?),
        BodyKind::Form => {
            // Fields whose `encoding` sets a style other than the default (repeated keys).
            let styles = b.encoding.iter().filter_map(|(property, _, style)| {
                let style = match (*style)? {
                    QueryStyle::Form { explode: true } => return None,
                    QueryStyle::Form { explode: false } => quote!(runtime::FormStyle::Comma),
                    QueryStyle::SpaceDelimited => quote!(runtime::FormStyle::Space),
                    QueryStyle::PipeDelimited => quote!(runtime::FormStyle::Pipe),
                    QueryStyle::DeepObject => quote!(runtime::FormStyle::DeepObject),
                };
                Some(quote!((#property, #style)))
            });
            quote!(runtime::RequestBody::form(body, &[#(#styles),*])?)
        }
        BodyKind::Bytes => quote!(runtime::RequestBody::Raw(#media, body.clone())),
        BodyKind::Text => quote!(runtime::RequestBody::Raw(#media, body.clone().into_bytes())),
        BodyKind::Multipart => {
            let fields = match resolve(api, &b.ty) {
                Ty::Named(id) => match &api.types[*id].kind {
                    TypeKind::Struct { fields } => fields.as_slice(),
                    _ => &[],
                },
                _ => &[],
            };
            let pushes = fields.iter().map(|f| {
                let name = ident(&f.name);
                let wire = &f.wire;
                // The part's content type from the body's `encoding`; else, for an object or an
                // array of them (sent as JSON text), `application/json`, as OpenAPI says.
                let structured = |ty: &Ty| match resolve(api, ty) {
                    Ty::Named(id) => !matches!(api.types[*id].kind, TypeKind::Enum { .. }),
                    Ty::Map(_) | Ty::Json => true,
                    _ => false,
                };
                let is_json = match resolve(api, &f.ty) {
                    Ty::Vec(inner) => structured(inner),
                    other => structured(other),
                };
                let content_type = match b.encoding.iter().find(|(p, _, _)| *p == f.wire).and_then(|(_, ct, _)| ct.as_deref()) {
                    Some(ct) => quote!(Some(#ct)),
                    None if is_json => quote!(Some("application/json")),
                    None => quote!(None),
                };
                let push = match resolve(api, &f.ty) {
                    Ty::File => quote!(parts.push(crate::multipart::Part::File(#wire, value.clone(), #content_type));),
                    Ty::Vec(inner) if *resolve(api, inner) == Ty::File => quote! {
                        for item in value {
                            parts.push(crate::multipart::Part::File(#wire, item.clone(), #content_type));
                        }
                    },
                    Ty::Vec(inner) if !matches!(resolve(api, inner), Ty::Vec(_) | Ty::Map(_)) => {
                        let text = to_text(api, inner, quote!(item), true);
                        quote! {
                            for item in value {
                                parts.push(crate::multipart::Part::Text(#wire, #text, #content_type));
                            }
                        }
                    }
                    _ => {
                        let text = to_text(api, &f.ty, quote!(value), true);
                        quote!(parts.push(crate::multipart::Part::Text(#wire, #text, #content_type));)
                    }
                };
                if f.required && !f.nullable {
                    quote! { { let value = &body.#name; #push } }
                } else {
                    quote! { if let Some(value) = &body.#name { #push } }
                }
            });
            quote!({
                let mut parts = Vec::new();
                #(#pushes)*
                crate::multipart::body(parts)
            })
        }
    }
}

fn body_field(api: &Api, body: &Body) -> TokenStream {
    let ty = ty_tokens(api, &body.ty, &types_path());
    if body.required {
        quote!(body: #ty,)
    } else {
        quote!(body: Option<#ty>,)
    }
}

fn method_docs(api: &Api, op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = op
        .summary
        .as_deref()
        .map(crate::docs::to_rustdoc)
        .filter(|s| !s.is_empty())
    {
        parts.push(summary);
    }
    if let Some(description) = &op.description {
        parts.push(description.clone());
    }
    parts.push(format!(
        "`{} {}` (operationId `{}`)",
        op.method.as_str(),
        op.path.replace('`', "'"),
        op.operation_id.replace('`', "'")
    ));
    if !op.scopes.is_empty() {
        let scopes: Vec<String> = op
            .scopes
            .iter()
            .map(|s| format!("`{}`", s.replace('`', "'")))
            .collect();
        parts.push(format!("Required scopes: {}", scopes.join(", ")));
    }
    if let Some(credentials) = credentials_doc(api, op) {
        parts.push(credentials);
    }
    if let Some(label) = op.description.as_deref().and_then(rate_limit_label) {
        parts.push(format!("Rate limit label: `{label}`"));
    }
    if !op.errors.is_empty() || !op.error_bodies.is_empty() {
        let mut errors = String::from(
            "# Errors\n\nStatuses the API documents for this operation (as [`Error::Api`]):",
        );
        let body_of = |status: &str| {
            op.error_bodies
                .iter()
                .find(|(s, _)| s == status)
                .map(|(_, ty)| {
                    format!(
                        "; body [`{}`], decoded by [`ApiError::json`](crate::ApiError::json)",
                        doc_type(api, ty)
                    )
                })
                .unwrap_or_default()
        };
        for (status, meaning) in &op.errors {
            errors.push_str(&format!(
                "\n- `{status}`: {}{}",
                crate::docs::to_rustdoc(meaning).replace('\n', " "),
                body_of(&status.to_string())
            ));
        }
        for (status, _) in &op.error_bodies {
            if op
                .errors
                .iter()
                .all(|(code, _)| code.to_string() != *status)
            {
                errors.push_str(&format!("\n- `{status}`{}", body_of(status)));
            }
        }
        parts.push(errors);
    }
    parts.join("\n\n")
}

/// A type as an intra-doc link target: `types::Name`, `Vec<types::Name>`, …
fn doc_type(api: &Api, ty: &Ty) -> String {
    ty.text(api, TypeText::DocLink)
}

/// What the operation's `security` asks for, in words: the alternatives, each a set of schemes.
fn credentials_doc(api: &Api, op: &Operation) -> Option<String> {
    let schemes = &api.auth.schemes;
    if schemes.is_empty() {
        return None;
    }
    if op.security.is_empty() {
        return Some("Credentials: none are sent (the spec requires none, or only schemes the generator skipped).".to_string());
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            if alt.is_empty() {
                return "none".to_string();
            }
            let names: Vec<String> = alt
                .iter()
                .map(|&i| format!("`{}`", schemes[i].name.replace('`', "'")))
                .collect();
            names.join(" and ")
        })
        .collect();
    Some(format!("Credentials: {}.", alternatives.join(", or ")))
}

/// Zoom writes the rate-limit label as "Rate Limit Label…: `LIGHT`" in descriptions.
fn rate_limit_label(description: &str) -> Option<&str> {
    let at = description.find("Rate Limit Label")?;
    let rest = &description[at..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    let label = &rest[start..start + len];
    (!label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' '))
    .then_some(label)
}

/// Checks of the parameter's constraints, run before anything is sent.
fn checks(p: &Param) -> Option<TokenStream> {
    let c = &p.constraints;
    let name = &p.wire;
    let field = ident(&p.name);
    let number = |v: f64| -> TokenStream {
        if matches!(p.ty, Ty::F64) {
            let lit = Literal::f64_unsuffixed(v);
            quote!(#lit)
        } else {
            // Integer parameters compare with integer bounds; a fractional bound rounds inward.
            let lit = Literal::i64_unsuffixed(v as i64);
            quote!(#lit)
        }
    };
    let mut body = Vec::new();
    if let Some(min) = c.minimum {
        let bound = number(if matches!(p.ty, Ty::F64) {
            min
        } else {
            min.ceil()
        });
        let exclusive = c.exclusive_minimum;
        body.push(quote!(runtime::check_minimum(#name, value, #bound, #exclusive)?;));
    }
    if let Some(max) = c.maximum {
        let bound = number(if matches!(p.ty, Ty::F64) {
            max
        } else {
            max.floor()
        });
        let exclusive = c.exclusive_maximum;
        body.push(quote!(runtime::check_maximum(#name, value, #bound, #exclusive)?;));
    }
    if let Some(min) = c.min_length {
        body.push(quote!(runtime::check_min_length(#name, value, #min)?;));
    }
    if let Some(max) = c.max_length {
        body.push(quote!(runtime::check_max_length(#name, value, #max)?;));
    }
    if body.is_empty() || !matches!(p.ty, Ty::I32 | Ty::I64 | Ty::F64 | Ty::String) {
        return None;
    }
    let by_ref = matches!(p.ty, Ty::String).then(|| quote!(&));
    Some(if p.required {
        quote! { { let value = #by_ref self.#field; #(#body)* } }
    } else {
        quote! { if let Some(value) = #by_ref self.#field { #(#body)* } }
    })
}

/// The expression that builds the request path, percent-encoding each path parameter. No
/// macro: prettyplease cannot format inside one.
fn path_expr(api: &Api, op: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = op
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(#text),
            PathSegment::Param(i) => {
                let p = &op.params[*i];
                let field = ident(&p.name);
                let wire = &p.wire;
                let text = match resolve(api, &p.ty) {
                    _ if p.json => quote!(&runtime::json_text(&self.#field)),
                    Ty::String => quote!(&self.#field),
                    _ => {
                        let text = to_text(api, &p.ty, quote!(self.#field), false);
                        quote!(&#text)
                    }
                };
                quote!(&runtime::path_segment(#wire, #text)?)
            }
        })
        .collect();
    match parts.as_slice() {
        [] => quote!(String::new()),
        [only]
            if op
                .segments
                .iter()
                .all(|s| matches!(s, PathSegment::Literal(_))) =>
        {
            quote!(String::from(#only))
        }
        _ => quote!([#(#parts),*].concat()),
    }
}

/// Pushes a query or header parameter onto `list` as `(name, text)` pairs.
fn push_param(api: &Api, p: &Param, list: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let field = ident(&p.name);
    let object = |ty: &Ty| {
        matches!(resolve(api, ty), Ty::Map(_))
            || matches!(resolve(api, ty), Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Struct { .. }))
    };
    let push = match (resolve(api, &p.ty), p.style) {
        // `content: application/json`: the whole value as JSON text.
        _ if p.json => quote!(#list.push((#wire.into(), runtime::json_text(value)));),
        (Ty::Vec(inner), style) if !matches!(resolve(api, inner), Ty::Vec(_) | Ty::Map(_)) => {
            let text = to_text(api, inner, quote!(item), true);
            let separator = match style {
                QueryStyle::Form { explode: true } | QueryStyle::DeepObject => None,
                QueryStyle::Form { explode: false } => Some(","),
                QueryStyle::SpaceDelimited => Some(" "),
                QueryStyle::PipeDelimited => Some("|"),
            };
            match separator {
                // Headers and cookies always join with commas.
                None if p.location == Location::Query => quote! {
                    for item in value {
                        #list.push((#wire.into(), #text));
                    }
                },
                separator if *resolve(api, inner) == Ty::String => {
                    let separator = separator.unwrap_or(",");
                    quote!(#list.push((#wire.into(), value.join(#separator)));)
                }
                separator => {
                    let separator = separator.unwrap_or(",");
                    quote! {
                        let items: Vec<String> = value.iter().map(|item| #text).collect();
                        #list.push((#wire.into(), items.join(#separator)));
                    }
                }
            }
        }
        (ty, QueryStyle::DeepObject) if p.location == Location::Query && object(ty) => {
            quote!(#list.extend(runtime::object_pairs(Some(#wire), value));)
        }
        (ty, QueryStyle::Form { explode: true }) if p.location == Location::Query && object(ty) => {
            quote!(#list.extend(runtime::object_pairs(None, value));)
        }
        _ => {
            let text = to_text(api, &p.ty, quote!(value), true);
            quote!(#list.push((#wire.into(), #text));)
        }
    };
    if p.required {
        quote! { { let value = &self.#field; #push } }
    } else {
        quote! { if let Some(value) = &self.#field { #push } }
    }
}

/// Text of a parameter value; `is_ref` says whether `value` is a reference or a place.
fn to_text(api: &Api, ty: &Ty, value: TokenStream, is_ref: bool) -> TokenStream {
    match resolve(api, ty) {
        Ty::String => quote!(#value.clone()),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => quote!(#value.to_string()),
        Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Enum { .. }) => {
            quote!(#value.to_string())
        }
        // The user's or a format's type: its serialized text (`2024-01-01T00:00:00Z`).
        // A `null` item is sent as empty text.
        Ty::Nullable(inner) => {
            let text = to_text(api, inner, quote!(value), true);
            let option = if is_ref { value } else { quote!(&#value) };
            quote!(match #option { Some(value) => #text, None => String::new() })
        }
        Ty::External(_) if is_ref => quote!(runtime::scalar_text(#value)),
        Ty::External(_) => quote!(runtime::scalar_text(&#value)),
        _ if is_ref => quote!(runtime::json_text(#value)),
        _ => quote!(runtime::json_text(&#value)),
    }
}
