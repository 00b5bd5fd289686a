//! Emits `src/security.rs`: a constant per security scheme of the spec (what operations name in
//! their requirements), the `Client` constructors, and one `ClientBuilder` method per way to give
//! a scheme its credential. The runtime's `auth` and `oauth` modules do the sending.

use super::doc_attr;
use crate::model::{Api, Grant, Location, SchemeKind, SecurityScheme};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The whole `security` module.
pub fn security_file(api: &Api) -> TokenStream {
    let imports = super::shared::dependency_imports(api);
    let auth = &api.auth;
    let consts = auth.schemes.iter().map(scheme_const);
    let setters = auth.schemes.iter().map(scheme_setters);
    let constructors = match auth.primary.map(|i| &auth.schemes[i]) {
        Some(primary) => {
            let setter = ident(&primary.method);
            let source = ident(&format!(
                "{}_source",
                primary.method.trim_start_matches("r#")
            ));
            let new_doc = format!(
                " A client that sends `token` for the `{}` scheme, with the default settings.",
                primary.name
            );
            let builder_doc = format!(
                " Starts configuring a client that sends `token` for the `{}` scheme (see [`ClientBuilder::{}`]).",
                primary.name,
                primary.method.trim_start_matches("r#")
            );
            let source_doc = format!(
                " Starts configuring a client whose tokens for the `{}` scheme come from `source`.",
                primary.name
            );
            quote! {
                #[doc = #new_doc]
                ///
                /// # Errors
                ///
                /// [`Error::Config`] if the client cannot be set up (no base URL, no TLS backend).
                pub fn new(token: impl Into<String>) -> Result<Client, Error> {
                    Client::builder(token).build()
                }

                #[doc = #builder_doc]
                pub fn builder(token: impl Into<String>) -> ClientBuilder {
                    ClientBuilder::new().#setter(token)
                }

                #[doc = #source_doc]
                pub fn with_token_source(source: Arc<dyn TokenSource>) -> ClientBuilder {
                    ClientBuilder::new().#source(source)
                }
            }
        }
        None => quote! {
            /// A client with the default settings and no credentials.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] if the client cannot be set up (no base URL, no TLS backend).
            pub fn new() -> Result<Client, Error> {
                Client::builder().build()
            }

            /// Starts configuring a client; the [`ClientBuilder`] has a method per security
            /// scheme of the spec.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }
        },
    };
    let grants = auth.grants.iter().map(|g| grant(api, g));
    let uses_arc = auth.primary.is_some()
        || auth.schemes.iter().any(|s| {
            matches!(
                s.kind,
                SchemeKind::Bearer { .. } | SchemeKind::ApiKey { .. }
            )
        });
    let arc = uses_arc.then(|| {
        quote!(
            use std::sync::Arc;
        )
    });
    let token_source = uses_arc.then(|| {
        quote!(
            use crate::auth::TokenSource;
        )
    });
    quote! {
        #![doc = " The spec's security schemes, and how to give the client credentials for each."]
        #![allow(clippy::doc_markdown, unused_imports)]
        #imports

        use crate::auth::{Credential, KeyLocation, Scheme, SchemeKind};
        use crate::builder::ClientBuilder;
        use crate::client::Client;
        use crate::Error;
        #token_source
        #arc

        #(#consts)*

        impl Client {
            #constructors
            #(#grants)*
        }

        impl ClientBuilder {
            #(#setters)*
        }
    }
}

fn scheme_const(s: &SecurityScheme) -> TokenStream {
    let name = ident(&s.const_name);
    let wire = &s.name;
    let kind = match &s.kind {
        SchemeKind::Bearer { .. } => quote!(SchemeKind::Bearer),
        SchemeKind::Basic => quote!(SchemeKind::Basic),
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                Location::Query => quote!(KeyLocation::Query),
                Location::Cookie => quote!(KeyLocation::Cookie),
                _ => quote!(KeyLocation::Header),
            };
            quote!(SchemeKind::ApiKey(#location, #name))
        }
    };
    let doc = format!(" The `{wire}` scheme ({}).", describe(s));
    quote! {
        #[doc = #doc]
        pub(crate) const #name: Scheme = Scheme { name: #wire, kind: #kind };
    }
}

/// How a scheme travels, in words.
fn describe(s: &SecurityScheme) -> String {
    match &s.kind {
        SchemeKind::Bearer { what } => format!("{}: `Authorization: Bearer …`", what.describe()),
        SchemeKind::Basic => "HTTP basic".to_string(),
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                Location::Query => "query parameter",
                Location::Cookie => "cookie",
                _ => "header",
            };
            format!("an API key in the `{name}` {place}")
        }
    }
}

fn scheme_setters(s: &SecurityScheme) -> TokenStream {
    let constant = ident(&s.const_name);
    let method = ident(&s.method);
    let plain = s.method.trim_start_matches("r#");
    let intro = format!(" `{}`: {}.", s.name, describe(s));
    let spec_docs = doc_attr(s.docs.as_deref());
    let spec_docs = (!spec_docs.is_empty()).then(|| quote!(#[doc = ""] #spec_docs));
    match &s.kind {
        SchemeKind::Basic => quote! {
            #[doc = #intro]
            #spec_docs
            pub fn #method(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.credential(&#constant, Credential::Basic { username: username.into(), password: password.into() })
            }
        },
        SchemeKind::ApiKey { .. } => quote! {
            #[doc = #intro]
            #spec_docs
            pub fn #method(self, key: impl Into<String>) -> Self {
                self.credential(&#constant, Credential::fixed(key))
            }
        },
        SchemeKind::Bearer { .. } => {
            let source = ident(&format!("{plain}_source"));
            let source_doc = format!(
                " `{}`: tokens from `source`, asked again for a fresh one after a 401 when it can refresh.",
                s.name
            );
            let flow = s.client_credentials.as_ref().map(|cc| {
                let run = ident(&cc.method);
                let url = &cc.token_url;
                let scopes = &cc.scopes;
                let doc = format!(
                    " `{}`: runs the OAuth 2 client-credentials flow against `{url}` (change it with \
                     [`ClientBuilder::oauth_url`]), asking for the flow's scopes (change them with \
                     [`ClientBuilder::oauth_scopes`]). Tokens are cached, renewed before they \
                     expire, and fetched once for concurrent requests.",
                    s.name
                );
                quote! {
                    #[doc = #doc]
                    pub fn #run(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                        let mut grant = crate::oauth::Grant::client_credentials(#url, client_id.into(), client_secret.into());
                        grant.scopes = vec![#(#scopes.to_string()),*];
                        self.credential(&#constant, grant.into_credential())
                    }
                }
            });
            quote! {
                #[doc = #intro]
                #spec_docs
                pub fn #method(self, token: impl Into<String>) -> Self {
                    self.credential(&#constant, Credential::fixed(token))
                }

                #[doc = #source_doc]
                pub fn #source(self, source: Arc<dyn TokenSource>) -> Self {
                    self.token_source(&#constant, source)
                }

                #flow
            }
        }
    }
}

fn grant(api: &Api, g: &Grant) -> TokenStream {
    let scheme = &api.auth.schemes[g.scheme];
    let constant = ident(&scheme.const_name);
    let method = ident(&g.method);
    let url = &g.token_url;
    let grant_type = &g.grant_type;
    let args: Vec<proc_macro2::Ident> = g.params.iter().map(|(_, arg)| ident(arg)).collect();
    let wires = g.params.iter().map(|(wire, _)| wire);
    let in_query = g.params_in_query;
    let client_auth = if g.basic_client_auth {
        quote!(crate::oauth::ClientAuth::Basic)
    } else {
        quote!(crate::oauth::ClientAuth::Body)
    };
    let summary = format!(
        " Starts configuring a client that gets its `{}` tokens with the `{grant_type}` grant from \
         `{url}` (change it with [`ClientBuilder::oauth_url`]): cached, renewed a minute before \
         they expire, fetched once for concurrent requests, and fetched anew after a 401.",
        scheme.name
    );
    let docs = doc_attr(g.docs.as_deref());
    let docs = (!docs.is_empty()).then(|| quote!(#[doc = ""] #docs));
    quote! {
        #[doc = #summary]
        #docs
        pub fn #method(#(#args: impl Into<String>,)* client_id: impl Into<String>, client_secret: impl Into<String>) -> ClientBuilder {
            let mut grant = crate::oauth::Grant::client_credentials(#url, client_id.into(), client_secret.into());
            grant.grant_type = #grant_type;
            grant.params = vec![#((#wires, #args.into())),*];
            grant.params_in_query = #in_query;
            grant.client_auth = #client_auth;
            ClientBuilder::new().credential(&#constant, grant.into_credential())
        }
    }
}
