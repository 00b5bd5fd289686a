//! Credentials and how they travel: the security schemes of the spec (`http` bearer and basic,
//! `apiKey` in a header, a query or a cookie, OAuth 2 and OpenID Connect tokens), the credential a
//! user configured for each, and the choice, per request, of which of an operation's security
//! requirements to satisfy. Tokens come from a [`TokenSource`]: a fixed string, an OAuth flow
//! (`oauth.rs`, when the spec has one), or a source of the user's own. Secrets never appear in
//! `Debug` output or errors.

use crate::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future (what [`TokenSource::token`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access token (or API key), and the API base URL the token endpoint may have named with it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The bearer token.
    pub token: String,
    /// The `api_url` of the token response, if any (only read when the client is told to use it).
    pub api_url: Option<String>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("api_url", &self.api_url)
            .finish()
    }
}

/// A source of access tokens. Implement it to plug in your own (a secrets manager, a token shared
/// across processes, …).
pub trait TokenSource: Send + Sync + std::fmt::Debug {
    /// A token to send. `rejected` is the token the API just answered 401 to: a source that can
    /// refresh returns a different one (unless its cached token already differs from it).
    fn token<'a>(&'a self, rejected: Option<&'a str>) -> BoxFuture<'a, Result<AccessToken, Error>>;

    /// Whether asking again after a 401 can give a different token (default `true`).
    fn can_refresh(&self) -> bool {
        true
    }
}

/// A fixed token or key.
#[derive(Clone)]
#[doc(hidden)]
pub struct StaticToken(pub(crate) String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn token<'a>(
        &'a self,
        _rejected: Option<&'a str>,
    ) -> BoxFuture<'a, Result<AccessToken, Error>> {
        let token = AccessToken {
            token: self.0.clone(),
            api_url: None,
        };
        Box::pin(async move { Ok(token) })
    }

    fn can_refresh(&self) -> bool {
        false
    }
}

/// Where an `apiKey` scheme puts its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// How a security scheme of the spec sends its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (`http` bearer, `oauth2`, `openIdConnect`).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key under this name.
    ApiKey(KeyLocation, &'static str),
}

/// One entry of the spec's `securitySchemes`.
#[derive(Debug, PartialEq, Eq)]
#[doc(hidden)]
pub struct Scheme {
    /// The scheme's name in the spec (`components/securitySchemes/NAME`).
    pub name: &'static str,
    /// How it is sent.
    pub kind: SchemeKind,
}

/// An operation's `security`: alternatives, each a set of schemes that must all be sent. No
/// alternative at all, or an empty one, means the operation can be called without credentials.
#[doc(hidden)]
pub type Security = &'static [&'static [&'static Scheme]];

/// The credential configured for one scheme.
#[derive(Clone)]
#[doc(hidden)]
pub enum Credential {
    /// A token or API key, from a source (a fixed value, an OAuth flow, or the user's own).
    Token(Arc<dyn TokenSource>),
    /// HTTP basic credentials.
    Basic { username: String, password: String },
    /// A token source that needs the client's HTTP client (an OAuth flow), made when the client
    /// is built.
    Deferred(MakeSource),
}

/// Makes a token source over the built client's HTTP client.
#[doc(hidden)]
pub type MakeSource = Arc<
    dyn Fn(reqwest::Client, Overrides<'_>) -> Result<Arc<dyn TokenSource>, Error> + Send + Sync,
>;

/// What the client builder overrides in an OAuth flow the spec describes.
#[derive(Clone, Copy, Default)]
#[doc(hidden)]
pub struct Overrides<'a> {
    /// Another token endpoint.
    pub token_url: Option<&'a str>,
    /// Other scopes.
    pub scopes: Option<&'a [String]>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Token(source) => write!(f, "{source:?}"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}:<redacted>)"),
            Credential::Deferred(_) => f.write_str("OAuth flow (not started)"),
        }
    }
}

impl Credential {
    /// A fixed token or key.
    #[doc(hidden)]
    pub fn fixed(value: impl Into<String>) -> Credential {
        Credential::Token(Arc::new(StaticToken(value.into())))
    }
}

/// The credentials a client holds, one per scheme at most.
#[derive(Clone, Debug, Default)]
#[doc(hidden)]
pub struct Credentials {
    entries: Vec<(&'static Scheme, Credential)>,
}

impl Credentials {
    /// Sets (or replaces) the credential of `scheme`.
    #[doc(hidden)]
    pub fn set(&mut self, scheme: &'static Scheme, credential: Credential) {
        self.entries.retain(|(s, _)| s.name != scheme.name);
        self.entries.push((scheme, credential));
    }

    /// Makes the token sources that need the HTTP client.
    #[doc(hidden)]
    pub fn resolve(
        self,
        http: &reqwest::Client,
        overrides: Overrides<'_>,
    ) -> Result<Credentials, Error> {
        let mut entries = Vec::with_capacity(self.entries.len());
        for (scheme, credential) in self.entries {
            let credential = match credential {
                Credential::Deferred(make) => Credential::Token(make(http.clone(), overrides)?),
                other => other,
            };
            entries.push((scheme, credential));
        }
        Ok(Credentials { entries })
    }

    /// The credential of `scheme`, when configured.
    #[doc(hidden)]
    pub fn get(&self, scheme: &Scheme) -> Option<&Credential> {
        self.entries
            .iter()
            .find(|(s, _)| s.name == scheme.name)
            .map(|(_, c)| c)
    }

    /// The schemes to send for an operation's `security`: the first alternative whose schemes
    /// all have a credential; else nothing when the operation allows anonymous calls; else the
    /// configured part of the alternative with the most configured schemes (the server then says
    /// what is missing). With no credentials configured, nothing is sent.
    #[doc(hidden)]
    pub fn select(&self, security: &[&[&'static Scheme]]) -> Vec<(&'static Scheme, &Credential)> {
        let configured = |alternative: &[&'static Scheme]| -> Vec<(&'static Scheme, &Credential)> {
            alternative
                .iter()
                .filter_map(|s| self.get(s).map(|c| (*s, c)))
                .collect()
        };
        if let Some(full) = security
            .iter()
            .find(|alt| !alt.is_empty() && alt.iter().all(|s| self.get(s).is_some()))
        {
            return configured(full);
        }
        if security.is_empty() || security.iter().any(|alt| alt.is_empty()) {
            return Vec::new();
        }
        security
            .iter()
            .map(|alt| configured(alt))
            .max_by_key(Vec::len)
            .unwrap_or_default()
    }
}

/// What the selected credentials add to one attempt of a request.
#[derive(Default)]
#[doc(hidden)]
pub struct Applied {
    /// Headers to send.
    pub headers: Vec<(&'static str, String)>,
    /// Query pairs to add.
    pub query: Vec<(&'static str, String)>,
    /// Cookies to add.
    pub cookies: Vec<(&'static str, String)>,
    /// The tokens sent, by scheme, so a 401 can ask their sources for fresh ones.
    pub tokens: Vec<(&'static str, String)>,
    /// The `api_url` a token endpoint named with a bearer token.
    pub api_url: Option<String>,
}

/// Fetches the tokens of the selected credentials and places each where its scheme says.
/// `rejected` holds tokens the API has answered 401 to, so a refreshable source hands out a new
/// one.
#[doc(hidden)]
pub async fn apply(
    selected: &[(&'static Scheme, &Credential)],
    rejected: &[(&'static str, String)],
) -> Result<Applied, Error> {
    let mut applied = Applied::default();
    for (scheme, credential) in selected {
        match (credential, scheme.kind) {
            (Credential::Basic { username, password }, _) => {
                applied.headers.push((
                    "authorization",
                    format!("Basic {}", base64(format!("{username}:{password}"))),
                ));
            }
            (Credential::Deferred(_), _) => {
                return Err(Error::Config(format!(
                    "the OAuth flow of `{}` was not started",
                    scheme.name
                )));
            }
            (Credential::Token(source), kind) => {
                let was_rejected = rejected
                    .iter()
                    .find(|(name, _)| *name == scheme.name)
                    .map(|(_, t)| t.as_str());
                let AccessToken { token, api_url } = source.token(was_rejected).await?;
                if kind == SchemeKind::Bearer && applied.api_url.is_none() {
                    applied.api_url = api_url;
                }
                match kind {
                    SchemeKind::Bearer | SchemeKind::Basic => applied
                        .headers
                        .push(("authorization", format!("Bearer {token}"))),
                    SchemeKind::ApiKey(KeyLocation::Header, name) => {
                        applied.headers.push((name, token.clone()))
                    }
                    SchemeKind::ApiKey(KeyLocation::Query, name) => {
                        applied.query.push((name, token.clone()))
                    }
                    SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                        applied.cookies.push((name, token.clone()))
                    }
                }
                applied.tokens.push((scheme.name, token));
            }
        }
    }
    Ok(applied)
}

/// Whether any selected credential can hand out a different token after a 401.
#[doc(hidden)]
pub fn can_refresh(selected: &[(&'static Scheme, &Credential)]) -> bool {
    selected
        .iter()
        .any(|(_, c)| matches!(c, Credential::Token(source) if source.can_refresh()))
}

/// Standard base64 with padding (RFC 4648), for HTTP basic credentials.
#[doc(hidden)]
pub fn base64(text: impl AsRef<[u8]>) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}
