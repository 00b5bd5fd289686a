//! OAuth 2 flows the client runs itself: client credentials (RFC 6749 §4.4) against the spec's
//! `tokenUrl` with its scopes, and the variants a spec's config describes (another grant type,
//! extra parameters, parameters in the query string).
//!
//! Tokens are cached and fetched again a minute before `expires_in` runs out (halfway, for tokens
//! shorter than two minutes); concurrent requests wait for one shared fetch; a 401 on a token the
//! client believed valid gets one fresh token. Only included in crates whose spec has such a flow.

use crate::auth::{AccessToken, BoxFuture, Credential, TokenSource};
use crate::error::{redact_str, AuthError, Error};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the client authenticates itself to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum ClientAuth {
    /// HTTP Basic `client_id:client_secret` (`client_secret_basic`, RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` as form fields (`client_secret_post`).
    Body,
}

/// A token request, as the spec (and its config) describe it.
#[derive(Clone)]
#[doc(hidden)]
pub struct Grant {
    /// The token endpoint (the spec's `tokenUrl`, or the config's).
    pub token_url: &'static str,
    /// `grant_type` (`client_credentials` unless the config names another).
    pub grant_type: &'static str,
    /// Scopes to ask for, space-separated in `scope`; none: no `scope` parameter.
    pub scopes: Vec<String>,
    /// Further parameters (an account id, say).
    pub params: Vec<(&'static str, String)>,
    /// Send the parameters in the query string rather than a form body.
    pub params_in_query: bool,
    /// How the client authenticates.
    pub client_auth: ClientAuth,
    /// The client's id.
    pub client_id: String,
    /// The client's secret.
    pub client_secret: String,
}

impl Grant {
    /// A client-credentials grant with HTTP Basic client authentication and a form body.
    #[doc(hidden)]
    pub fn client_credentials(
        token_url: &'static str,
        client_id: String,
        client_secret: String,
    ) -> Grant {
        Grant {
            token_url,
            grant_type: "client_credentials",
            scopes: Vec::new(),
            params: Vec::new(),
            params_in_query: false,
            client_auth: ClientAuth::Basic,
            client_id,
            client_secret,
        }
    }

    /// The credential that runs this grant, over the client's own HTTP client once it is built.
    /// [`ClientBuilder::oauth_url`](crate::ClientBuilder::oauth_url) and
    /// [`ClientBuilder::oauth_scopes`](crate::ClientBuilder::oauth_scopes) override the token URL
    /// and the scopes.
    #[doc(hidden)]
    pub fn into_credential(self) -> Credential {
        Credential::Deferred(Arc::new(move |http, overrides| {
            let token_url = overrides.token_url.unwrap_or(self.token_url).to_string();
            match reqwest::Url::parse(&token_url) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => {}
                _ => {
                    return Err(Error::Config(format!(
                        "OAuth token URL `{token_url}` is not an absolute http(s) URL"
                    )))
                }
            }
            let mut grant = self.clone();
            if let Some(scopes) = overrides.scopes {
                grant.scopes = scopes.to_vec();
            }
            Ok(Arc::new(OAuthSource {
                grant,
                token_url,
                http,
                cache: tokio::sync::Mutex::new(None),
            }) as Arc<dyn TokenSource>)
        }))
    }
}

/// Fetches and caches the tokens of one grant.
struct OAuthSource {
    grant: Grant,
    token_url: String,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

impl std::fmt::Debug for OAuthSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("token_url", &redact_str(&self.token_url))
            .field("grant_type", &self.grant.grant_type)
            .field("client_id", &"<redacted>")
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    api_url: Option<String>,
}

impl OAuthSource {
    async fn fetch(&self) -> Result<Cached, Error> {
        let grant = &self.grant;
        let fail = |status: Option<reqwest::StatusCode>, message: String, body: String| {
            Error::Auth(Box::new(AuthError {
                status,
                message,
                body,
            }))
        };
        let mut params: Vec<(&str, &str)> = vec![("grant_type", grant.grant_type)];
        let scope = grant.scopes.join(" ");
        if !scope.is_empty() {
            params.push(("scope", &scope));
        }
        params.extend(grant.params.iter().map(|(k, v)| (*k, v.as_str())));
        if grant.client_auth == ClientAuth::Body {
            params.push(("client_id", &grant.client_id));
            params.push(("client_secret", &grant.client_secret));
        }
        let mut request = self
            .http
            .post(&self.token_url)
            .header(reqwest::header::ACCEPT, "application/json");
        if grant.client_auth == ClientAuth::Basic {
            request = request.basic_auth(&grant.client_id, Some(&grant.client_secret));
        }
        request = if grant.params_in_query {
            request.query(&params)
        } else {
            request.form(&params)
        };
        let response = request.send().await.map_err(|e| {
            fail(
                None,
                format!(
                    "cannot reach the token endpoint {}: {}",
                    redact_str(&self.token_url),
                    Error::from_reqwest(e)
                ),
                String::new(),
            )
        })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            fail(
                Some(status),
                format!(
                    "reading the token response failed: {}",
                    Error::from_reqwest(e)
                ),
                String::new(),
            )
        })?;
        if !status.is_success() {
            let text = String::from_utf8_lossy(&body).into_owned();
            return Err(fail(
                Some(status),
                format!("the token endpoint answered HTTP {status}"),
                text,
            ));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            // The body of a successful token response holds the token: never keep it in an error.
            fail(
                Some(status),
                format!("the token response is not the expected JSON: {e}"),
                String::new(),
            )
        })?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        // Refresh a minute early (or halfway through, for short-lived tokens).
        let margin = Duration::from_secs(60).min(lifetime / 2);
        Ok(Cached {
            token: AccessToken {
                token: parsed.access_token,
                api_url: parsed.api_url,
            },
            refresh_at: Instant::now() + lifetime - margin,
        })
    }
}

impl TokenSource for OAuthSource {
    fn token<'a>(&'a self, rejected: Option<&'a str>) -> BoxFuture<'a, Result<AccessToken, Error>> {
        Box::pin(async move {
            // Holding the lock across the fetch makes concurrent callers wait for one fetch and
            // then share its token.
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.as_ref() {
                let fresh = Instant::now() < cached.refresh_at;
                let was_rejected = rejected == Some(cached.token.token.as_str());
                if fresh && !was_rejected {
                    return Ok(cached.token.clone());
                }
            }
            let fetched = self.fetch().await?;
            let token = fetched.token.clone();
            *cache = Some(fetched);
            Ok(token)
        })
    }
}
