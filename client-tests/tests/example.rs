//! The `list_clips` example program run end to end against a local server: the contract of
//! arguments, environment, stdout (one JSON line per clip, nothing else) and exit status.

use client_tests::{token_server, Reply, TestServer};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Builds the example once and returns its path.
fn example_binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let out = Command::new(cargo)
                .args([
                    "build",
                    "--quiet",
                    "-p",
                    "zoom-clips-master",
                    "--example",
                    "list_clips",
                    "--message-format=json",
                ])
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "building the example failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter(|m| m["target"]["name"] == "list_clips")
                .find_map(|m| m["executable"].as_str().map(PathBuf::from))
                .expect("cargo reports the example's executable")
        })
        .clone()
}

async fn run(args: &[&str], env: &[(&str, String)]) -> Output {
    let binary = example_binary();
    let mut cmd = Command::new(binary);
    cmd.args(args);
    for var in [
        "ZOOM_ACCESS_TOKEN",
        "ZOOM_ACCOUNT_ID",
        "ZOOM_CLIENT_ID",
        "ZOOM_CLIENT_SECRET",
        "ZOOM_BASE_URL",
        "ZOOM_OAUTH_URL",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    tokio::task::spawn_blocking(move || cmd.output().expect("example runs"))
        .await
        .expect("join")
}

fn stdout_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}"))
        })
        .collect()
}

fn pages() -> Vec<Reply> {
    vec![
        Reply::json(
            200,
            &json!({"data": [
                {"clip_id": "c1", "title": "first", "status": "RECORD_SUCCESS", "file_size": 639229,
                 "share_link_settings": {"share_scope": "SAME_ORGANIZATON", "enable_passcode": false}},
                {"clip_id": "c2", "status": "BRAND_NEW_STATUS"}
            ], "next_page_token": "t2"})
            .to_string(),
        ),
        Reply::json(200, &json!({"data": [{"clip_id": "c3", "duration": 12.5}], "next_page_token": ""}).to_string()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_every_clip_across_pages_as_json_lines() {
    let server = TestServer::start(pages()).await;
    let out = run(
        &[
            "ACC-1",
            "--status",
            "RECORD_SUCCESS",
            "--user-id",
            "me",
            "--from",
            "2024-01-01T00:00:00Z",
            "--to",
            "2024-01-31T00:00:00Z",
            "--page-size",
            "30",
        ],
        &[
            ("ZOOM_ACCESS_TOKEN", "tok".into()),
            ("ZOOM_BASE_URL", format!("{}/v2", server.url)),
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines = stdout_lines(&out);
    assert_eq!(
        lines,
        [
            json!({"clip_id": "c1", "title": "first", "status": "RECORD_SUCCESS", "file_size": 639229,
                   "share_link_settings": {"share_scope": "SAME_ORGANIZATON", "enable_passcode": false}}),
            json!({"clip_id": "c2", "status": "BRAND_NEW_STATUS"}),
            json!({"clip_id": "c3", "duration": 12.5}),
        ]
    );
    assert!(stderr.contains("listed 3 clips in 2 pages"), "{stderr}");
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/v2/accounts/ACC-1/clips");
    assert_eq!(
        requests[1].query(),
        "user_id=me&from=2024-01-01T00%3A00%3A00Z&to=2024-01-31T00%3A00%3A00Z&status=RECORD_SUCCESS&page_size=30&next_page_token=t2"
    );
    assert_eq!(requests[0].header("authorization"), Some("Bearer tok"));
}

#[tokio::test(flavor = "multi_thread")]
async fn server_to_server_oauth_from_the_environment() {
    let server = TestServer::start(pages()).await;
    let oauth = token_server(3600, std::time::Duration::ZERO).await;
    let out = run(
        &["ACC-1"],
        &[
            ("ZOOM_ACCOUNT_ID", "acct".into()),
            ("ZOOM_CLIENT_ID", "id".into()),
            ("ZOOM_CLIENT_SECRET", "secret".into()),
            ("ZOOM_OAUTH_URL", format!("{}/oauth/token", oauth.url)),
            ("ZOOM_BASE_URL", server.url.clone()),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout_lines(&out).len(), 3);
    assert_eq!(oauth.requests().len(), 1);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok-0")));
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_go_to_stderr_with_a_failing_exit_status() {
    let server = TestServer::start(vec![Reply::json(
        401,
        r#"{"code":124,"message":"Invalid access token."}"#,
    )])
    .await;
    let env = [
        ("ZOOM_ACCESS_TOKEN", "tok".to_string()),
        ("ZOOM_BASE_URL", server.url.clone()),
    ];
    let out = run(&["ACC-1"], &env).await;
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("HTTP 401") && stderr.contains("Invalid access token."),
        "{stderr}"
    );

    // Bad arguments, a page size outside the spec's bounds and missing credentials.
    for (args, env, expected) in [
        (vec![], env.to_vec(), "ACCOUNT_ID is missing"),
        (
            vec!["A", "--page-size", "ten"],
            env.to_vec(),
            "--page-size must be a whole number",
        ),
        (
            vec!["A", "--page-size", "10"],
            env.to_vec(),
            "`page_size` must be at least 30, got 10",
        ),
        (
            vec!["A", "--colour", "red"],
            env.to_vec(),
            "unknown option `--colour`",
        ),
        (vec!["A"], vec![], "set ZOOM_ACCESS_TOKEN"),
    ] {
        let out = run(&args, &env).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(
        server.requests().len(),
        1,
        "only the first run reached the server"
    );
}
