//! Configuring a client: [`ClientBuilder`] (where requests go, credentials, timeouts, retries,
//! default headers, hooks, your own `reqwest::Client`) and what `build` checks before a
//! [`Client`] exists. Identical in every generated client.

use crate::auth::{Credential, Credentials, Overrides, Scheme, TokenSource};
use crate::client::{parse_header, Client, Hook, Inner};
use crate::error::Error;
use crate::retry::RetryPolicy;
use std::sync::Arc;
use std::time::Duration;

/// Configures a [`Client`]: where requests go, the credentials of the spec's security schemes,
/// timeouts, retries, default headers, hooks, and optionally your own `reqwest::Client`.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    /// One of the spec's servers, chosen by the generated `server` or variable methods: `build`
    /// fills its URL template in, unless `base_url` was called after.
    server: Option<ServerChoice>,
    credentials: Credentials,
    http: Option<reqwest::Client>,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    default_headers: Vec<(String, String)>,
    hooks: Vec<Arc<dyn Hook>>,
    oauth_url: Option<String>,
    oauth_scopes: Option<Vec<String>>,
    pub(crate) use_api_url: bool,
}

/// A server URL template (`https://{region}.example.com`), its variables' defaults, and the
/// values set for them.
#[derive(Debug, Clone)]
struct ServerChoice {
    url: &'static str,
    defaults: &'static [(&'static str, &'static str)],
    values: Vec<(&'static str, String)>,
}

impl ServerChoice {
    /// The URL with each variable's value, or its default, put in.
    fn url(&self) -> String {
        let mut url = self.url.to_string();
        for (name, default) in self.defaults {
            let value = self
                .values
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map_or(*default, |(_, v)| v.as_str());
            url = url.replace(&format!("{{{name}}}"), value);
        }
        url
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let default_headers: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::error::redact_str),
            )
            .field("credentials", &self.credentials)
            .field("own_http_client", &self.http.is_some())
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("default_headers", &default_headers)
            .field("hooks", &self.hooks.len())
            .field("oauth_url", &self.oauth_url)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with no credentials, [`crate::DEFAULT_BASE_URL`] (when the spec names a
    /// server), a 30 s timeout, a 10 s connect timeout and [`RetryPolicy::default`].
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            base_url: crate::DEFAULT_BASE_URL.map(str::to_string),
            server: None,
            credentials: Credentials::default(),
            http: None,
            #[cfg(feature = "middleware")]
            middleware: None,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            default_headers: Vec::new(),
            hooks: Vec::new(),
            oauth_url: None,
            oauth_scopes: None,
            use_api_url: false,
        }
    }

    /// Sets the credential of one security scheme (what the generated per-scheme methods call).
    #[doc(hidden)]
    pub fn credential(mut self, scheme: &'static Scheme, credential: Credential) -> Self {
        self.credentials.set(scheme, credential);
        self
    }

    /// Sets a token source for one security scheme.
    #[doc(hidden)]
    pub fn token_source(self, scheme: &'static Scheme, source: Arc<dyn TokenSource>) -> Self {
        self.credential(scheme, Credential::Token(source))
    }

    /// Sends requests to `url` instead of [`crate::DEFAULT_BASE_URL`] (a trailing `/` is ignored).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self.server = None;
        self
    }

    /// Sends requests to one of the spec's servers: its URL template and its variables'
    /// defaults (what the generated `server` method calls). Values already set for variables
    /// the server also has are kept.
    #[doc(hidden)]
    pub fn server_template(
        mut self,
        url: &'static str,
        defaults: &'static [(&'static str, &'static str)],
    ) -> Self {
        let values = self.server.take().map(|s| s.values).unwrap_or_default();
        self.server = Some(ServerChoice {
            url,
            defaults,
            values,
        });
        self
    }

    /// Sets a server variable (what the generated variable methods call); with no server chosen
    /// yet, `url` and `defaults` (the first server that has the variable) are chosen.
    #[doc(hidden)]
    pub fn server_variable(
        mut self,
        url: &'static str,
        defaults: &'static [(&'static str, &'static str)],
        name: &'static str,
        value: impl Into<String>,
    ) -> Self {
        let mut server = self.server.take().unwrap_or(ServerChoice {
            url,
            defaults,
            values: Vec::new(),
        });
        server.values.push((name, value.into()));
        self.server = Some(server);
        self
    }

    /// Sends every attempt through `stack`, a `reqwest_middleware` client with your layers
    /// (feature `middleware`). The layers run under the client: each attempt, retries
    /// included, reaches them with its credentials attached (after [`Hook::before_attempt`],
    /// which sees it without), and what they answer is what the retry policy and the decoding
    /// see. The stack's own `reqwest::Client` does the sending, so its settings (timeouts,
    /// proxies) apply; [`ClientBuilder::http_client`] still makes the token requests of OAuth
    /// flows.
    #[cfg(feature = "middleware")]
    pub fn middleware(mut self, stack: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.middleware = Some(stack);
        self
    }

    /// Sends every request through `http`, your own `reqwest::Client` (a proxy, a corporate CA,
    /// client certificates, …). Its own settings then apply: [`user_agent`](Self::user_agent),
    /// [`timeout`](Self::timeout) and [`connect_timeout`](Self::connect_timeout) of this builder
    /// are not used, while per-request timeouts from [`RequestOptions`](crate::send::RequestOptions) still are.
    ///
    /// Its redirect policy applies too. reqwest's default policy follows a redirect to another
    /// host with every header but `Authorization` and `Cookie`, so an API key in a header of its
    /// own would go along: build it with [`ClientBuilder::redirect_policy`] and
    /// `referer(false)`, as the client's own HTTP client is built.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A header sent with every request. It replaces one the client would send under the same
    /// name; a header in [`RequestOptions`](crate::send::RequestOptions) replaces it in turn. Given twice, the name is sent
    /// twice.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Runs `hook` around every attempt of every request, retries included. Hooks run in the
    /// order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How long one attempt may take, from sending to the end of the body (default 30 s);
    /// `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The token endpoint of an OAuth flow the client runs (default: the spec's `tokenUrl`, or
    /// the one its config names).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = Some(url.into());
        self
    }

    /// The scopes an OAuth flow the client runs asks for (default: the scopes the spec lists for
    /// the flow).
    pub fn oauth_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.oauth_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// The redirect policy of the client's own HTTP client: a redirect is followed (up to 10 in
    /// a row) only within the origin (scheme, host and port) of the request that started it.
    /// A redirect to another origin is not followed, so no credential the client attached (in a
    /// header, the query or a cookie) reaches it: the request fails with [`Error::Api`] carrying
    /// the 3xx status and its `Location`. For a `reqwest::Client` of your own
    /// ([`http_client`](Self::http_client)), together with `referer(false)`.
    pub fn redirect_policy() -> reqwest::redirect::Policy {
        reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
            if !same_origin {
                attempt.stop()
            } else if attempt.previous().len() > 10 {
                attempt.error("more than 10 redirects in a row")
            } else {
                attempt.follow()
            }
        })
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if there is no base URL (the spec names no server and none was set) or
    /// it is not an absolute `http(s)` URL, a default header is not valid HTTP, an OAuth token
    /// URL is not a URL, or the HTTP client cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match &self.server {
            Some(server) => Some(server.url()),
            None => self.base_url,
        };
        let Some(base_url) = base_url else {
            return Err(Error::Config(
                "no base URL: the spec names no server, so set one with `ClientBuilder::base_url`"
                    .to_string(),
            ));
        };
        let base_url = base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {}
            Ok(_) => {
                return Err(Error::Config(format!(
                    "base URL `{}` must be an http(s) URL without a query",
                    crate::error::redact_str(&base_url)
                )))
            }
            Err(e) => {
                return Err(Error::Config(format!(
                    "base URL `{}` is not a valid URL: {e}",
                    crate::error::redact_str(&base_url)
                )))
            }
        }
        let mut default_headers = Vec::with_capacity(self.default_headers.len());
        for (name, value) in &self.default_headers {
            default_headers.push(
                parse_header(name, value)
                    .map_err(|e| Error::Config(format!("default header: {e}")))?,
            );
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                // No `Referer` on a redirect: it would repeat the URL, query credentials
                // included.
                let mut http = reqwest::Client::builder()
                    .user_agent(self.user_agent)
                    .connect_timeout(self.connect_timeout)
                    .redirect(Self::redirect_policy())
                    .referer(false);
                if let Some(timeout) = self.timeout {
                    http = http.timeout(timeout);
                }
                http.build()
                    .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?
            }
        };
        let overrides = Overrides {
            token_url: self.oauth_url.as_deref(),
            scopes: self.oauth_scopes.as_deref(),
        };
        let credentials = self.credentials.resolve(&http, overrides)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                #[cfg(feature = "middleware")]
                middleware: self.middleware,
                base_url,
                credentials,
                default_headers,
                hooks: self.hooks,
                use_api_url: self.use_api_url,
                retry: self.retry,
            }),
        })
    }
}
