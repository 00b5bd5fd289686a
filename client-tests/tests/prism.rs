//! Contract test against Prism (npm `@stoplight/prism-cli`) mocking `specs/master.json` with
//! request validation on (`--errors`: any violation is an error response). Every request the
//! client sends must pass Prism's validation, and the client must decode Prism's responses, both
//! the spec's examples (static mode) and generated data (dynamic mode).
//!
//! Prism is installed into `target/prism` on first use, with `npm ci` from
//! `tools/contract/prism/package-lock.json`. If it cannot be installed the
//! test fails and says why; it never passes without having run.

use futures_util::StreamExt;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zoom_clips_master::types::{ClipStatus, DateFilterType, ListClipsResponse};
use zoom_clips_master::{Client, Error, RetryPolicy};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Prism executable: `$PRISM` if set, else `target/prism`, installed there from the
/// committed lock file if missing (the same install `cargo xtask contract` uses).
fn prism() -> PathBuf {
    static PRISM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PRISM.get_or_init(|| contract::prism(&workspace())) {
        Ok(path) => path.clone(),
        Err(why) => panic!("Prism is required for this test and could not be installed: {why}"),
    }
}

/// A running `prism mock`, killed on drop.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(dynamic: bool) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let spec = workspace().join("specs/master.json");
        let mut cmd = Command::new(prism());
        cmd.arg("mock").arg(&spec).args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
        ]);
        if dynamic {
            cmd.arg("--dynamic");
        }
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prism starts");
        let prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Prism did not start listening within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }

    fn client(&self) -> Client {
        // The spec's server has no `/v2`, and Prism serves the spec's paths as they are.
        Client::builder("prism-token")
            .base_url(&self.url)
            .retry(RetryPolicy::none())
            .build()
            .expect("client")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every combination of parameters the client can send, each of which Prism must accept.
fn valid_requests(client: &Client) -> Vec<zoom_clips_master::ListClipsRequest> {
    let base = || client.list_clips("TQTvjT52Tmi_wrhASNNOEw");
    vec![
        base(),
        base()
            .user_id("me")
            .search_key("Clip-20250303")
            .date_filter_type(DateFilterType::CreatedDate)
            .from("2024-03-08T16:00:00Z")
            .to("2024-03-09T16:00:00Z")
            .status(ClipStatus::RecordSuccess)
            .page_size(30)
            .next_page_token("IAfJX3jsOLW7w3dokmFl84zOa0MAVGyMEB2"),
        base().page_size(300).status(ClipStatus::Suspended),
        base()
            .date_filter_type(DateFilterType::ModifiedDate)
            .user_id("someone@example.com"),
        client.list_clips("an id/with ?odd #chars and ü"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_pass_prism_validation_and_static_examples_decode() {
    let prism = Prism::start(false);
    let client = prism.client();
    for request in valid_requests(&client) {
        let response = request
            .send_with_meta()
            .await
            .unwrap_or_else(|e| panic!("Prism rejected a request: {e}"));
        assert!(
            response.meta.headers.get("sl-violations").is_none(),
            "{:?}",
            response.meta.headers
        );
        let clip = &response.body.data.as_ref().expect("data")[0];
        assert_eq!(
            clip.clip_id.as_deref(),
            Some("A2RldhYyU08zeDNIeFJJVzBOcHFRVlZQWXlRAQ")
        );
        assert_eq!(clip.file_size, Some(639_229));
    }
    // Validation really is on: a value outside the spec's enum is refused by Prism.
    let err = client
        .list_clips("acc")
        .status(ClipStatus::Unknown("NOT_A_STATUS".into()))
        .await
        .expect_err("Prism refuses it");
    assert!(
        matches!(&err, Error::Api(e) if e.status.as_u16() == 400),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamically_generated_responses_decode() {
    let prism = Prism::start(true);
    let client = prism.client();
    for _ in 0..10 {
        for request in valid_requests(&client) {
            let response = request.await.unwrap_or_else(|e| panic!("{e}"));
            for clip in response.data.unwrap_or_default() {
                // Generated data stays within the spec, so every enum value is a known one.
                assert!(
                    !matches!(clip.status, Some(ClipStatus::Unknown(_))),
                    "{clip:?}"
                );
            }
        }
    }
    // Prism generates `next_page_token` at random: usually a fresh token (so only the first
    // pages are read), sometimes absent or empty, since the field is optional. The stream must
    // go on exactly while the last page carried a non-empty token.
    for _ in 0..10 {
        let pages: Vec<_> = client.list_clips("acc").pages().take(3).collect().await;
        let pages: Vec<_> = pages
            .into_iter()
            .map(|page| page.unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let has_next = |page: &ListClipsResponse| {
            page.next_page_token
                .as_deref()
                .is_some_and(|t| !t.is_empty())
        };
        let (last, before) = pages.split_last().expect("at least one page");
        assert!(before.iter().all(has_next), "{pages:?}");
        if pages.len() < 3 {
            assert!(!has_next(last), "stream ended early: {pages:?}");
        }
    }
}
