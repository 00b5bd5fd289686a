//! Build-script mode's lint allowances: the file is compiled as part of the including crate,
//! under its lints, in whatever module it is included in; [`allow_what_the_includer_would_raise`]
//! gives its items the `allow`s that keep that crate's lint policy on its own code.

/// Lets the file's items go unused without a warning, as tonic-build's output does: included in
/// a private module or a binary, the parts of the API a program does not call would otherwise
/// each be `dead_code` or an unused import. Modules also allow:
/// - the clippy lints that clippy leaves alone on an exported API (its
///   `avoid-breaking-exported-api`) and so never sees in a generated crate, but would raise on
///   the spec's names in a private module (`wrong_self_convention` on an operation
///   `from_collection`, `enum_variant_names`);
/// - the lints a crate may turn on beyond the defaults that the generated code raises
///   (`missing_docs`, `unreachable_pub`, `unused_qualifications`,
///   `missing_copy_implementations`, clippy's `pedantic` and `nursery`), which are the including
///   crate's policy for its own code, as a generated crate is not subject to its users' lints
///   either.
pub(crate) fn allow_what_the_includer_would_raise(items: &mut [syn::Item]) {
    const UNUSED: &[&str] = &["dead_code", "unused_imports"];
    const EXPORTED_API: &[&str] = &[
        "clippy::box_collection",
        "clippy::enum_variant_names",
        "clippy::redundant_allocation",
        "clippy::upper_case_acronyms",
        "clippy::vec_box",
        "clippy::wrong_self_convention",
    ];
    const BEYOND_DEFAULTS: &[&str] = &[
        "missing_copy_implementations",
        "missing_docs",
        "unreachable_pub",
        "unused_qualifications",
        "clippy::nursery",
        "clippy::pedantic",
    ];
    for item in items {
        let (attrs, module) = match item {
            syn::Item::Use(u) => (&mut u.attrs, false),
            syn::Item::Mod(m) => (&mut m.attrs, true),
            syn::Item::Const(c) if c.ident != "_" => (&mut c.attrs, false),
            syn::Item::Fn(f) => (&mut f.attrs, false),
            syn::Item::Struct(s) => (&mut s.attrs, false),
            syn::Item::Enum(e) => (&mut e.attrs, false),
            syn::Item::Static(s) => (&mut s.attrs, false),
            syn::Item::Type(t) => (&mut t.attrs, false),
            _ => continue,
        };
        if module {
            add_allows(attrs, &[UNUSED, EXPORTED_API, BEYOND_DEFAULTS].concat());
        } else {
            // A re-export, a constant: what of the rest could apply to one.
            add_allows(
                attrs,
                &[UNUSED, &["missing_docs", "unreachable_pub"]].concat(),
            );
        }
    }
}

/// Adds `lints` to the item's `allow` attribute, or gives it one. An inlined module keeps its
/// file's attributes inner (`#![allow(…)]`), and clippy objects to an item with both styles, so
/// the attribute takes the style the item's attributes already have.
fn add_allows(attrs: &mut Vec<syn::Attribute>, lints: &[&str]) {
    use syn::punctuated::Punctuated;
    let inner = |a: &syn::Attribute| matches!(a.style, syn::AttrStyle::Inner(_));
    let style = attrs
        .iter()
        .find(|a| inner(a))
        .map_or(syn::AttrStyle::Outer, |a| a.style);
    let existing = attrs.iter().position(|a| {
        inner(a) == matches!(style, syn::AttrStyle::Inner(_)) && a.path().is_ident("allow")
    });
    let mut listed: Punctuated<syn::Path, syn::Token![,]> = existing
        .and_then(|i| attrs[i].parse_args_with(Punctuated::parse_terminated).ok())
        .unwrap_or_default();
    let text = |p: &syn::Path| {
        quote::ToTokens::to_token_stream(p)
            .to_string()
            .replace(' ', "")
    };
    for lint in lints {
        let Ok(lint) = syn::parse_str::<syn::Path>(lint) else {
            continue;
        };
        if !listed.iter().any(|p| text(p) == text(&lint)) {
            listed.push(lint);
        }
    }
    let mut allow: syn::Attribute = syn::parse_quote!(#[allow(#listed)]);
    allow.style = style;
    match existing {
        Some(i) => attrs[i] = allow,
        // After the docs, where a person writes it.
        None => {
            let docs = attrs
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            attrs.insert(docs, allow);
        }
    }
}
