//! Part of stage 2 (lowering): the spec's `servers` into the default base URL and, when the user
//! has a choice to make (several servers, or variables), [`Server`]s for the `servers` module.
//!
//! Contract: the default base URL is the config's `base_url`, else the first server's URL with
//! each variable's default put in. Every variable of every server gets one `ClientBuilder`
//! method (shared by name across servers), never one the builder, the security schemes or
//! `server` already use; a variable whose `enum` lists values gets an enum type. Nothing is
//! refused: a `{name}` without a variable is left as written.

use crate::model::{Auth, Server, ServerVariable};
use crate::naming::{self, Scope};
use openapiv3::OpenAPI;

/// A variable's builder method, and its enum's type and variant names when it lists values.
type Named = (String, Option<(String, Vec<String>)>);

/// The default base URL and the servers the user can choose among.
pub(super) fn servers(
    spec: &OpenAPI,
    configured: Option<&str>,
    auth: &Auth,
) -> (Option<String>, Vec<Server>) {
    let first = spec.servers.first().map(|s| {
        let mut url = s.url.clone();
        for (name, variable) in s.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        url
    });
    let base_url = configured.map(str::to_string).or(first);
    let choice = spec.servers.len() > 1
        || spec
            .servers
            .iter()
            .any(|s| s.variables.as_ref().is_some_and(|v| !v.is_empty()));
    if !choice {
        return (base_url, Vec::new());
    }
    // Builder methods: not the runtime's, not the schemes', not `server`, one per variable name.
    let reserved = crate::runtime_source::reserved();
    let scheme_methods = auth.schemes.iter().map(|s| s.method.as_str());
    let mut methods = Scope::with_reserved(
        reserved
            .builder_methods
            .iter()
            .map(String::as_str)
            .chain(scheme_methods)
            .chain(["server"]),
    );
    let mut types = Scope::with_reserved(["Server"]);
    let mut variants = Scope::default();
    let mut by_name: std::collections::BTreeMap<String, Named> = std::collections::BTreeMap::new();
    let servers = spec
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = s
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty() && d.len() <= 40)
                .map_or_else(|| format!("server {}", i + 1), str::to_string);
            let variables = s
                .variables
                .iter()
                .flatten()
                .map(|(wire, v)| {
                    let (method, enum_type) = by_name
                        .entry(wire.clone())
                        .or_insert_with(|| {
                            let method = methods.claim(&naming::snake_name(wire, "variable"));
                            let enum_type = (!v.enumeration.is_empty()).then(|| {
                                let mut names = Scope::default();
                                let variants = v
                                    .enumeration
                                    .iter()
                                    .map(|value| names.claim(&naming::variant_name(value)))
                                    .collect();
                                (types.claim(&naming::type_name(wire, "variable")), variants)
                            });
                            (method, enum_type)
                        })
                        .clone();
                    ServerVariable {
                        method,
                        wire: wire.clone(),
                        default: v.default.clone(),
                        values: v.enumeration.clone(),
                        enum_type,
                        docs: v.description.as_deref().map(crate::docs::to_rustdoc),
                    }
                })
                .collect();
            Server {
                url: s.url.clone(),
                variant: variants.claim(&naming::variant_name(&label)),
                docs: s.description.as_deref().map(crate::docs::to_rustdoc),
                variables,
            }
        })
        .collect();
    (base_url, servers)
}
