//! How a client authenticates: the spec's security schemes and the config's OAuth grants.

use super::Location;

/// How a client authenticates: one way to configure it per security scheme of the spec.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    /// The spec's `securitySchemes` the generator supports, in the spec's order.
    pub schemes: Vec<SecurityScheme>,
    /// The scheme `Client::new(token)` and `Client::builder(token)` set: the first bearer-like
    /// one (`http` bearer, `oauth2`, `openIdConnect`). Without one they take no token.
    pub primary: Option<usize>,
    /// OAuth grants from the config, each a `Client` constructor.
    pub grants: Vec<Grant>,
}

impl Auth {
    /// Whether the client runs any OAuth flow (so the crate needs the runtime's `oauth`).
    pub fn runs_oauth(&self) -> bool {
        !self.grants.is_empty() || self.schemes.iter().any(|s| s.client_credentials.is_some())
    }
}

/// One security scheme, which becomes a constant of the `security` module and a
/// `ClientBuilder` method.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Its name in the spec.
    pub name: String,
    /// The constant describing it.
    pub const_name: String,
    /// The `ClientBuilder` method that sets its credential.
    pub method: String,
    /// How its credential travels.
    pub kind: SchemeKind,
    /// The spec's description, as rustdoc.
    pub docs: Option<String>,
    /// An OAuth client-credentials flow the client can run for it.
    pub client_credentials: Option<ClientCredentials>,
}

/// How a scheme's credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (`http` bearer, `oauth2`, `openIdConnect`); `what` says which.
    Bearer {
        /// Which kind of scheme the token comes from.
        what: BearerOf,
    },
    /// `Authorization: Basic`.
    Basic,
    /// An API key.
    ApiKey {
        /// Header, query or cookie.
        location: Location,
        /// Its name on the wire.
        name: String,
    },
}

/// The kind of security scheme whose token travels as `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerOf {
    /// `type: http, scheme: bearer`.
    Http,
    /// `type: oauth2`.
    OAuth2,
    /// `type: openIdConnect`.
    OpenIdConnect,
}

impl BearerOf {
    /// How docs name it.
    pub fn describe(self) -> &'static str {
        match self {
            BearerOf::Http => "HTTP bearer",
            BearerOf::OAuth2 => "OAuth 2",
            BearerOf::OpenIdConnect => "OpenID Connect",
        }
    }
}

/// An OAuth 2 client-credentials flow of the spec.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    /// The `ClientBuilder` method that runs it.
    pub method: String,
    /// The spec's `tokenUrl`.
    pub token_url: String,
    /// The flow's scopes, asked for by default.
    pub scopes: Vec<String>,
}

/// An OAuth grant from the config: a `Client` constructor.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The constructor's name.
    pub method: String,
    /// Index into [`Auth::schemes`] of the scheme it provides tokens for.
    pub scheme: usize,
    /// The token endpoint.
    pub token_url: String,
    /// `grant_type`.
    pub grant_type: String,
    /// Further parameters: (wire name, argument name).
    pub params: Vec<(String, String)>,
    /// Parameters in the query string rather than a form body.
    pub params_in_query: bool,
    /// Client authentication with HTTP Basic (else form fields).
    pub basic_client_auth: bool,
    /// Docs.
    pub docs: Option<String>,
}
