//! How a builder's fields become the request: constraint checks, the path, query and header
//! pairs, and the body.

use super::*;

/// Checks of the parameter's constraints, run before anything is sent.
pub(super) fn checks(p: &Param) -> Option<TokenStream> {
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
        body.push(quote!(wire::check_minimum(#name, value, #bound, #exclusive)?;));
    }
    if let Some(max) = c.maximum {
        let bound = number(if matches!(p.ty, Ty::F64) {
            max
        } else {
            max.floor()
        });
        let exclusive = c.exclusive_maximum;
        body.push(quote!(wire::check_maximum(#name, value, #bound, #exclusive)?;));
    }
    if let Some(min) = c.min_length {
        body.push(quote!(wire::check_min_length(#name, value, #min)?;));
    }
    if let Some(max) = c.max_length {
        body.push(quote!(wire::check_max_length(#name, value, #max)?;));
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
pub(super) fn path_expr(api: &Api, op: &Operation) -> TokenStream {
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
                    _ if p.json => quote!(&wire::json_text(&self.#field)),
                    Ty::String => quote!(&self.#field),
                    _ => {
                        let text = to_text(api, &p.ty, quote!(self.#field), false);
                        quote!(&#text)
                    }
                };
                quote!(&wire::path_segment(#wire, #text)?)
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
pub(super) fn push_param(api: &Api, p: &Param, list: TokenStream) -> TokenStream {
    let field = ident(&p.name);
    let push = push_value(api, p, list);
    if p.required {
        quote! { { let value = &self.#field; #push } }
    } else {
        quote! { if let Some(value) = &self.#field { #push } }
    }
}

/// Pushes the parameter's `value` (a reference to its type) onto `list` as `(name, text)`
/// pairs: what the client sends, and what a mock matches.
pub(crate) fn push_value(api: &Api, p: &Param, list: TokenStream) -> TokenStream {
    let wire = &p.wire;
    let object = |ty: &Ty| {
        matches!(resolve(api, ty), Ty::Map(_))
            || matches!(resolve(api, ty), Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Struct { .. }))
    };
    match (resolve(api, &p.ty), p.style) {
        // `content: application/json`: the whole value as JSON text.
        _ if p.json => quote!(#list.push((#wire.into(), wire::json_text(value)));),
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
                    // A function, not a closure that only calls it (clippy's `redundant_closure`).
                    let text = match text_function(api, inner) {
                        Some(function) => function,
                        None => quote!(|item| #text),
                    };
                    quote! {
                        let items: Vec<String> = value.iter().map(#text).collect();
                        #list.push((#wire.into(), items.join(#separator)));
                    }
                }
            }
        }
        (ty, QueryStyle::DeepObject) if p.location == Location::Query && object(ty) => {
            quote!(#list.extend(wire::object_pairs(Some(#wire), value));)
        }
        (ty, QueryStyle::Form { explode: true }) if p.location == Location::Query && object(ty) => {
            quote!(#list.extend(wire::object_pairs(None, value));)
        }
        _ => {
            let text = to_text(api, &p.ty, quote!(value), true);
            quote!(#list.push((#wire.into(), #text));)
        }
    }
}

/// Text of a parameter value; `is_ref` says whether `value` is a reference or a place.
pub(crate) fn to_text(api: &Api, ty: &Ty, value: TokenStream, is_ref: bool) -> TokenStream {
    if let Some(function) = text_function(api, ty) {
        return if is_ref {
            quote!(#function(#value))
        } else {
            quote!(#function(&#value))
        };
    }
    match resolve(api, ty) {
        Ty::String => quote!(#value.clone()),
        // A `null` item is sent as empty text.
        Ty::Nullable(inner) => {
            let text = to_text(api, inner, quote!(value), true);
            let option = if is_ref { value } else { quote!(&#value) };
            quote!(match #option { Some(value) => #text, None => String::new() })
        }
        // Numbers, booleans and enums: their `Display`.
        _ => quote!(#value.to_string()),
    }
}

/// The runtime function that makes the text of a reference to a `ty`, for the types whose text
/// is not their `Display`: what the value serializes to when that is a string (a format's or
/// the user's type, `2024-01-01T00:00:00Z`; a `oneOf` of an ID or a slug holding the slug; a
/// `const`), its JSON text otherwise (a number of a `oneOf`, an object).
fn text_function(api: &Api, ty: &Ty) -> Option<TokenStream> {
    match resolve(api, ty) {
        Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Nullable(_) => None,
        Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Enum { .. }) => None,
        _ => Some(quote!(wire::scalar_text)),
    }
}

/// The `RequestBody` for the body referenced by `body`.
pub(super) fn body_value(api: &Api, b: &Body) -> TokenStream {
    let media = &b.media;
    match b.kind {
        BodyKind::Json => quote!(wire::RequestBody::json(#media, body)?),
        BodyKind::Form => {
            // Fields whose `encoding` sets a style other than the default (repeated keys).
            let styles = b.encoding.iter().filter_map(|(property, _, style)| {
                let style = match (*style)? {
                    QueryStyle::Form { explode: true } => return None,
                    QueryStyle::Form { explode: false } => quote!(wire::FormStyle::Comma),
                    QueryStyle::SpaceDelimited => quote!(wire::FormStyle::Space),
                    QueryStyle::PipeDelimited => quote!(wire::FormStyle::Pipe),
                    QueryStyle::DeepObject => quote!(wire::FormStyle::DeepObject),
                };
                Some(quote!((#property, #style)))
            });
            quote!(wire::RequestBody::form(body, &[#(#styles),*])?)
        }
        BodyKind::Bytes => quote!(wire::RequestBody::Upload(#media, body.clone())),
        BodyKind::Text => quote!(wire::RequestBody::Raw(#media, body.clone().into_bytes())),
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
                // A structured part is JSON text (a `oneOf` holding a string is quoted); any
                // other, the parameter text.
                let part_text = |ty: &Ty, value: TokenStream| {
                    if structured(ty) {
                        quote!(wire::json_text(#value))
                    } else {
                        to_text(api, ty, value, true)
                    }
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
                        let text = part_text(inner, quote!(item));
                        quote! {
                            for item in value {
                                parts.push(crate::multipart::Part::Text(#wire, #text, #content_type));
                            }
                        }
                    }
                    _ => {
                        let text = part_text(&f.ty, quote!(value));
                        quote!(parts.push(crate::multipart::Part::Text(#wire, #text, #content_type));)
                    }
                };
                if f.three_state() {
                    // A multipart part cannot be `null`: `Some(None)` sends nothing, as `None` does.
                    quote! { if let Some(Some(value)) = &body.#name { #push } }
                } else if f.required && !f.nullable {
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

pub(super) fn body_field(api: &Api, body: &Body) -> TokenStream {
    let ty = super::param_types(api, &body.ty).stored;
    if body.required {
        quote!(body: #ty,)
    } else {
        quote!(body: Option<#ty>,)
    }
}
