//! Part of stage 2 (lowering): the spec's `securitySchemes` and `security` requirements, and the
//! config's OAuth grants, into [`Auth`] and each operation's requirement.
//!
//! Contract: every supported scheme gets a constant name and a `ClientBuilder` method that no
//! runtime method takes; a scheme the generator cannot send (an `http` scheme other than bearer
//! and basic, a `$ref`) is skipped with a warning naming its pointer (an error with `strict`); a
//! config grant that names an unknown scheme, or a constructor name that is not a plain
//! identifier or clashes with the client's own methods, is an error naming the config key.

use crate::config::{ClientAuthConfig, Config};
use crate::error::pointer_push;
use crate::model::{
    Auth, BearerOf, ClientCredentials, Grant, Location, SchemeKind, SecurityScheme,
};
use crate::naming::{self, Scope};
use crate::{docs, Error, Warning};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement};
use std::path::Path;

/// `Client` constructors the generator writes for every spec (with or without a token).
pub const CONSTRUCTORS: &[&str] = &["new", "builder", "with_token_source"];

/// Lowers the schemes and the config's grants. Warnings go to `skipped`.
pub fn lower_auth(
    spec: &OpenAPI,
    file: &Path,
    config: &Config,
    skipped: &mut Vec<Warning>,
) -> Result<Auth, Error> {
    let reserved = crate::runtime_source::reserved();
    let mut methods = Scope::with_reserved(reserved.builder_methods.iter().map(String::as_str));
    let mut consts = Scope::default();
    let mut auth = Auth::default();
    let empty = indexmap::IndexMap::new();
    let schemes = spec
        .components
        .as_ref()
        .map_or(&empty, |c| &c.security_schemes);
    for (name, scheme) in schemes {
        let pointer = pointer_push("/components/securitySchemes", name);
        let skip = |message: String, skipped: &mut Vec<Warning>| -> Result<(), Error> {
            if config.strict {
                return Err(Error::at(file, &pointer, message).hint(
                    "turn off `strict` in the spec's config to skip what is unsupported with a warning",
                ));
            }
            skipped.push(Warning {
                pointer: pointer.clone(),
                message,
            });
            Ok(())
        };
        let ReferenceOr::Item(scheme) = scheme else {
            skip("a $ref'd security scheme is not supported; operations that need it send nothing for it".into(), skipped)?;
            continue;
        };
        let (kind, description, flow) = match scheme_kind(scheme) {
            Ok(found) => found,
            Err(message) => {
                skip(message, skipped)?;
                continue;
            }
        };
        let method = methods.claim(&naming::snake_name(name, "auth"));
        let client_credentials = match flow {
            Some(flow) if is_absolute_http(&flow.token_url) => Some(ClientCredentials {
                method: methods.claim(&format!(
                    "{}_client_credentials",
                    method.trim_start_matches("r#")
                )),
                token_url: flow.token_url.clone(),
                scopes: flow.scopes.keys().cloned().collect(),
            }),
            Some(flow) => {
                skipped.push(Warning {
                    pointer: pointer_push(&pointer, "flows/clientCredentials/tokenUrl"),
                    message: format!(
                        "the client-credentials flow's tokenUrl `{}` is not an absolute http(s) URL, so the client cannot run it; set a token with `{method}(…)` instead",
                        flow.token_url
                    ),
                });
                None
            }
            None => None,
        };
        if matches!(kind, SchemeKind::Bearer { .. }) {
            // The `*_source` setter of a bearer scheme.
            let _ = methods.claim(&format!("{}_source", method.trim_start_matches("r#")));
        }
        if auth.primary.is_none() && matches!(kind, SchemeKind::Bearer { .. }) {
            auth.primary = Some(auth.schemes.len());
        }
        auth.schemes.push(SecurityScheme {
            name: name.clone(),
            const_name: consts.claim(&naming::const_name(name, "scheme")),
            method,
            kind,
            docs: description.as_deref().map(docs::to_rustdoc),
            client_credentials,
        });
    }
    lower_grants(&mut auth, config, file, reserved)?;
    Ok(auth)
}

/// What a security scheme is to the client: its kind, its description, and an OAuth
/// client-credentials flow the client may run. `Err` says why it is not supported.
fn scheme_kind(
    scheme: &openapiv3::SecurityScheme,
) -> Result<
    (
        SchemeKind,
        &Option<String>,
        Option<&openapiv3::ClientCredentialsOAuth2Flow>,
    ),
    String,
> {
    use openapiv3::SecurityScheme as S;
    Ok(match scheme {
        S::HTTP {
            scheme: http,
            description,
            ..
        } => match http.to_ascii_lowercase().as_str() {
            "bearer" => (
                SchemeKind::Bearer {
                    what: BearerOf::Http,
                },
                description,
                None,
            ),
            "basic" => (SchemeKind::Basic, description, None),
            other => return Err(format!("the HTTP authentication scheme `{other}` is not supported (only bearer and basic); operations that need it send nothing for it")),
        },
        S::APIKey {
            location,
            name: wire,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => Location::Header,
                APIKeyLocation::Query => Location::Query,
                APIKeyLocation::Cookie => Location::Cookie,
            };
            (
                SchemeKind::ApiKey {
                    location,
                    name: wire.clone(),
                },
                description,
                None,
            )
        }
        S::OAuth2 {
            flows, description, ..
        } => (
            SchemeKind::Bearer {
                what: BearerOf::OAuth2,
            },
            description,
            flows.client_credentials.as_ref(),
        ),
        S::OpenIDConnect { description, .. } => (
            SchemeKind::Bearer {
                what: BearerOf::OpenIdConnect,
            },
            description,
            None,
        ),
    })
}

/// The config's OAuth grants (`[auth.grants.NAME]`), each checked against the spec's schemes
/// and the names a `Client` constructor may not take.
fn lower_grants(
    auth: &mut Auth,
    config: &Config,
    file: &Path,
    reserved: &crate::runtime_source::Reserved,
) -> Result<(), Error> {
    let client_methods = &reserved.client_methods;
    for (method, grant) in &config.auth.grants {
        let key = format!("[auth.grants.{method}]");
        let fail = |message: String, hint: &str| {
            Error::at(
                file,
                "/components/securitySchemes",
                format!("config {key}: {message}"),
            )
            .hint(hint.to_string())
        };
        if naming::snake_name(method, "") != *method
            || CONSTRUCTORS.contains(&method.as_str())
            || client_methods.contains(method)
        {
            return Err(fail(
                format!("`{method}` cannot be a `Client` constructor name"),
                "use a snake_case name that is not a Rust keyword, `new`, `builder`, `with_token_source` or a method of the runtime's `Client`",
            ));
        }
        let Some(scheme) = auth.schemes.iter().position(|s| s.name == grant.scheme) else {
            return Err(fail(
                format!(
                    "`scheme = \"{}\"` names no security scheme the client supports",
                    grant.scheme
                ),
                "name one of the spec's `components/securitySchemes`",
            ));
        };
        if !is_absolute_http(&grant.token_url) {
            return Err(fail(
                format!(
                    "`token_url = \"{}\"` is not an absolute http(s) URL",
                    grant.token_url
                ),
                "give the full URL of the token endpoint",
            ));
        }
        let mut args = Scope::with_reserved(["client_id", "client_secret"]);
        auth.grants.push(Grant {
            method: method.clone(),
            scheme,
            token_url: grant.token_url.clone(),
            grant_type: grant.grant_type.clone(),
            params: grant
                .params
                .iter()
                .map(|p| (p.clone(), args.claim(&naming::snake_name(p, "param"))))
                .collect(),
            params_in_query: grant.params_in_query,
            basic_client_auth: grant.client_auth == ClientAuthConfig::Basic,
            docs: grant.description.clone(),
        });
    }
    Ok(())
}

/// The names of the `Client` constructors: what operations must not be called.
pub fn constructor_names(auth: &Auth) -> impl Iterator<Item = &str> {
    CONSTRUCTORS
        .iter()
        .copied()
        .chain(auth.grants.iter().map(|g| g.method.as_str()))
}

/// An operation's requirement as indices into `auth.schemes`. `own` is the operation's
/// `security`, which overrides the spec's default. Schemes the generator skipped make their
/// alternative unsatisfiable, so it is dropped. A spec that states no requirement anywhere
/// accepts any one configured scheme (or none): it declares schemes, so its users expect them
/// sent.
pub fn requirement(
    auth: &Auth,
    spec: &OpenAPI,
    own: Option<&Vec<SecurityRequirement>>,
) -> Vec<Vec<usize>> {
    let Some(requirements) = own.or(spec.security.as_ref()) else {
        let mut any: Vec<Vec<usize>> = (0..auth.schemes.len()).map(|i| vec![i]).collect();
        if !any.is_empty() {
            any.push(Vec::new());
        }
        return any;
    };
    requirements
        .iter()
        .filter_map(|req| {
            req.keys()
                .map(|name| auth.schemes.iter().position(|s| &s.name == name))
                .collect::<Option<Vec<usize>>>()
        })
        .collect()
}

/// A short label of how a scheme is supported, for reports.
pub fn label(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SchemeKind::Bearer {
            what: BearerOf::Http,
        } => "bearer".to_string(),
        SchemeKind::Bearer {
            what: BearerOf::OpenIdConnect,
        } => "openIdConnect".to_string(),
        SchemeKind::Bearer { .. } if scheme.client_credentials.is_some() => {
            "oauth2+client-credentials".to_string()
        }
        SchemeKind::Bearer { .. } => "oauth2".to_string(),
        SchemeKind::Basic => "basic".to_string(),
        SchemeKind::ApiKey { location, .. } => format!(
            "apiKey({})",
            match location {
                Location::Query => "query",
                Location::Cookie => "cookie",
                _ => "header",
            }
        ),
    }
}

fn is_absolute_http(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}
