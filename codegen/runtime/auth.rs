//! Where access tokens come from: a fixed bearer token, Zoom-style Server-to-Server OAuth (cached,
//! refreshed shortly before it expires, one fetch shared by concurrent requests), or any source a
//! user plugs in through [`TokenSource`]. Secrets never appear in `Debug` output or errors.

use crate::error::{AuthError, Error};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A boxed, sendable future (what [`TokenSource::token`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access token, and the API base URL the token endpoint may have named with it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The bearer token.
    pub token: String,
    /// The `api_url` of the token response, if any.
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

/// A fixed bearer token.
#[derive(Clone)]
pub(crate) struct StaticToken(pub(crate) String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenSource for StaticToken {
    fn token<'a>(&'a self, _rejected: Option<&'a str>) -> BoxFuture<'a, Result<AccessToken, Error>> {
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

/// The default token endpoint of Server-to-Server OAuth.
pub const DEFAULT_OAUTH_URL: &str = "https://zoom.us/oauth/token";

/// Server-to-Server OAuth credentials: `POST {oauth_url}?grant_type=account_credentials&account_id=…`
/// with HTTP Basic `client_id:client_secret`.
#[derive(Clone)]
pub(crate) struct ServerToServer {
    pub(crate) account_id: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) oauth_url: String,
}

/// Fetches and caches Server-to-Server OAuth tokens.
pub(crate) struct ServerToServerOAuth {
    credentials: ServerToServer,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

impl std::fmt::Debug for ServerToServerOAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerToServerOAuth")
            .field("oauth_url", &self.credentials.oauth_url)
            .field("account_id", &self.credentials.account_id)
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

impl ServerToServerOAuth {
    pub(crate) fn new(credentials: ServerToServer, http: reqwest::Client) -> Self {
        ServerToServerOAuth {
            credentials,
            http,
            cache: tokio::sync::Mutex::new(None),
        }
    }

    async fn fetch(&self) -> Result<Cached, Error> {
        let c = &self.credentials;
        let fail = |status: Option<reqwest::StatusCode>, message: String, body: String| {
            Error::Auth(Box::new(AuthError {
                status,
                message,
                body,
            }))
        };
        let response = self
            .http
            .post(&c.oauth_url)
            .query(&[("grant_type", "account_credentials"), ("account_id", c.account_id.as_str())])
            .basic_auth(&c.client_id, Some(&c.client_secret))
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| fail(None, format!("cannot reach the token endpoint {}: {e}", c.oauth_url), String::new()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| fail(Some(status), format!("reading the token response failed: {e}"), String::new()))?;
        let text = String::from_utf8_lossy(&body).into_owned();
        if !status.is_success() {
            return Err(fail(Some(status), format!("the token endpoint answered HTTP {status}"), text));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            // The body of a successful token response holds the token: never keep it in an error.
            fail(Some(status), format!("the token response is not the expected JSON: {e}"), String::new())
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

impl TokenSource for ServerToServerOAuth {
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
