//! The generated crate's typed mocks (feature `mock`): a test of code that calls the client
//! sets up `httpmock` through the operation's own typed `When` and `Then`.

use httpmock::MockServer;
use zoom_clips_master::mock::MockServerExt;
use zoom_clips_master::types::{Clip, ClipStatus, ListClipsResponse};
use zoom_clips_master::{Client, Error, RetryPolicy};

fn client(server: &MockServer) -> Client {
    Client::builder("TOKEN")
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .expect("client")
}

fn page() -> ListClipsResponse {
    // The generated structs are `#[non_exhaustive]`: made with `Default` and assignments, so a
    // field the spec adds is a compatible change.
    let mut clip = Clip::default();
    clip.title = Some("Standup".into());
    let mut page = ListClipsResponse::default();
    page.data = Some(vec![clip]);
    page.total_records = Some(1.0);
    page
}

#[tokio::test]
async fn the_client_gets_the_typed_answer_of_a_matching_request() {
    let server = MockServer::start_async().await;
    let page = page();
    let mock = server.list_clips(|when, then| {
        when.account_id("ACC")
            .page_size(50)
            .status(ClipStatus::RecordSuccess);
        then.ok(&page);
    });
    let got = client(&server)
        .list_clips("ACC")
        .page_size(50)
        .status(ClipStatus::RecordSuccess)
        .await
        .expect("the mock answers");
    assert_eq!(got, page);
    mock.assert_async().await;
}

#[tokio::test]
async fn a_request_with_other_parameters_does_not_match() {
    let server = MockServer::start_async().await;
    let page = page();
    let mock = server.list_clips(|when, then| {
        when.account_id("ACC").page_size(50);
        then.ok(&page);
    });
    // Another account, and the right account without the page size: neither matches.
    let other = client(&server).list_clips("OTHER").page_size(50).await;
    assert!(other.is_err(), "{other:?}");
    let no_size = client(&server).list_clips("ACC").await;
    assert!(no_size.is_err(), "{no_size:?}");
    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn a_path_value_is_matched_as_the_client_encodes_it() {
    let server = MockServer::start_async().await;
    let page = page();
    let mock = server.list_clips(|when, then| {
        when.account_id("a/b c");
        then.ok(&page);
    });
    let got = client(&server).list_clips("a/b c").await.expect("matches");
    assert_eq!(got, page);
    mock.assert_async().await;
}

#[tokio::test]
async fn a_documented_error_status_reaches_the_client_as_an_api_error() {
    let server = MockServer::start_async().await;
    server.list_clips(|when, then| {
        when.account_id("ACC");
        then.unauthorized();
    });
    let err = client(&server).list_clips("ACC").await.expect_err("401");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 401);
}
