//! Server variables and several servers (`specs/servers.json`): the builder's `server` and
//! variable methods decide where requests go, on the wire.

use client_tests::{Reply, TestServer};
use servers_client::servers::{BasePath, Server};
use servers_client::{Client, DEFAULT_BASE_URL};

fn port(server: &TestServer) -> String {
    server.url.rsplit(':').next().expect("a port").to_string()
}

async fn ping(client: &Client, server: &TestServer) -> String {
    client.ping().await.expect("pong");
    server
        .requests()
        .last()
        .expect("a request")
        .path()
        .to_string()
}

#[tokio::test]
async fn the_default_is_the_first_server_with_its_defaults() {
    assert_eq!(DEFAULT_BASE_URL, Some("http://127.0.0.1:8080/v1"));
    let server = TestServer::start(vec![Reply::json(200, r#"{"ok":true}"#)]).await;
    // Only the port is set: the first server, with `basePath`'s default.
    let client = Client::builder()
        .port(port(&server))
        .build()
        .expect("client");
    assert_eq!(ping(&client, &server).await, "/v1/ping");
}

#[tokio::test]
async fn an_enum_variable_and_another_server() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"ok":true}"#)]).await;
    let client = Client::builder()
        .port(port(&server))
        .base_path(BasePath::V2)
        .build()
        .expect("client");
    assert_eq!(ping(&client, &server).await, "/v2/ping");

    // The sandbox server, on `localhost`, keeps the port set before it was chosen and takes its
    // own `basePath` default.
    let sandbox = Client::builder()
        .port(port(&server))
        .server(Server::Sandbox)
        .build()
        .expect("client");
    assert_eq!(ping(&sandbox, &server).await, "/sandbox/v2/ping");
}

#[tokio::test]
async fn base_url_called_last_wins() {
    let server = TestServer::start(vec![Reply::json(200, r#"{"ok":true}"#)]).await;
    let client = Client::builder()
        .server(Server::Sandbox)
        .base_path(BasePath::V1)
        .base_url(format!("{}/custom", server.url))
        .build()
        .expect("client");
    assert_eq!(ping(&client, &server).await, "/custom/ping");
}
