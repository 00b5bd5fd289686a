//! Emits the crate around the API code: `Cargo.toml`, `rustfmt.toml`, `src/lib.rs`, and chooses
//! the runtime modules the crate carries.
//!
//! The runtime is the `runtime` workspace crate ([`crate::runtime_source`]); its modules are copied into
//! the generated crate verbatim, comments included, behind the generated-file header.

use super::{cfg_attr, inner_doc_attr};
use crate::config::Vendor;
use crate::model::{Api, Ty};
use crate::naming;
use crate::runtime_source::{self, Module, Needed};
use proc_macro2::TokenStream;
use quote::quote;

/// The runtime modules a client of `api` needs, in declaration order: pagination only when an
/// operation paginates, OAuth only when the client runs a flow, a vendor profile only when the
/// config names it, so no client carries dead code.
pub fn runtime_modules(api: &Api) -> Vec<&'static Module> {
    let paginates = api.operations.iter().any(|op| op.pagination.is_some());
    runtime_source::MODULES
        .iter()
        .filter(|m| match m.needed {
            Needed::Always => true,
            Needed::Pagination => paginates,
            Needed::Events => has_events(api),
            Needed::Multipart => has_multipart(api),
            Needed::OAuth => api.auth.runs_oauth(),
            Needed::ZoomProfile => api.vendor == Some(Vendor::Zoom),
            Needed::ZoomWebhooks => zoom_webhooks(api),
        })
        .collect()
}

/// Whether an operation's response is a `text/event-stream`.
pub fn has_events(api: &Api) -> bool {
    api.operations
        .iter()
        .any(|op| matches!(op.response, crate::model::Response::Events(_)))
}

/// Whether an operation sends a `multipart/form-data` body, or a type has a `FilePart` field
/// (a multipart body's struct stays when its operation is skipped).
pub fn has_multipart(api: &Api) -> bool {
    let sends = api.operations.iter().any(|op| {
        op.body
            .as_ref()
            .is_some_and(|b| b.kind == crate::model::BodyKind::Multipart)
    });
    sends
        || api.types.iter().any(|t| match &t.kind {
            crate::model::TypeKind::Struct { fields } => fields.iter().any(|f| f.ty.holds_file()),
            _ => false,
        })
}

/// Whether the crate verifies Zoom's webhook signatures: it has events and the Zoom profile.
pub fn zoom_webhooks(api: &Api) -> bool {
    !api.webhooks.is_empty() && api.vendor == Some(Vendor::Zoom)
}

/// Package metadata for `Cargo.toml`.
pub struct Package<'a> {
    /// Package name.
    pub name: &'a str,
    /// Package version.
    pub version: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// The config's extra dependencies, for the crates of the user's own types.
    pub dependencies: &'a std::collections::BTreeMap<String, toml::Value>,
}

/// Every external type path the model uses.
fn external_paths(api: &Api) -> std::collections::BTreeSet<&str> {
    fn walk<'t>(ty: &'t Ty, out: &mut std::collections::BTreeSet<&'t str>) {
        match ty {
            Ty::External(path) => {
                out.insert(path);
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Nullable(inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for t in &api.types {
        t.kind
            .members()
            .into_iter()
            .for_each(|ty| walk(ty, &mut out));
    }
    for op in &api.operations {
        op.params.iter().for_each(|p| walk(&p.ty, &mut out));
        if let Some(b) = &op.body {
            walk(&b.ty, &mut out);
        }
        if let crate::model::Response::Json(ty) = &op.response {
            walk(ty, &mut out);
        }
    }
    out
}

/// `src/lib.rs`.
pub fn lib_file(api: &Api, crate_ident: &str, base_url: Option<&str>) -> TokenStream {
    let docs = crate_docs(api, crate_ident, base_url);
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
    // Pagination is compiled when any paginated operation is: always, if one of them always is.
    let pagination_cfg = {
        let gates: Option<std::collections::BTreeSet<String>> =
            paginated.iter().map(|op| op.feature.clone()).collect();
        let features: Vec<String> = gates.into_iter().flatten().collect();
        cfg_attr(&features)
    };
    let paged_use = (!paginated.is_empty()).then(|| {
        quote!(
            #pagination_cfg
            pub use pagination::Paged;
        )
    });
    // Runtime modules: shared code of which a given API uses only part, hence `dead_code`.
    let runtime_mods = runtime_modules(api).into_iter().map(|m| {
        let name = naming::ident(m.name);
        let cfg = (m.needed == Needed::Pagination).then(|| pagination_cfg.clone());
        quote!(
            #cfg
            #[allow(dead_code)]
            mod #name;
        )
    });
    // With the shared runtime crate, the crates it names come through the runtime.
    let (stream, reqwest) = match api.shared_runtime {
        Some(_) => (
            quote!(openapi_rs_runtime::Stream),
            quote!(openapi_rs_runtime::reqwest),
        ),
        None => (quote!(futures_core::Stream), quote!(reqwest)),
    };
    // With the shared runtime crate, its modules are imported by name instead.
    let runtime_mods = match api.shared_runtime {
        Some(_) => vec![super::shared::runtime_items(api)],
        None => runtime_mods.collect(),
    };
    let zoom_use = (api.vendor == Some(Vendor::Zoom)).then(|| {
        quote!(
            pub use zoom::{ErrorBody, FieldError, RateLimit};
        )
    });
    let events_use = has_events(api).then(|| {
        quote!(
            pub use events::{EventStream, ServerEvent};
        )
    });
    let multipart_use = has_multipart(api).then(|| {
        quote!(
            pub use multipart::FilePart;
        )
    });
    let webhooks_mod = (!api.webhooks.is_empty()).then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    let servers_mod = (!api.servers.is_empty()).then(|| {
        quote!(
            pub mod servers;
        )
    });
    let mock_mod = (!api.operations.is_empty()).then(|| {
        quote!(
            #[cfg(feature = "mock")]
            pub mod mock;
        )
    });
    let base_url_const = match base_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    quote! {
        #docs
        #![forbid(unsafe_code)]

        #(#runtime_mods)*
        mod operations;
        mod security;
        pub mod types;
        #webhooks_mod
        #servers_mod
        #mock_mod

        pub use auth::{AccessToken, BoxFuture, TokenSource};
        pub use builder::ClientBuilder;
        pub use client::{Attempt, AttemptOutcome, Client, Hook};
        pub use send::{MetaFuture, RequestOptions, ResponseFuture};
        pub use error::{ApiError, AuthError, DecodeError, Error};
        pub use #stream;
        /// The HTTP client crate, re-exported so that [`ClientBuilder::http_client`] and
        /// [`Hook`] can be used without depending on a matching version of it.
        pub use #reqwest;
        /// The middleware crate, re-exported so that [`ClientBuilder::middleware`] can be used
        /// without depending on a matching version of it.
        #[cfg(feature = "middleware")]
        pub use reqwest_middleware;
        #operations_use
        pub use retry::RetryPolicy;
        pub use wire::{ApiResponse, Base64, ByteStream, ChunkStream, ResponseMeta, UploadBody};
        #events_use
        #multipart_use
        #paged_use
        #zoom_use

        /// The base URL requests go to unless [`ClientBuilder::base_url`] says otherwise; `None`
        /// when the spec names no server, so the builder needs one.
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url_const;
    }
}

/// The crate's inner docs and the lint allowances that depend on the spec: title, summary,
/// description and license, a usage example, the Cargo features, how the types map to JSON, and
/// what the generator skipped.
fn crate_docs(api: &Api, crate_ident: &str, base_url: Option<&str>) -> TokenStream {
    let title = format!(" # {} API client", api.title.replace('\n', " "));

    let intro = api.description.as_deref();
    let description = inner_doc_attr(intro);
    // 3.1's one-line summary before the description; the API's license after it.
    let summary = api.summary.as_deref().map(|s| {
        let line = format!(" {}", s.replace('\n', " "));
        quote!(#![doc = #line] #![doc = ""])
    });
    let license = api.license.as_deref().map(|l| {
        let line = format!(" The API's license: {l}.");
        quote!(#![doc = ""] #![doc = #line])
    });
    let example = usage_example(api, crate_ident, base_url);
    let skipped = (!api.skipped.is_empty()).then(|| {
        let mut text = String::from(
            "## Not generated\n\nThe generator skipped these parts of the spec (JSON pointer: reason):\n",
        );
        for w in &api.skipped {
            text.push_str(&format!("\n- `{}`: {}", w.location().replace('`', "'"), w.message.replace('`', "'")));
        }
        let text = inner_doc_attr(Some(&text));
        quote!(#![doc = ""] #text)
    });
    // With no operation the runtime has no caller; say so rather than warn about each item.
    let no_operations = api.operations.is_empty().then(|| {
        quote! {
            #![doc = ""]
            #![doc = " This spec has no operation the generator could generate, so the client has no methods."]
            #![allow(dead_code)]
        }
    });
    let features = features_doc(api);
    let json = json_doc(api);
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
        #summary
        #description
        #license
        #example
        #features
        #json
        #skipped
        #no_operations
        #all_gated
    }
}

/// The crate docs' account of how `types` reads and writes JSON: one paragraph per way the
/// crate uses (a struct's `json_object!` call, a string enum's `string_enum!` call, a `oneOf`
/// enum's derive).
fn json_doc(api: &Api) -> Option<TokenStream> {
    use crate::model::TypeKind;
    let has = |kind: fn(&TypeKind) -> bool| api.types.iter().any(|t| kind(&t.kind));
    let mut paragraphs = Vec::new();
    if has(|k| matches!(k, TypeKind::Struct { .. })) {
        paragraphs.push(
            "A struct's `Serialize` and `Deserialize` come from one `json_object!` call beside \
             it, with one line per field: `field = \"json key\" required` or `optional`. An \
             optional field is left out of the JSON when it is `None`, and a `null` or a missing \
             key reads as `None`; keys the struct does not know are skipped. The macro (in the \
             private `json` module) expands to plain calls, which compile faster than serde's \
             derive.",
        );
    }
    if has(|k| matches!(k, TypeKind::Enum { .. })) {
        paragraphs.push(
            "A string enum is written as its `as_str()` and read with `From<&str>`; these, \
             `Display` and `FromStr` come from one `string_enum!` call beside it, with one line \
             per variant giving its value on the wire. A value the spec does not list is kept in \
             its fallback variant and written back unchanged.",
        );
    }
    if has(|k| matches!(k, TypeKind::Tuple(_))) {
        paragraphs.push(
            "A tuple struct (the spec's `prefixItems`) derives serde's `Serialize` and \
             `Deserialize`: it is a JSON array of exactly its elements, in order.",
        );
    }
    if has(|k| matches!(k, TypeKind::Const(_))) {
        paragraphs.push(
            "A unit struct stands for a `const`: it is written as its `VALUE`, and reading any \
             other value is an error. A struct's `new` sets its constant fields.",
        );
    }
    if has(|k| matches!(k, TypeKind::OneOf { .. })) {
        paragraphs.push(
            "An enum of alternatives (`oneOf`/`anyOf`) derives serde's `Serialize` and, without \
             a `discriminator`, `Deserialize` too: it is `untagged`, so it is written as the \
             alternative it holds and read as the first alternative the value matches. With a \
             `discriminator`, its `Deserialize` beside it reads the property and decodes the \
             alternative that value names. Any other JSON is kept in the fallback variant.",
        );
    }
    if paragraphs.is_empty() {
        return None;
    }
    let mut text = String::from("\n## How the types map to JSON");
    for paragraph in paragraphs {
        text.push_str("\n\n");
        text.push_str(&wrap(paragraph, 96));
    }
    Some(inner_doc_attr(Some(&text)))
}

/// `text` broken into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
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
fn usage_example(api: &Api, crate_ident: &str, base_url: Option<&str>) -> TokenStream {
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
    let builder = match api.auth.primary {
        Some(_) => "Client::builder(\"ACCESS_TOKEN\")",
        None => "Client::builder()",
    };
    let (set_base_url, base_url_text) = match base_url {
        Some(url) => (
            String::new(),
            format!("The default base URL is `{url}`; change it with [`ClientBuilder::base_url`]."),
        ),
        None => (
            "\n    .base_url(\"https://api.example.com\")".to_string(),
            "The spec names no server, so [`ClientBuilder::base_url`] is required.".to_string(),
        ),
    };
    let text = format!(
        "\n## Usage\n\n```no_run\n# async fn run() -> Result<(), {crate_ident}::Error> {{\n\
         let client = {crate_ident}::{builder}{set_base_url}\n    .build()?;\n{call}\n# Ok(())\n# }}\n```\n\n\
         {base_url_text} Credentials for each security scheme of the spec are set on the \
         [`ClientBuilder`]."
    );
    inner_doc_attr(Some(&text))
}

/// `Cargo.toml` (without its header comment).
pub fn cargo_toml(package: &Package<'_>, api: &Api) -> String {
    let s = |v: &str| toml::Value::String(v.to_string()).to_string();
    // Trust the platform's root certificates too.
    let native_roots = match api.shared_runtime {
        Some(_) => "native-roots = [\"openapi-rs-runtime/native-roots\"]\n",
        None => "native-roots = [\"reqwest/rustls-tls-native-roots\"]\n",
    };
    // The user's `reqwest_middleware` stack sends the requests (see the runtime's builder).
    let middleware = match api.shared_runtime {
        Some(_) => "middleware = [\"dep:reqwest-middleware\", \"openapi-rs-runtime/middleware\"]\n",
        None => "middleware = [\"dep:reqwest-middleware\"]\n",
    };
    // Typed mocks of the operations on httpmock, for users' tests.
    let mock = if api.operations.is_empty() {
        ""
    } else {
        "mock = [\"dep:httpmock\"]\n"
    };
    let features = if api.features.is_empty() {
        format!("\n[features]\n{middleware}{mock}{native_roots}")
    } else {
        let names: Vec<String> = api.features.iter().map(|f| s(&f.name)).collect();
        let mut text = format!(
            "\n[features]\ndefault = [\"full\"]\nfull = [{}]\n",
            names.join(", ")
        );
        text.push_str(middleware);
        text.push_str(mock);
        text.push_str(native_roots);
        // Feature names are kebab-case ASCII (see `naming::feature_name`): valid bare keys.
        for f in &api.features {
            text.push_str(&format!("{} = []\n", f.name));
        }
        text
    };
    // The example webhook receiver needs a server.
    let webhook_dev_deps = if zoom_webhooks(api) {
        "http-body-util = \"0.1\"\nhyper = { version = \"1\", features = [\"http1\", \"server\"] }\nhyper-util = { version = \"0.1\", features = [\"tokio\"] }\n"
    } else {
        ""
    };
    // The crates of format types, and the config's own dependencies.
    let paths = external_paths(api);
    let uses = |prefix: &str| paths.iter().any(|p| p.contains(prefix));
    // (name, value) pairs, in the order written.
    let mut extra: Vec<(String, String)> = Vec::new();
    if uses("chrono::") {
        extra.push((
            "chrono".into(),
            "{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }"
                .into(),
        ));
    }
    if uses("uuid::") {
        extra.push((
            "uuid".into(),
            "{ version = \"1\", features = [\"serde\"] }".into(),
        ));
    }
    extra.push((
        "reqwest-middleware".into(),
        super::dependencies::optional_dependency("reqwest-middleware"),
    ));
    if !api.operations.is_empty() {
        extra.push((
            "httpmock".into(),
            "{ version = \"0.9\", optional = true, default-features = false }".into(),
        ));
    }
    for (name, spec) in package.dependencies {
        extra.push((s(name), spec.to_string()));
    }
    let lines = |pairs: Vec<(String, String)>| -> String {
        pairs
            .into_iter()
            .map(|(name, spec)| format!("{name} = {spec}\n"))
            .collect()
    };
    // A self-contained crate depends on what its copy of the runtime uses; a crate that shares
    // the runtime crate only on it (generated code reaches serde, reqwest and the rest through
    // it), and on the crates of format types and the config's.
    let dependencies = match &api.shared_runtime {
        Some(path) => format!(
            "{}openapi-rs-runtime = {{ path = {}, version = {}, default-features = false, features = [{}] }}\n",
            lines(extra),
            s(path),
            s(super::shared::runtime_version()),
            super::shared::runtime_features(api)
                .iter()
                .map(|f| s(f))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // What the copy of the runtime uses, read from the runtime's own manifest, with the
        // crates of format types and the config's among them in name order.
        None => {
            let mut all = super::dependencies::runtime_dependencies(
                &super::shared::runtime_features(api),
            );
            all.extend(extra);
            lines(all.into_iter().collect())
        }
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
{dependencies}
[dev-dependencies]
futures-util = "0.3"
{webhook_dev_deps}tokio = {{ version = "1", features = ["macros", "rt-multi-thread"{net}] }}
{features}"#,
        net = if zoom_webhooks(api) { ", \"net\"" } else { "" },
        name = s(package.name),
        version = s(package.version),
        description = s(package.description),
    )
}

/// `rustfmt.toml`: generated code is formatted by prettyplease only, so rustfmt keeps off it.
pub fn rustfmt_toml() -> String {
    "disable_all_formatting = true\n".to_string()
}
