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

/// Header names that carry a credential whole, and parts of names that do; the runtime's
/// `client::is_secret_header` uses the same words for the headers it hides.
const SECRET_NAMES: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];
const SECRET_PARTS: &[&str] = &[
    "api-key",
    "api_key",
    "apikey",
    "token",
    "secret",
    "session",
    "signature",
];

/// Whether a header or cookie parameter's name says its value is a credential.
fn is_secret(param: &Param) -> bool {
    if !matches!(param.location, Location::Header | Location::Cookie) {
        return false;
    }
    let name = param.wire.to_ascii_lowercase();
    SECRET_NAMES.contains(&name.as_str()) || SECRET_PARTS.iter().any(|part| name.contains(part))
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
    let debug = quote! {
        #cfg
        impl std::fmt::Debug for #builder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

#[cfg(test)]
mod tests {
    use super::{SECRET_NAMES, SECRET_PARTS};

    /// The runtime hides the same headers in errors and hooks: each word here is in its
    /// `is_secret_header`.
    #[test]
    fn the_words_are_the_runtimes() {
        let client = include_str!("../../../../runtime/src/client.rs");
        let start = client
            .find("pub fn is_secret_header")
            .expect("the runtime has is_secret_header");
        let body = &client[start..];
        let body = &body[..body.find("\n}\n").expect("the function ends")];
        for word in SECRET_PARTS {
            assert!(body.contains(&format!("\"{word}\"")), "{word}");
        }
        for (name, constant) in SECRET_NAMES.iter().zip([
            "header::AUTHORIZATION",
            "header::PROXY_AUTHORIZATION",
            "header::COOKIE",
            "header::SET_COOKIE",
        ]) {
            assert!(body.contains(constant), "{name}");
        }
    }
}
