//! The `Debug` of a request builder: derived, unless a header or cookie parameter's name says
//! it carries a credential (an `Authorization` header the client does not send itself, an
//! `X-Api-Key`, a `session` cookie), whose value it then shows as `REDACTED`, as the runtime
//! does for such headers in errors and hooks. Query parameters keep their values here (a
//! `next_page_token` is no secret); the runtime leaves every query value out of the URLs that
//! errors and logs show.

use crate::model::{Location, Operation, Param};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether a header or cookie parameter's name says its value is a credential, by the words
/// the runtime's `is_secret_header` uses (read from its source).
fn is_secret(param: &Param) -> bool {
    matches!(param.location, Location::Header | Location::Cookie)
        && crate::runtime_source::reserved().is_secret_header(&param.wire)
}

/// The builder's `#[derive(…)]` and, when a parameter is secret, its own `Debug` impl.
pub(super) fn builder_debug(op: &Operation, cfg: &TokenStream) -> (TokenStream, TokenStream) {
    if !op.params.iter().any(is_secret) {
        return (quote!(#[derive(Debug, Clone)]), TokenStream::new());
    }
    let builder = ident(&op.builder_name);
    let name = op.builder_name.as_str();
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.name);
        let label = p.name.trim_start_matches("r#");
        match (is_secret(p), p.required) {
            (false, _) => quote!(.field(#label, &self.#field)),
            (true, true) => quote!(.field(#label, &crate::error::REDACTED)),
            (true, false) => {
                quote!(.field(#label, &self.#field.as_ref().map(|_| crate::error::REDACTED)))
            }
        }
    });
    let body = op
        .body
        .is_some()
        .then(|| quote!(.field("body", &self.body)));
    // Every field named in a pattern: a field added to the builder and not to this impl is a
    // compile error, not a field missing from the output.
    let names = op.params.iter().map(|p| ident(&p.name));
    let body_name = op.body.is_some().then(|| quote!(body: _,));
    let debug = quote! {
        #cfg
        impl std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let Self { client: _, options: _, #(#names: _,)* #body_name } = self;
                f.debug_struct(#name)
                    .field("client", &self.client)
                    .field("options", &self.options)
                    #(#fields)*
                    #body
                    .finish()
            }
        }
    };
    (quote!(#[derive(Clone)]), debug)
}
