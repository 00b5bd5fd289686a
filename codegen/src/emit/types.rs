//! Emits `src/types.rs`: one struct per object schema and one enum per string enum.

use super::{cfg_attr, doc_attr, resolve, ty_tokens};
use crate::model::{Api, Discriminator, Field, Ty, TypeDef, TypeId, TypeKind, Variant};
use crate::naming::ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// Part `part` of `parts` of the `types` module: its share of the types, in order, and the
/// module's inner attributes in part 0. The parts' printed texts, joined in order, are the
/// module's, so large modules are formatted on several threads; part 0 of 1 is the whole module.
pub fn types_part(api: &Api, part: usize, parts: usize) -> TokenStream {
    let range = super::part_range(api.types.len(), part, parts);
    let items = api.types[range.clone()].iter().zip(range).map(|(t, id)| {
        let cfg = cfg_attr(&t.features);
        match &t.kind {
            TypeKind::Struct { fields } => struct_item(api, id, t, fields, &cfg),
            TypeKind::Enum {
                variants,
                fallback,
                default,
            } => enum_item(t, variants, fallback, *default, &cfg),
            TypeKind::OneOf {
                variants,
                fallback,
                discriminator,
            } => one_of_item(api, id, t, variants, fallback, discriminator.as_ref(), &cfg),
            TypeKind::Tuple(items) => tuple_item(api, id, t, items, &cfg),
            TypeKind::Const(value) => const_item(t, value, &cfg),
            TypeKind::Alias(ty) => {
                let name = ident(&t.name);
                let docs = doc_attr(t.docs.as_deref());
                let ty = ty_tokens(api, ty, &quote!());
                quote! { #docs #cfg pub type #name = #ty; }
            }
        }
    });
    let header = (part == 0).then(|| {
        let imports = super::shared::dependency_imports(api);
        quote! {
            #![doc = " Data types of the API: request and response bodies, and enums of parameters."]
            #![allow(clippy::doc_markdown)]
            #imports
        }
    });
    quote! {
        #header
        #(#items)*
    }
}

fn struct_item(
    api: &Api,
    id: TypeId,
    t: &TypeDef,
    fields: &[Field],
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attr(t.docs.as_deref());
    // `#[non_exhaustive]`, so that a field the spec adds is a compatible change: other crates
    // make a value with `Default` (and assignments to its fields) or with `new`, which takes
    // the required fields.
    let derive_default = fields
        .iter()
        .all(|f| field_has_default(api, f))
        .then(|| quote!(Default,));
    // Each field's declared type: `Option<…>` unless required and not nullable.
    let types: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let ty = field_ty(api, id, f);
            if f.three_state() {
                quote!(Option<Option<#ty>>)
            } else if f.required && !f.nullable {
                ty
            } else {
                quote!(Option<#ty>)
            }
        })
        .collect();
    let serde = serde_impls(&name, fields, cfg);
    let constructor = constructor(api, &name, fields, &types, cfg);
    let fields = fields.iter().zip(&types).map(|(f, ty)| {
        let fname = ident(&f.name);
        let fdocs = doc_attr(f.docs.as_deref());
        let fdocs = if f.deprecated {
            quote!(#fdocs #[deprecated = "the API marks this field as deprecated"])
        } else {
            fdocs
        };
        let complex = super::allow_complex_type([ty]);
        quote! { #fdocs #complex pub #fname: #ty, }
    });
    quote! {
        #docs
        #cfg
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #constructor
        #serde
    }
}

/// `new`, taking the fields that are neither optional nor nullable (the rest start as `None`),
/// for a struct that has any. Adding one is a breaking change, as it is for the API.
fn constructor(
    api: &Api,
    name: &Ident,
    fields: &[Field],
    types: &[TokenStream],
    cfg: &TokenStream,
) -> Option<TokenStream> {
    // Fields that must hold a value: `new` takes them, except a `const` field, which can only
    // hold its constant, so `new` fills it in.
    let present = |f: &Field| f.required && !f.nullable;
    let is_const = |f: &Field| matches!(resolve(api, &f.ty), Ty::Named(id) if matches!(api.types[*id].kind, TypeKind::Const(_)));
    let constant = |f: &Field| present(f) && is_const(f);
    let required = |f: &Field| present(f) && !is_const(f);
    if !fields.iter().any(present) {
        return None;
    }
    // Text is taken as anything that becomes a `String`, as the client's methods take it.
    let text = |f: &Field| *resolve(api, &f.ty) == Ty::String;
    let args = fields
        .iter()
        .zip(types)
        .filter(|(f, _)| required(f))
        .map(|(f, ty)| {
            let fname = ident(&f.name);
            if text(f) {
                quote!(#fname: impl Into<String>)
            } else {
                quote!(#fname: #ty)
            }
        });
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.name);
        match (required(f), text(f)) {
            _ if constant(f) => quote!(#fname: Default::default(),),
            (true, true) => quote!(#fname: #fname.into(),),
            (true, false) => quote!(#fname,),
            (false, _) => quote!(#fname: None,),
        }
    });
    let new_docs = if fields.iter().any(constant) {
        " A value with the required fields; constants are set, and optional fields start as `None`."
    } else {
        " A value with the required fields; the optional ones start as `None`."
    };
    let many = (fields.iter().filter(|f| required(f)).count() > 7)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let deprecated = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let complex = super::allow_complex_type(
        fields
            .iter()
            .zip(types)
            .filter(|(f, _)| required(f))
            .map(|(_, ty)| ty),
    );
    // Arguments are named after the spec's fields, which may be clippy's placeholder names or
    // only underscores and digits (Plaid's `_529`).
    let placeholder = fields
        .iter()
        .any(|f| required(f) && super::operations::PLACEHOLDER_NAMES.contains(&f.name.as_str()))
        .then(|| quote!(#[allow(clippy::disallowed_names)]));
    let digits = fields
        .iter()
        .any(|f| required(f) && f.name.chars().all(|c| c == '_' || c.is_ascii_digit()))
        .then(|| quote!(#[allow(clippy::just_underscores_and_digits)]));
    Some(quote! {
        #cfg
        impl #name {
            #[doc = #new_docs]
            #many
            #deprecated
            #complex
            #placeholder
            #digits
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
        }
    })
}

/// `Serialize` and `Deserialize` for a struct: the runtime's `json_object!`, one line per field
/// with its wire name and kind (see the macro for what each kind does). Written out rather
/// than derived, which costs rustc far less; as a macro, so each struct is a few lines to
/// generate, format and review.
fn serde_impls(name: &Ident, fields: &[Field], cfg: &TokenStream) -> TokenStream {
    let lines = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let kind = match (f.required, f.nullable) {
            (false, true) => quote!(optional_nullable),
            (false, false) => quote!(optional),
            (true, true) => quote!(nullable),
            (true, false) => quote!(required),
        };
        quote!(#fname = #wire #kind,)
    });
    // Every field an `Option`: the struct derives `Default` (see `struct_item`) and is read in
    // place, which costs rustc less than a slot per field.
    let in_place = (!fields.is_empty() && fields.iter().all(|f| !f.required || f.nullable))
        .then(|| quote!(in_place));
    quote! {
        #cfg
        crate::json::json_object!(#in_place #name { #(#lines)* });
    }
}

/// A field's Rust type, boxed where the struct would otherwise contain itself.
fn field_ty(api: &Api, owner: TypeId, f: &Field) -> TokenStream {
    let ty = ty_tokens(api, &f.ty, &quote!());
    if needs_box(api, owner, &f.ty) {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// A string enum: the enum written out, with a unit variant per listed value and the fallback
/// variant for any other, and its impls from the runtime's `string_enum!`, one line per variant
/// with its wire value (see the macro for what it implements).
fn enum_item(
    t: &TypeDef,
    variants: &[Variant],
    fallback: &str,
    default: Option<usize>,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attr(t.docs.as_deref());
    let fallback = ident(fallback);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
    let derive_default = default.map(|_| quote!(Default,));
    let variant_attrs =
        (0..variants.len()).map(|i| (default == Some(i)).then(|| quote!(#[default])));
    let separator = t.docs.is_some().then(|| quote!(#[doc = ""]));
    quote! {
        #docs
        #separator
        /// Values the spec does not list are kept in the fallback variant as they were sent, and
        /// serialized back unchanged. The enum is `#[non_exhaustive]`, so a value added to the
        /// spec is a compatible change of the crate.
        #cfg
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variant_attrs #idents,)*
            /// A value the spec does not list, kept exactly as received.
            #fallback(String),
        }

        #cfg
        crate::json::string_enum!(#name(#fallback) { #(#idents = #wires,)* });
    }
}

/// A tuple struct, written and read as a JSON array of exactly its elements (serde's derive).
fn tuple_item(api: &Api, id: TypeId, t: &TypeDef, items: &[Ty], cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attr(t.docs.as_deref());
    let separator = t.docs.is_some().then(|| quote!(#[doc = ""]));
    let how = match items.len() {
        1 => " A JSON array of exactly one element.".to_string(),
        n => format!(" A JSON array of exactly {n} elements, in this order."),
    };
    let serde_crate = super::shared::serde_crate(api);
    let elements = items.iter().map(|ty| {
        let tokens = ty_tokens(api, ty, &quote!());
        if needs_box(api, id, ty) {
            quote!(pub Box<#tokens>)
        } else {
            quote!(pub #tokens)
        }
    });
    quote! {
        #docs
        #separator
        #[doc = #how]
        #cfg
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #serde_crate
        pub struct #name(#(#elements),*);
    }
}

/// A unit struct for a `const`: written as its one value, and reading any other is an error.
fn const_item(t: &TypeDef, value: &str, cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attr(t.docs.as_deref());
    let separator = t.docs.is_some().then(|| quote!(#[doc = ""]));
    let how = format!(" Always `{value}` (a `const`): reading any other value is an error.");
    quote! {
        #docs
        #separator
        #[doc = #how]
        #cfg
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct #name;

        #cfg
        impl #name {
            /// The value on the wire.
            pub const VALUE: &'static str = #value;

            /// The value on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        #cfg
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                if value == Self::VALUE {
                    Ok(Self)
                } else {
                    Err(serde::de::Error::invalid_value(
                        serde::de::Unexpected::Str(&value),
                        &Self::VALUE,
                    ))
                }
            }
        }
    }
}

fn one_of_item(
    api: &Api,
    id: TypeId,
    t: &TypeDef,
    variants: &[(String, Ty)],
    fallback: &str,
    discriminator: Option<&Discriminator>,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attr(t.docs.as_deref());
    let fallback = ident(fallback);
    let idents: Vec<_> = variants.iter().map(|(v, _)| ident(v)).collect();
    let types = variants.iter().map(|(_, ty)| {
        let tokens = ty_tokens(api, ty, &quote!());
        if needs_box(api, id, ty) || api.size_estimate(ty) > crate::model::OVERSIZED {
            quote!(Box<#tokens>)
        } else {
            tokens
        }
    });
    let how = match discriminator {
        Some(d) => format!(" Decoded by the value of its `{}` property.", d.property),
        None => " Decoded as the first alternative the value matches.".to_string(),
    };
    let enum_docs = format!(
        " One of several types.{how} A value that matches none is kept in the fallback variant."
    );
    let separator = t.docs.is_some().then(|| quote!(#[doc = ""]));
    let serde_crate = super::shared::serde_crate(api);
    match discriminator {
        None => quote! {
                    #docs
                    #separator
                    #[doc = #enum_docs]
        #cfg
                    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                    #serde_crate
                    #[serde(untagged)]
                    pub enum #name {
                        #(#idents(#types),)*
                        /// A value that matches none of the alternatives, kept as it was received.
                        #fallback(serde_json::Value),
                    }
                },
        Some(d) => {
            let property = &d.property;
            let arms = d.mapping.iter().map(|(value, i)| {
                let variant = &idents[*i];
                quote! {
                    Some(#value) => serde_json::from_value(value).map(Self::#variant).map_err(serde::de::Error::custom),
                }
            });
            quote! {
                            #docs
                            #separator
                            #[doc = #enum_docs]
            #cfg
                            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                            #serde_crate
                            #[serde(untagged)]
                            pub enum #name {
                                #(#idents(#types),)*
                                /// A value whose discriminator names no known alternative, kept as received.
                                #fallback(serde_json::Value),
                            }

                            #cfg
                            impl<'de> serde::Deserialize<'de> for #name {
                                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                                    let value = serde_json::Value::deserialize(deserializer)?;
                                    let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_string);
                                    match tag.as_deref() {
                                        #(#arms)*
                                        _ => Ok(Self::#fallback(value)),
                                    }
                                }
                            }
                        }
        }
    }
}

/// Whether the field's type can be `Default` (so the struct can derive it).
fn field_has_default(api: &Api, field: &Field) -> bool {
    !field.required || field.nullable || ty_has_default(api, &field.ty, &mut BTreeSet::new())
}

fn ty_has_default(api: &Api, ty: &Ty, seen: &mut BTreeSet<TypeId>) -> bool {
    match resolve(api, ty) {
        Ty::Named(id) => {
            if !seen.insert(*id) {
                return false;
            }
            match &api.types[*id].kind {
                TypeKind::Struct { fields } => {
                    !fields.is_empty()
                        && fields
                            .iter()
                            .all(|f| !f.required || f.nullable || ty_has_default(api, &f.ty, seen))
                }
                TypeKind::Enum { default, .. } => default.is_some(),
                TypeKind::Const(_) => true,
                TypeKind::Alias(_) | TypeKind::OneOf { .. } | TypeKind::Tuple(_) => false,
            }
        }
        _ => true,
    }
}

/// A field needs a `Box` when its type contains the struct itself without a `Vec` or map in
/// between (a recursive type would otherwise have infinite size).
fn needs_box(api: &Api, owner: TypeId, ty: &Ty) -> bool {
    fn reaches(api: &Api, ty: &Ty, target: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
        match ty {
            Ty::Named(id) => {
                if *id == target {
                    return true;
                }
                if !seen.insert(*id) {
                    return false;
                }
                api.types[*id]
                    .kind
                    .members()
                    .into_iter()
                    .any(|ty| reaches(api, ty, target, seen))
            }
            _ => false,
        }
    }
    reaches(api, ty, owner, &mut BTreeSet::new())
}
