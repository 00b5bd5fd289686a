//! Emits the crate around the API code: `Cargo.toml`, `rustfmt.toml`, `src/lib.rs`, and the
//! runtime modules every generated client shares (`src/runtime.rs`, `src/error.rs`).
//!
//! The runtime is ordinary Rust kept in `codegen/runtime/`; it is parsed with `syn` when the
//! generator runs, so it is emitted through the same formatter as the rest, and a syntax error in
//! it fails generation rather than producing a broken crate.

use super::{cfg_attr, inner_doc_attr};
use crate::model::{Api, Ty};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime modules a client of `api` needs: (file name, source). `pagination.rs` only when an
/// operation paginates, so no client carries dead code.
pub fn runtime_files(api: &Api) -> Vec<(&'static str, &'static str)> {
    let paginates = api.operations.iter().any(|op| op.pagination.is_some());
    RUNTIME_FILES
        .iter()
        .copied()
        .filter(|(path, _)| paginates || *path != "src/pagination.rs")
        .collect()
}

/// Every runtime module: (file name, source).
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("src/auth.rs", include_str!("../../runtime/auth.rs")),
    ("src/error.rs", include_str!("../../runtime/error.rs")),
    (
        "src/pagination.rs",
        include_str!("../../runtime/pagination.rs"),
    ),
    ("src/retry.rs", include_str!("../../runtime/retry.rs")),
    ("src/runtime.rs", include_str!("../../runtime/runtime.rs")),
];

/// Package metadata for `Cargo.toml`.
pub struct Package<'a> {
    /// Package name.
    pub name: &'a str,
    /// Package version.
    pub version: &'a str,
    /// One-line description.
    pub description: &'a str,
}

/// `src/lib.rs`.
pub fn lib_file(api: &Api, crate_ident: &str, base_url: &str) -> TokenStream {
    let title = format!(" # {} API client", api.title.replace('\n', " "));
    let intro = api.description.as_deref();
    let description = inner_doc_attr(intro);
    let example = usage_example(api, crate_ident, base_url);
    let skipped = (!api.skipped.is_empty()).then(|| {
        let mut text = String::from(
            "## Not generated\n\nThe generator skipped these parts of the spec (JSON pointer: reason):\n",
        );
        for w in &api.skipped {
            text.push_str(&format!("\n- `#{}`: {}", w.pointer.replace('`', "'"), w.message.replace('`', "'")));
        }
        inner_doc_attr(Some(&text))
    });
    // With no operation the runtime has no caller; say so rather than warn about each item.
    let no_operations = api.operations.is_empty().then(|| {
        quote! {
            #![doc = ""]
            #![doc = " This spec has no operation the generator could generate, so the client has no methods."]
            #![allow(dead_code)]
        }
    });
    let operations_use = (!api.operations.is_empty()).then(|| {
        quote!(
            pub use operations::*;
        )
    });
    let paginated: Vec<&crate::model::Operation> = api
        .operations
        .iter()
        .filter(|op| op.pagination.is_some())
        .collect();
    let pagination_mod = (!paginated.is_empty()).then(|| {
        // Compiled when any paginated operation is: always, if one of them always is.
        let gates: Option<std::collections::BTreeSet<String>> =
            paginated.iter().map(|op| op.feature.clone()).collect();
        let features: Vec<String> = gates.into_iter().flatten().collect();
        let cfg = cfg_attr(&features);
        quote!(
            #cfg
            mod pagination;
        )
    });
    let features = features_doc(api);
    // With every operation gated and no feature on, the runtime has no caller.
    let all_gated = (!api.features.is_empty()
        && api.operations.iter().all(|op| op.feature.is_some()))
    .then(|| {
        let names = api.features.iter().map(|f| &f.name);
        quote!(#![cfg_attr(not(any(#(feature = #names),*)), allow(dead_code, unused_imports))])
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #description
        #example
        #features
        #skipped
        #no_operations
        #all_gated
        #![forbid(unsafe_code)]

        mod auth;
        mod error;
        mod operations;
        #pagination_mod
        mod retry;
        mod runtime;
        pub mod types;

        pub use auth::{AccessToken, BoxFuture, TokenSource, DEFAULT_OAUTH_URL};
        pub use error::{ApiError, AuthError, DecodeError, Error, ErrorBody, FieldError};
        pub use futures_core::Stream;
        #operations_use
        pub use retry::RetryPolicy;
        pub use runtime::{ApiResponse, ByteStream, Client, ClientBuilder, FilePart, RateLimit, RequestOptions, ResponseMeta};

        /// The base URL requests go to unless [`ClientBuilder::base_url`] says otherwise.
        pub const DEFAULT_BASE_URL: &str = #base_url;
    }
}

/// The crate docs' list of Cargo features, when operations are gated by tag.
fn features_doc(api: &Api) -> Option<TokenStream> {
    if api.features.is_empty() {
        return None;
    }
    let mut text = String::from(
        "\n## Cargo features\n\nOne feature per tag of the spec turns on its operations and the \
         types only they use. All are on by default (feature `full`); to compile only what you \
         call, depend on the crate with `default-features = false` and name the features you \
         need.\n\n| feature | tag | operations |\n|---|---|---:|",
    );
    for f in &api.features {
        text.push_str(&format!(
            "\n| `{}` | {} | {} |",
            f.name,
            match &f.tag {
                Some(tag) => tag.replace('|', "\\|").replace('`', "'"),
                None => "(component schemas that no operation uses)".to_string(),
            },
            api.operations
                .iter()
                .filter(|op| op.feature.as_ref() == Some(&f.name))
                .count()
        ));
    }
    let always = api
        .operations
        .iter()
        .filter(|op| op.feature.is_none())
        .count();
    if always > 0 {
        text.push_str(&format!(
            "\n\n{always} operation(s) without a tag are always compiled."
        ));
    }
    Some(inner_doc_attr(Some(&text)))
}

/// A `no_run` doctest that builds a client and calls the first operation whose required
/// arguments are all strings.
fn usage_example(api: &Api, crate_ident: &str, base_url: &str) -> TokenStream {
    let call = api
        .operations
        .iter()
        .find(|op| {
            op.body.as_ref().is_none_or(|b| !b.required)
                && op
                    .params
                    .iter()
                    .filter(|p| p.required)
                    .all(|p| p.ty == Ty::String)
        })
        .map(|op| {
            let args: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    format!(
                        "{:?}",
                        naming::snake_name(&p.wire, "value")
                            .trim_start_matches("r#")
                            .to_uppercase()
                    )
                })
                .collect();
            format!(
                "let response = client.{}({}).await?;\nprintln!(\"{{response:?}}\");",
                op.method_name,
                args.join(", ")
            )
        })
        .unwrap_or_else(|| "let _ = client;".to_string());
    let text = format!(
        "\n## Usage\n\n```no_run\n# async fn run() -> Result<(), {crate_ident}::Error> {{\n\
         let client = {crate_ident}::Client::new(\"ACCESS_TOKEN\")?;\n{call}\n# Ok(())\n# }}\n```\n\n\
         The default base URL is `{base_url}`; change it with [`ClientBuilder::base_url`]."
    );
    inner_doc_attr(Some(&text))
}

/// `Cargo.toml` (without its header comment).
pub fn cargo_toml(package: &Package<'_>, api: &Api) -> String {
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    let features = if api.features.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = api.features.iter().map(|f| s(&f.name)).collect();
        let mut text = format!(
            "\n[features]\ndefault = [\"full\"]\nfull = [{}]\n",
            names.join(", ")
        );
        // Feature names are kebab-case ASCII (see `naming::feature_name`): valid bare keys.
        for f in &api.features {
            text.push_str(&format!("{} = []\n", f.name));
        }
        text
    };
    format!(
        r#"[package]
name = {name}
version = {version}
edition = "2021"
rust-version = "1.85"
description = {description}
publish = false

[dependencies]
bytes = "1"
futures-core = "0.3"
futures-util = {{ version = "0.3", default-features = false }}
reqwest = {{ version = "0.12", default-features = false, features = ["multipart", "rustls-tls"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
serde_path_to_error = "0.1"
tokio = {{ version = "1", features = ["sync", "time"] }}
tracing = {{ version = "0.1", default-features = false, features = ["std"] }}

[dev-dependencies]
futures-util = "0.3"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
{features}"#,
        name = s(package.name),
        version = s(package.version),
        description = s(package.description),
    )
}

/// `rustfmt.toml`: generated code is formatted by prettyplease only, so rustfmt keeps off it.
pub fn rustfmt_toml() -> String {
    "disable_all_formatting = true\n".to_string()
}
