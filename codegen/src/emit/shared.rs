//! A crate that uses the shared `openapi-rs-runtime` crate (`runtime = PATH` in the config)
//! instead of copies of its modules.
//!
//! Generated code reaches the runtime as `crate::NAME` in both kinds of crate: here `lib.rs`
//! imports the runtime's modules by name (`use openapi_rs_runtime::{auth, json, …}`) where a
//! self-contained crate declares its copies (`mod auth;`). The two exceptions are `Client` and
//! `ClientBuilder`: operations and credential setters are inherent methods on them, which Rust
//! only allows on the crate's own types, so this crate wraps each in a type of its own, in
//! modules `client` and `builder` that otherwise re-export the runtime's. The wrappers'
//! methods are read from the runtime's source with `syn`, docs included, so they cannot drift
//! from it. A constant assertion makes a crate built against another runtime version fail to
//! compile, with a message that says what to do.

use crate::model::Api;
use crate::runtime_source::{self, is_hidden, Needed};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::sync::OnceLock;

/// The runtime's version, from its `Cargo.toml`: the version generated crates are made for.
pub(crate) fn runtime_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        include_str!("../../../runtime/Cargo.toml")
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| {
                t.get("package")?
                    .get("version")?
                    .as_str()
                    .map(str::to_string)
            })
            .unwrap_or_default()
    })
}

/// With a shared runtime, the crates generated code names (serde, reqwest, …) come through the
/// runtime crate, so that a crate (or a build script's user) depends on nothing else: each
/// generated module imports them by name. Nothing for a self-contained crate.
pub(crate) fn dependency_imports(api: &Api) -> Option<TokenStream> {
    // `http` comes with the runtime's `webhooks` feature, which only webhook receivers turn on.
    let http = super::krate::zoom_webhooks(api).then(|| quote!(http,));
    api.shared_runtime.as_ref().map(|_| {
        quote! {
            #[allow(unused_imports)]
            use openapi_rs_runtime::__private::{futures_core, #http reqwest, serde, serde_json};
        }
    })
}

/// The runtime crate's features a crate turns on: those of the optional modules its spec needs
/// (the modules a self-contained crate would carry).
pub(crate) fn runtime_features(api: &Api) -> Vec<&'static str> {
    super::krate::runtime_modules(api)
        .iter()
        .filter_map(|m| match m.needed {
            Needed::Always => None,
            Needed::Multipart => Some("multipart"),
            Needed::OAuth => Some("oauth"),
            Needed::Pagination => Some("pagination"),
            Needed::Events => Some("events"),
            Needed::ZoomProfile => Some("zoom"),
            Needed::ZoomWebhooks => Some("webhooks"),
        })
        .collect()
}

/// With a shared runtime, what serde's derive names instead of a `serde` dependency.
pub(crate) fn serde_crate(api: &Api) -> Option<TokenStream> {
    api.shared_runtime
        .as_ref()
        .map(|_| quote!(#[serde(crate = "openapi_rs_runtime::__private::serde")]))
}

/// `lib.rs`'s part that stands where a self-contained crate declares the runtime's modules.
pub(crate) fn runtime_items(api: &Api) -> TokenStream {
    let modules: Vec<_> = super::krate::runtime_modules(api)
        .into_iter()
        .filter(|m| !matches!(m.name, "client" | "builder"))
        .map(|m| format_ident!("{}", m.name))
        .collect();
    let version = runtime_version();
    let mismatch = format!(
        "this crate was generated for openapi-rs-runtime {version}, but is built against another \
         version: regenerate it with the generator that goes with your runtime, or depend on \
         openapi-rs-runtime {version}"
    );
    let zoom = api.vendor == Some(crate::config::Vendor::Zoom);
    let imports = dependency_imports(api);
    let client_methods = forwarded("client", "Client", false);
    let mut builder_methods = forwarded("builder", "ClientBuilder", true);
    if zoom {
        builder_methods.extend(forwarded("zoom", "ClientBuilder", true));
    }
    quote! {
        const _: () = assert!(openapi_rs_runtime::__private::is_version(#version), #mismatch);

        #[allow(unused_imports)]
        use openapi_rs_runtime::{#(#modules),*};

        /// The runtime's client module, with this crate's [`Client`].
        mod client {
            #imports
            #[allow(unused_imports)]
            pub use openapi_rs_runtime::client::*;

            /// A client of the API. Cheap to clone: clones share one connection pool, one token
            /// cache and one configuration. Its methods are the API's operations.
            #[derive(Clone)]
            pub struct Client(pub(crate) openapi_rs_runtime::Client);

            impl std::fmt::Debug for Client {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    std::fmt::Debug::fmt(&self.0, f)
                }
            }

            impl Client {
                #(#client_methods)*
            }
        }

        /// The runtime's client builder, as this crate's [`ClientBuilder`].
        mod builder {
            #imports
            #[allow(unused_imports)]
            use crate::auth::{Credential, Scheme, TokenSource};
            #[allow(unused_imports)]
            use crate::client::{Client, Hook};
            #[allow(unused_imports)]
            use crate::error::Error;
            #[allow(unused_imports)]
            use crate::retry::RetryPolicy;
            #[allow(unused_imports)]
            use std::sync::Arc;
            #[allow(unused_imports)]
            use std::time::Duration;

            /// Configures a [`Client`]: where requests go, the credentials of the spec's security
            /// schemes, timeouts, retries, default headers, hooks, and optionally your own
            /// `reqwest::Client`.
            #[derive(Clone)]
            pub struct ClientBuilder(openapi_rs_runtime::ClientBuilder);

            impl std::fmt::Debug for ClientBuilder {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    std::fmt::Debug::fmt(&self.0, f)
                }
            }

            impl Default for ClientBuilder {
                fn default() -> Self {
                    ClientBuilder::new()
                }
            }

            impl ClientBuilder {
                /// A builder with no credentials, [`crate::DEFAULT_BASE_URL`] (when the spec names
                /// a server), a 30 s timeout, a 10 s connect timeout and
                /// [`RetryPolicy::default`].
                pub fn new() -> ClientBuilder {
                    let builder = openapi_rs_runtime::ClientBuilder::new().user_agent(concat!(
                        env!("CARGO_PKG_NAME"),
                        "/",
                        env!("CARGO_PKG_VERSION")
                    ));
                    ClientBuilder(match crate::DEFAULT_BASE_URL {
                        Some(url) => builder.base_url(url),
                        None => builder,
                    })
                }

                #(#builder_methods)*
            }
        }
    }
}

/// The runtime's public methods on `target` in module `module`, as methods of this crate's
/// wrapper that call them (`new` excepted, which the wrapper writes itself). Hidden methods
/// (the credential setters generated code calls) are forwarded with `hidden`.
fn forwarded(module: &str, target: &str, hidden: bool) -> Vec<TokenStream> {
    let Some(source) = runtime_source::MODULES.iter().find(|m| m.name == module) else {
        return Vec::new();
    };
    // The runtime is a workspace crate that is compiled and tested, so it parses.
    let Ok(file) = syn::parse_file(source.source) else {
        return Vec::new();
    };
    let mut methods = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let on_target = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == target));
        if !on_target {
            continue;
        }
        for inner in &block.items {
            let syn::ImplItem::Fn(f) = inner else {
                continue;
            };
            if !matches!(f.vis, syn::Visibility::Public(_))
                || f.sig.ident == "new"
                || (is_hidden(&f.attrs) && !hidden)
            {
                continue;
            }
            methods.push(forward(f, target));
        }
    }
    methods
}

/// One wrapper method that calls the runtime's.
fn forward(f: &syn::ImplItemFn, target: &str) -> TokenStream {
    // Docs, and the `cfg` of a method behind a runtime feature (the crate has a feature of the
    // same name that turns the runtime's on).
    let docs = f
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc") || a.path().is_ident("cfg"));
    let mut sig = f.sig.clone();
    let mut args = Vec::new();
    let mut by_self = false;
    for input in &mut sig.inputs {
        match input {
            syn::FnArg::Receiver(receiver) => {
                receiver.mutability = None;
                by_self = true;
            }
            syn::FnArg::Typed(typed) => {
                if let syn::Pat::Ident(pat) = &mut *typed.pat {
                    pat.mutability = None;
                    args.push(pat.ident.clone());
                }
            }
        }
    }
    let name = &sig.ident;
    let target_ident = format_ident!("{target}");
    let call = if by_self {
        quote!(self.0.#name(#(#args),*))
    } else {
        quote!(openapi_rs_runtime::#target_ident::#name(#(#args),*))
    };
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => quote!(#ty).to_string().replace(' ', ""),
    };
    let body = if output == "Self" || output == target {
        quote!(#target_ident(#call))
    } else if output == "Result<Client,Error>" {
        quote!(#call.map(Client))
    } else {
        call
    };
    let vis = &f.vis;
    quote! {
        #(#docs)*
        #vis #sig {
            #body
        }
    }
}
