//! No secret in any error, `Debug` output, hook's view or tracing line, for every kind of
//! security scheme: bearer, basic, an API key in a header, the query and a cookie, OAuth client
//! credentials (the security test client) and Zoom's account-credentials grant (the Zoom client).
//! Each kind is driven through a transport error, a 401, a 503 retried to the end, a decode
//! error, an unreachable token endpoint (the OAuth kinds), a redirect to another origin (refused,
//! and the other origin gets nothing) and a redirect within the origin (followed).
//!
//! Each case also checks that the credential did go out on the wire where it should, so the
//! absence of the secret elsewhere means something. In a test binary of its own, with one test,
//! because `tracing` caches per-callsite interest across threads and tests running in parallel
//! would race with the capturing subscriber.

use client_tests::{capture::Capture, Recorded, Reply, TestServer};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the hooks saw, as text.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn push(&self, line: String) {
        if let Ok(mut lines) = self.0.lock() {
            lines.push(line);
        }
    }

    fn take(&self) -> String {
        self.0
            .lock()
            .map(|mut l| std::mem::take(&mut *l).join("\n"))
            .unwrap_or_default()
    }
}

/// A hook that writes down everything it is shown: the request (its `Debug`, URL and headers)
/// and the outcome.
macro_rules! recording_hook {
    ($krate:ident) => {
        impl $krate::Hook for Seen {
            fn before_attempt(
                &self,
                attempt: &$krate::Attempt,
                request: &mut $krate::reqwest::Request,
            ) {
                self.push(format!(
                    "before {attempt:?} {request:?} url={} headers={:?}",
                    request.url(),
                    request.headers()
                ));
            }

            fn after_attempt(
                &self,
                attempt: &$krate::Attempt,
                outcome: &$krate::AttemptOutcome<'_>,
            ) {
                self.push(format!("after {attempt:?} {outcome:?}"));
            }
        }
    };
}

recording_hook!(security_client);
recording_hook!(zoom_clips_master);

/// How the API (and the token endpoint) answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    /// Nothing listens on the API's port.
    Transport,
    /// 401, every time (an OAuth client fetches one fresh token first).
    Unauthorized,
    /// 503, every time: retried until the attempts run out.
    Unavailable,
    /// 200 with a body of the wrong shape.
    Decode,
    /// Nothing listens on the token endpoint's port.
    TokenTransport,
    /// 302 to another origin, which answers 200.
    CrossOrigin,
    /// 302 to another path of the same origin, which answers 200.
    SameOrigin,
}

const SCENARIOS: [Scenario; 7] = [
    Scenario::Transport,
    Scenario::Unauthorized,
    Scenario::Unavailable,
    Scenario::Decode,
    Scenario::TokenTransport,
    Scenario::CrossOrigin,
    Scenario::SameOrigin,
];

/// One kind of credential.
struct Kind {
    name: &'static str,
    /// Strings that must appear nowhere but on the wire.
    secrets: Vec<String>,
    /// What the API's first request carries when the credential went out.
    on_the_wire: String,
    /// Whether the credential comes from a token endpoint.
    oauth: bool,
}

fn base64(text: &str) -> String {
    use std::fmt::Write as _;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let _ = write!(
                    out,
                    "{}",
                    char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize])
                );
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The full text of a request as the server saw it.
fn wire_text(requests: &[Recorded]) -> String {
    requests
        .iter()
        .map(|r| format!("{} {} {:?}", r.method, r.target, r.headers))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A port nothing listens on.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

/// The servers of one case.
struct Servers {
    /// Where the client's base URL points.
    api_url: String,
    api: Option<TestServer>,
    /// Another origin, the target of a cross-origin redirect.
    elsewhere: Option<TestServer>,
    token_url: String,
    token: Option<TestServer>,
}

/// `ok_body` is a body the operation decodes, `bad_body` one it cannot.
async fn servers(scenario: Scenario, ok_body: &'static str, bad_body: &'static str) -> Servers {
    let token = TestServer::start_with(|_, index| {
        Reply::json(
            200,
            &format!(
                r#"{{"access_token":"oauth-token-SECRET-{index}","token_type":"bearer","expires_in":3600}}"#
            ),
        )
    })
    .await;
    let elsewhere = TestServer::start(vec![Reply::json(200, ok_body)]).await;
    // `localhost` rather than `127.0.0.1`: another host, as a browser or reqwest sees it.
    let elsewhere_url = elsewhere.url.replace("127.0.0.1", "localhost");
    let api = match scenario {
        Scenario::Transport => None,
        Scenario::Unauthorized => Some(
            TestServer::start(vec![Reply::json(401, r#"{"message":"bad credentials"}"#)]).await,
        ),
        Scenario::Unavailable => Some(TestServer::start(vec![Reply::json(503, "{}")]).await),
        Scenario::Decode => Some(TestServer::start(vec![Reply::json(200, bad_body)]).await),
        Scenario::TokenTransport => Some(TestServer::start(vec![Reply::json(200, ok_body)]).await),
        Scenario::CrossOrigin => Some(
            TestServer::start(vec![
                Reply::json(302, "").header("location", &format!("{elsewhere_url}/landing"))
            ])
            .await,
        ),
        Scenario::SameOrigin => Some(
            TestServer::start_with(move |r, _| {
                if r.path().ends_with("/landing") {
                    Reply::json(200, ok_body)
                } else {
                    Reply::json(302, "").header("location", "/v2/landing")
                }
            })
            .await,
        ),
    };
    let api_url = match &api {
        Some(api) => format!("{}/v2", api.url),
        None => format!("{}/v2", closed_port().await),
    };
    let token_url = if scenario == Scenario::TokenTransport {
        format!("{}/oauth/token", closed_port().await)
    } else {
        format!("{}/oauth/token", token.url)
    };
    Servers {
        api_url,
        api,
        elsewhere: Some(elsewhere),
        token_url,
        token: Some(token),
    }
}

/// Checks one case: what the call returned (its `Display` and `Debug`), what the hooks saw and
/// what was traced hold no secret; the credential went where it should; the outcome is the one
/// the scenario calls for.
fn check(
    kind: &Kind,
    scenario: Scenario,
    servers: &Servers,
    outcome: Result<(), (String, String, Option<u16>)>,
    hooks: &str,
    traced: &str,
) {
    let case = format!("{} / {scenario:?}", kind.name);
    let shown = match &outcome {
        Ok(()) => String::new(),
        Err((display, debug, _)) => format!("{display}\n{debug}"),
    };
    for (what, text) in [
        ("the error", &shown),
        ("a hook", &hooks.to_string()),
        ("tracing", &traced.to_string()),
    ] {
        for secret in &kind.secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{case}: `{secret}` appears in {what}:\n{text}"
            );
        }
    }
    let api_requests = servers
        .api
        .as_ref()
        .map(TestServer::requests)
        .unwrap_or_default();
    let token_requests = servers
        .token
        .as_ref()
        .map(TestServer::requests)
        .unwrap_or_default();
    let elsewhere = servers
        .elsewhere
        .as_ref()
        .map(TestServer::requests)
        .unwrap_or_default();
    match scenario {
        Scenario::Transport => {
            let Err((display, _, status)) = &outcome else {
                panic!("{case}: succeeded");
            };
            assert!(display.contains("transport error"), "{case}: {display}");
            assert_eq!(*status, None, "{case}");
            assert!(
                traced.contains("retrying after a transport error"),
                "{case}: no retry traced:\n{traced}"
            );
        }
        Scenario::TokenTransport => {
            let Err((display, _, _)) = &outcome else {
                panic!("{case}: succeeded");
            };
            if kind.oauth {
                assert!(
                    display.contains("authentication failed"),
                    "{case}: {display}"
                );
                assert!(api_requests.is_empty(), "{case}: the API was called");
            }
        }
        Scenario::Unauthorized | Scenario::Unavailable => {
            let Err((display, _, status)) = &outcome else {
                panic!("{case}: succeeded");
            };
            let expected = if scenario == Scenario::Unauthorized {
                401
            } else {
                503
            };
            assert_eq!(*status, Some(expected), "{case}: {display}");
            let attempts = if scenario == Scenario::Unavailable {
                3
            } else if kind.oauth {
                2
            } else {
                1
            };
            assert_eq!(api_requests.len(), attempts, "{case}");
        }
        Scenario::Decode => {
            let Err((display, _, status)) = &outcome else {
                panic!("{case}: succeeded");
            };
            assert_eq!(*status, Some(200), "{case}: {display}");
            assert!(
                display.contains("does not match the spec"),
                "{case}: {display}"
            );
        }
        Scenario::CrossOrigin => {
            let Err((display, _, status)) = &outcome else {
                panic!("{case}: a redirect to another origin was followed");
            };
            assert_eq!(*status, Some(302), "{case}: {display}");
            assert!(display.contains("does not follow"), "{case}: {display}");
            assert!(
                elsewhere.is_empty(),
                "{case}: the other origin was called:\n{}",
                wire_text(&elsewhere)
            );
        }
        Scenario::SameOrigin => {
            assert!(outcome.is_ok(), "{case}: {outcome:?}");
            assert_eq!(api_requests.len(), 2, "{case}");
            assert!(api_requests[1].path().ends_with("/landing"), "{case}");
            assert_eq!(api_requests[1].header("referer"), None, "{case}");
        }
    }
    if !api_requests.is_empty() {
        let wire = wire_text(&api_requests[..1]);
        assert!(
            wire.contains(&kind.on_the_wire),
            "{case}: `{}` was not sent:\n{wire}",
            kind.on_the_wire
        );
    }
    if kind.oauth && scenario != Scenario::TokenTransport {
        assert!(!token_requests.is_empty(), "{case}: no token was fetched");
    }
}

/// Sets one kind of credential on a builder of the security test client.
type Credential = fn(security_client::ClientBuilder) -> security_client::ClientBuilder;

fn captured(capture: &Capture) -> String {
    capture
        .lines
        .lock()
        .map(|mut l| std::mem::take(&mut *l).join("\n"))
        .unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_errors_debug_output_hooks_or_tracing_for_any_scheme() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let security_kinds: Vec<(Kind, Credential)> = vec![
        (
            Kind {
                name: "bearer",
                secrets: vec!["bearer-SECRET-a1".into()],
                on_the_wire: "Bearer bearer-SECRET-a1".into(),
                oauth: false,
            },
            |b| b.bearer_auth("bearer-SECRET-a1"),
        ),
        (
            Kind {
                name: "basic",
                secrets: vec!["basic-SECRET-b2".into(), base64("someone:basic-SECRET-b2")],
                on_the_wire: format!("Basic {}", base64("someone:basic-SECRET-b2")),
                oauth: false,
            },
            |b| b.basic_auth("someone", "basic-SECRET-b2"),
        ),
        (
            Kind {
                name: "apiKey in a header",
                secrets: vec!["header-SECRET-c3".into()],
                on_the_wire: r#"("x-api-key", "header-SECRET-c3")"#.into(),
                oauth: false,
            },
            |b| b.header_key("header-SECRET-c3"),
        ),
        (
            Kind {
                name: "apiKey in the query",
                secrets: vec!["query-SECRET-d4".into()],
                on_the_wire: "api_key=query-SECRET-d4".into(),
                oauth: false,
            },
            |b| b.query_key("query-SECRET-d4"),
        ),
        (
            Kind {
                name: "apiKey in a cookie",
                secrets: vec!["cookie-SECRET-e5".into()],
                on_the_wire: r#"("cookie", "session=cookie-SECRET-e5")"#.into(),
                oauth: false,
            },
            |b| b.cookie_key("cookie-SECRET-e5"),
        ),
        (
            Kind {
                name: "OAuth client credentials",
                secrets: vec![
                    "client-SECRET-f6".into(),
                    base64("client-id-f6:client-SECRET-f6"),
                    "oauth-token-SECRET".into(),
                ],
                on_the_wire: "Bearer oauth-token-SECRET-".into(),
                oauth: true,
            },
            |b| b.oauth_client_credentials("client-id-f6", "client-SECRET-f6"),
        ),
    ];
    for (kind, credential) in &security_kinds {
        for scenario in SCENARIOS {
            if scenario == Scenario::TokenTransport && !kind.oauth {
                continue;
            }
            let servers = servers(scenario, r#"{"id":"u1"}"#, r#"{"id":5}"#).await;
            let hooks = Seen::default();
            let builder = credential(
                security_client::ClientBuilder::new()
                    .base_url(&servers.api_url)
                    .oauth_url(&servers.token_url)
                    .hook(hooks.clone())
                    .retry(security_client::RetryPolicy {
                        base_delay: Duration::from_millis(1),
                        ..security_client::RetryPolicy::default()
                    }),
            );
            let shown_builder = format!("{builder:?}");
            let client = builder.build().expect("client");
            let outcome = client.who_am_i().await.map(|_| ()).map_err(|e| {
                (
                    e.to_string(),
                    format!("{e:?} {client:?} {shown_builder}"),
                    e.status().map(|s| s.as_u16()),
                )
            });
            check(
                kind,
                scenario,
                &servers,
                outcome,
                &hooks.take(),
                &captured(&capture),
            );
        }
    }

    // Zoom's account-credentials grant, through the Zoom client.
    let zoom = Kind {
        name: "Zoom account credentials",
        secrets: vec![
            "zoom-SECRET-g7".into(),
            base64("zoom-client-id:zoom-SECRET-g7"),
            "oauth-token-SECRET".into(),
        ],
        on_the_wire: "Bearer oauth-token-SECRET-".into(),
        oauth: true,
    };
    for scenario in SCENARIOS {
        let servers = servers(scenario, r#"{"data":[]}"#, r#"{"data":5}"#).await;
        let hooks = Seen::default();
        let builder = zoom_clips_master::Client::server_to_server(
            "acct-1",
            "zoom-client-id",
            "zoom-SECRET-g7",
        )
        .base_url(&servers.api_url)
        .oauth_url(&servers.token_url)
        .hook(hooks.clone())
        .retry(zoom_clips_master::RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..zoom_clips_master::RetryPolicy::default()
        });
        let shown_builder = format!("{builder:?}");
        let client = builder.build().expect("client");
        let outcome = client.list_clips("acct-1").await.map(|_| ()).map_err(|e| {
            (
                e.to_string(),
                format!("{e:?} {client:?} {shown_builder}"),
                e.status().map(|s| s.as_u16()),
            )
        });
        check(
            &zoom,
            scenario,
            &servers,
            outcome,
            &hooks.take(),
            &captured(&capture),
        );
    }
}
