//! Emits `src/servers.rs` when the spec gives the user a choice of server: a `Server` enum with a
//! variant per server, an enum per server variable that lists its values, and `ClientBuilder`
//! methods, `server` and one per variable, that the runtime's builder turns into the base URL.
//!
//! Contract: reads the model only; every name was decided in lowering.

use super::doc_attr;
use crate::model::{Api, Server, ServerVariable};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `src/servers.rs`.
pub fn servers_file(api: &Api) -> TokenStream {
    let servers = &api.servers;
    let variants = servers.iter().map(|s| {
        let variant = ident(&s.variant);
        let title = format!(" `{}`", s.url);
        let docs = doc_attr(s.docs.as_deref());
        let docs = (!docs.is_empty()).then(|| quote!(#[doc = ""] #docs));
        quote! {
            #[doc = #title]
            #docs
            #variant,
        }
    });
    let arms = servers.iter().map(|s| {
        let variant = ident(&s.variant);
        let (url, defaults) = template(s);
        quote!(Server::#variant => self.server_template(#url, #defaults),)
    });
    // Each variable once, with the first server that has it.
    let mut seen = std::collections::BTreeSet::new();
    let mut enums = Vec::new();
    let mut methods = Vec::new();
    for server in servers {
        for v in &server.variables {
            if seen.insert(v.wire.as_str()) {
                enums.extend(variable_enum(v));
                methods.push(variable_method(server, v));
            }
        }
    }
    let first = servers.first().map(|s| s.url.as_str()).unwrap_or_default();
    let server_docs = format!(
        " Sends requests to one of the spec's servers (by default the first, `{first}`), with its \
         variables' defaults unless set. [`ClientBuilder::base_url`] called afterwards wins."
    );
    quote! {
        //! The servers the spec lists, and their URL variables: `ClientBuilder::server` picks one,
        //! and a method per variable sets it.
        #![allow(clippy::doc_markdown)]

        use crate::ClientBuilder;

        /// One of the servers the spec lists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Server {
            #(#variants)*
        }

        #(#enums)*

        impl ClientBuilder {
            #[doc = #server_docs]
            pub fn server(self, server: Server) -> Self {
                match server {
                    #(#arms)*
                }
            }

            #(#methods)*
        }
    }
}

/// A server's URL template and its variables' defaults, as literals.
fn template(s: &Server) -> (String, TokenStream) {
    let pairs = s.variables.iter().map(|v| {
        let (name, default) = (&v.wire, &v.default);
        quote!((#name, #default))
    });
    (s.url.clone(), quote!(&[#(#pairs),*]))
}

/// The enum of a variable that lists its values.
fn variable_enum(v: &ServerVariable) -> Option<TokenStream> {
    let (name, variants) = v.enum_type.as_ref()?;
    let name = ident(name);
    let docs = format!(" The values of the server variable `{}`.", v.wire);
    let idents: Vec<_> = variants.iter().map(|v| ident(v)).collect();
    let values = &v.values;
    let variant_docs = values.iter().map(|value| {
        let default = if *value == v.default {
            " (the default)"
        } else {
            ""
        };
        format!(" `{value}`{default}")
    });
    Some(quote! {
        #[doc = #docs]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum #name {
            #(#[doc = #variant_docs] #idents,)*
        }

        impl #name {
            /// The value as it goes into the URL.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(Self::#idents => #values,)*
                }
            }
        }
    })
}

/// The builder method of a variable.
fn variable_method(server: &Server, v: &ServerVariable) -> TokenStream {
    let method = ident(&v.method);
    let wire = &v.wire;
    let (url, defaults) = template(server);
    let mut text = format!(
        "Sets the server variable `{wire}` (default `{}`), choosing `{url}` unless \
         [`ClientBuilder::server`] chose another.",
        v.default
    );
    if let Some(description) = v.docs.as_deref() {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let docs = doc_attr(Some(&text));
    match &v.enum_type {
        Some((name, _)) => {
            let name = ident(name);
            quote! {
                #docs
                pub fn #method(self, value: #name) -> Self {
                    self.server_variable(#url, #defaults, #wire, value.as_str())
                }
            }
        }
        None => quote! {
            #docs
            pub fn #method(self, value: impl Into<String>) -> Self {
                self.server_variable(#url, #defaults, #wire, value)
            }
        },
    }
}
