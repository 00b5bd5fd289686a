//! The runtime every generated crate carries: the source of the `runtime` crate's modules
//! (copied into the crate verbatim, comments included), which of them a spec needs, and the
//! names they define, which generated items must never take.
//!
//! Reserved names are read from the runtime's own source with `syn`, so they cannot drift from
//! it: every item a runtime module defines (builders and response enums live beside them in the
//! crate), every method of `Client` (operations are methods there too) and every method of
//! `ClientBuilder` (so are the per-scheme credential setters). The same read takes the header
//! names the runtime hides as credentials (its `SECRET_HEADERS` and `SECRET_HEADER_PARTS`), so
//! that a request builder's `Debug` hides the parameters the runtime would hide.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One module of the runtime crate.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    /// The module name, and the file `src/NAME.rs` in a generated crate.
    pub name: &'static str,
    /// Its source, verbatim.
    pub source: &'static str,
    /// When a generated crate needs it.
    pub needed: Needed,
}

/// When a generated crate carries a runtime module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// Always.
    Always,
    /// When an operation paginates.
    Pagination,
    /// When an operation's response is a `text/event-stream`.
    Events,
    /// When a request body is `multipart/form-data`.
    Multipart,
    /// When the client runs an OAuth flow (a client-credentials flow, or a grant in the config).
    OAuth,
    /// When the config turns on the Zoom profile.
    ZoomProfile,
    /// When the spec has `webhooks` and the config turns on the Zoom profile (Zoom's signature).
    ZoomWebhooks,
}

/// Every runtime module, in the order a generated `lib.rs` declares them.
pub const MODULES: &[Module] = &[
    module(
        "auth",
        include_str!("../../runtime/src/auth.rs"),
        Needed::Always,
    ),
    module(
        "builder",
        include_str!("../../runtime/src/builder.rs"),
        Needed::Always,
    ),
    module(
        "client",
        include_str!("../../runtime/src/client.rs"),
        Needed::Always,
    ),
    module(
        "error",
        include_str!("../../runtime/src/error.rs"),
        Needed::Always,
    ),
    module(
        "events",
        include_str!("../../runtime/src/events.rs"),
        Needed::Events,
    ),
    module(
        "json",
        include_str!("../../runtime/src/json.rs"),
        Needed::Always,
    ),
    module(
        "multipart",
        include_str!("../../runtime/src/multipart.rs"),
        Needed::Multipart,
    ),
    module(
        "oauth",
        include_str!("../../runtime/src/oauth.rs"),
        Needed::OAuth,
    ),
    module(
        "pagination",
        include_str!("../../runtime/src/pagination.rs"),
        Needed::Pagination,
    ),
    module(
        "receiver",
        include_str!("../../runtime/src/receiver.rs"),
        Needed::ZoomWebhooks,
    ),
    module(
        "retry",
        include_str!("../../runtime/src/retry.rs"),
        Needed::Always,
    ),
    module(
        "send",
        include_str!("../../runtime/src/send.rs"),
        Needed::Always,
    ),
    module(
        "upload",
        include_str!("../../runtime/src/upload.rs"),
        Needed::Always,
    ),
    module(
        "wire",
        include_str!("../../runtime/src/wire.rs"),
        Needed::Always,
    ),
    module(
        "zoom",
        include_str!("../../runtime/src/zoom.rs"),
        Needed::ZoomProfile,
    ),
];

const fn module(name: &'static str, source: &'static str, needed: Needed) -> Module {
    Module {
        name,
        source,
        needed,
    }
}

/// Names the runtime defines, and the header names it treats as credentials.
#[derive(Debug, Default)]
pub struct Reserved {
    /// Items at the top of any runtime module (types, traits, functions, constants).
    pub items: BTreeSet<String>,
    /// Public types and traits (what a generated crate re-exports at its root).
    pub public_types: BTreeSet<String>,
    /// Methods of `Client`, of any visibility.
    pub client_methods: BTreeSet<String>,
    /// Methods of `ClientBuilder`, of any visibility.
    pub builder_methods: BTreeSet<String>,
    /// Header names whose values the runtime hides from `Debug` output (its `SECRET_HEADERS`).
    pub secret_headers: Vec<String>,
    /// Parts of header names that make the runtime hide a value (its `SECRET_HEADER_PARTS`).
    pub secret_header_parts: Vec<String>,
}

impl Reserved {
    /// Whether the runtime takes a header (or cookie) of this name for a credential, by the
    /// same words its `is_secret_header` uses.
    pub fn is_secret_header(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.secret_headers.contains(&name)
            || self
                .secret_header_parts
                .iter()
                .any(|part| name.contains(part.as_str()))
    }
}

/// The names the runtime defines, once read.
static RESERVED: OnceLock<Reserved> = OnceLock::new();

/// Starts reading the runtime's names on a thread of its own, unless they are read already, so
/// that [`reserved`] finds them ready (it waits for the read if it comes first).
pub fn read_reserved_in_background() {
    if RESERVED.get().is_none() {
        std::thread::spawn(reserved);
    }
}

/// The names the runtime defines, read once from its source.
pub fn reserved() -> &'static Reserved {
    RESERVED.get_or_init(|| {
        let mut reserved = Reserved::default();
        for m in MODULES {
            // The runtime is a workspace crate that is compiled and tested, so it parses; a
            // test below checks that every module is read.
            if let Ok(file) = syn::parse_file(m.source) {
                collect(&file.items, &mut reserved);
            }
        }
        reserved
    })
}

fn collect(items: &[syn::Item], reserved: &mut Reserved) {
    for item in items {
        let (ident, public_type) = match item {
            syn::Item::Struct(i) => (&i.ident, is_pub(&i.vis, &i.attrs)),
            syn::Item::Enum(i) => (&i.ident, is_pub(&i.vis, &i.attrs)),
            syn::Item::Trait(i) => (&i.ident, is_pub(&i.vis, &i.attrs)),
            syn::Item::Type(i) => (&i.ident, is_pub(&i.vis, &i.attrs)),
            syn::Item::Fn(i) => (&i.sig.ident, false),
            syn::Item::Const(i) => {
                let words = match i.ident.to_string().as_str() {
                    "SECRET_HEADERS" => Some(&mut reserved.secret_headers),
                    "SECRET_HEADER_PARTS" => Some(&mut reserved.secret_header_parts),
                    _ => None,
                };
                if let Some(words) = words {
                    words.extend(string_literals(&i.expr));
                }
                (&i.ident, false)
            }
            syn::Item::Static(i) => (&i.ident, false),
            syn::Item::Impl(i) => {
                if i.trait_.is_some() {
                    continue;
                }
                let target = match &*i.self_ty {
                    syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                let methods = match target.as_deref() {
                    Some("Client") => &mut reserved.client_methods,
                    Some("ClientBuilder") => &mut reserved.builder_methods,
                    _ => continue,
                };
                for inner in &i.items {
                    if let syn::ImplItem::Fn(f) = inner {
                        methods.insert(f.sig.ident.to_string());
                    }
                }
                continue;
            }
            _ => continue,
        };
        reserved.items.insert(ident.to_string());
        if public_type {
            reserved.public_types.insert(ident.to_string());
        }
    }
}

/// The string literals of an array expression (`["a", "b"]`).
fn string_literals(expr: &syn::Expr) -> Vec<String> {
    let syn::Expr::Array(array) = expr else {
        return Vec::new();
    };
    array
        .elems
        .iter()
        .filter_map(|e| match e {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .collect()
}

/// Public and not `#[doc(hidden)]`: what a generated crate's root re-exports (the hidden items
/// are public only for crates that share the runtime crate).
fn is_pub(vis: &syn::Visibility, attrs: &[syn::Attribute]) -> bool {
    matches!(vis, syn::Visibility::Public(_)) && !is_hidden(attrs)
}

/// Whether an item carries `#[doc(hidden)]`.
pub(crate) fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "hidden")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_ship_as_they_stand_without_tests() {
        // The runtime's unit tests live in `runtime/src/tests/`, so a module is copied whole.
        for m in MODULES {
            assert!(
                !m.source.contains("#[cfg(test)]"),
                "{}: tests in the module",
                m.name
            );
            assert!(
                !m.source.contains("mod tests"),
                "{}: tests in the module",
                m.name
            );
        }
    }

    #[test]
    fn every_module_parses_and_names_are_read() {
        for m in MODULES {
            assert!(
                syn::parse_file(m.source).is_ok(),
                "{} does not parse",
                m.name
            );
        }
        let r = reserved();
        for name in [
            "Client",
            "ClientBuilder",
            "Error",
            "Hook",
            "RateLimit",
            "Prepared",
            "ResponseFuture",
            "MetaFuture",
        ] {
            assert!(r.items.contains(name), "{name}");
        }
        for name in ["base_url", "execute"] {
            assert!(r.client_methods.contains(name), "{name}");
        }
        for name in [
            "build",
            "timeout",
            "hook",
            "http_client",
            "use_api_url",
            "credential",
        ] {
            assert!(r.builder_methods.contains(name), "{name}");
        }
        assert!(r.public_types.contains("Hook") && !r.public_types.contains("Prepared"));
    }

    #[test]
    fn the_runtimes_secret_header_words_are_read() {
        let r = reserved();
        assert_eq!(
            r.secret_headers,
            [
                "authorization",
                "proxy-authorization",
                "cookie",
                "set-cookie"
            ]
        );
        assert!(
            r.secret_header_parts.len() >= 5,
            "{:?}",
            r.secret_header_parts
        );
        for (name, secret) in [
            ("Authorization", true),
            ("X-Api-Key", true),
            ("X-Session-Token", true),
            ("session", true),
            ("Accept-Language", false),
            ("X-Request-Id", false),
        ] {
            assert_eq!(r.is_secret_header(name), secret, "{name}");
        }
    }
}
