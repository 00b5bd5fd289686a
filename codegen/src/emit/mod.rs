//! Stage 3, emit: turn the model into Rust token trees (`quote!`), one function per generated
//! file.
//!
//! - Input: a [`crate::model::Api`].
//! - Output: token streams (and the text of `Cargo.toml`).
//! - May not: decide a name (every identifier comes from the model), look at the `openapiv3`
//!   document or the config, or format text.

pub(crate) mod dependencies;
pub mod krate;
pub mod mock;
pub mod operations;
pub mod security;
pub mod servers;
pub(crate) mod shared;
pub mod types;
pub mod webhooks;

use crate::model::{Api, Ty};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The tokens of a type expression. `types_path` is how the current module reaches the `types`
/// module (empty inside it).
pub fn ty_tokens(api: &Api, ty: &Ty, types_path: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Json => quote!(serde_json::Value),
        Ty::Vec(inner) => {
            let inner = ty_tokens(api, inner, types_path);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(api, inner, types_path);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Nullable(inner) => {
            let inner = ty_tokens(api, inner, types_path);
            quote!(Option<#inner>)
        }
        Ty::Named(id) => {
            let name = ident(&api.types[*id].name);
            quote!(#types_path #name)
        }
        Ty::Bytes => quote!(Vec<u8>),
        Ty::File => quote!(crate::FilePart),
        // Checked to parse when the model was built.
        Ty::External(path) => match syn::parse_str::<syn::Type>(path) {
            Ok(ty) => quote!(#ty),
            Err(_) => quote!(serde_json::Value),
        },
    }
}

/// The indices of part `part` of `parts` nearly equal parts of `len` items.
pub fn part_range(len: usize, part: usize, parts: usize) -> std::ops::Range<usize> {
    let per = len.div_ceil(parts.max(1));
    (part * per).min(len)..((part + 1) * per).min(len)
}

/// `#[cfg(feature = …)]` for an item compiled when any of `features` is on; nothing when empty.
pub fn cfg_attr(features: &[String]) -> TokenStream {
    match features {
        [] => quote!(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `#[allow(clippy::type_complexity)]` for an item whose type clippy finds too complex (a map
/// of lists of lists of maps, Azure's), which only a name of our own making could simplify.
pub(crate) fn allow_complex_type<'a>(
    types: impl IntoIterator<Item = &'a TokenStream>,
) -> Option<TokenStream> {
    types
        .into_iter()
        .any(|ty| {
            syn::parse2::<syn::Type>(ty.clone()).is_ok_and(|ty| {
                crate::model::rust_type_complexity(&ty, 1) > crate::model::TOO_COMPLEX
            })
        })
        .then(|| quote!(#[allow(clippy::type_complexity)]))
}

/// `#[doc = "…"]` attributes, one a line (printed as `///` comments), or nothing.
pub fn doc_attr(docs: Option<&str>) -> TokenStream {
    let lines = doc_lines(docs);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "…"]` attributes (printed as `//!` comments), or nothing.
pub fn inner_doc_attr(docs: Option<&str>) -> TokenStream {
    let lines = doc_lines(docs);
    quote!(#(#![doc = #lines])*)
}

/// The lines of `docs`, each with its leading space. A carriage return ends a line too: rustc
/// refuses a bare one in a doc comment (VTEX's specs have them).
fn doc_lines(docs: Option<&str>) -> Vec<String> {
    match docs {
        Some(text) if !text.trim().is_empty() => text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Follows aliases to the type a `Ty` finally stands for ([`Api::resolve`]).
pub fn resolve<'a>(api: &'a Api, ty: &'a Ty) -> &'a Ty {
    api.resolve(ty)
}
