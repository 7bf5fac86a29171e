//! A cluster that cannot be used is named for what it is: nothing listening, a host that does
//! not resolve, or a server that does not speak Solana JSON-RPC, each with what to check.
use std::io::{Read, Write};
use std::net::TcpListener;

use anchor_lang::prelude::Pubkey;
use stakepool_client::transport::{Rpc, Transport};

/// A local HTTP server that answers every request with `response`, forever.
fn serving(response: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    url
}

async fn reading(url: &str) -> String {
    let error = Rpc::new(url)
        .account(&Pubkey::new_unique())
        .await
        .expect_err("the endpoint cannot answer");
    error.to_string()
}

#[tokio::test]
async fn nothing_listening_is_a_refused_connection() {
    let message = reading("http://127.0.0.1:1").await;
    assert!(
        message.starts_with(
            "could not reach http://127.0.0.1:1: connection refused: is a validator running there?"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_web_server_that_is_not_rpc_is_named() {
    let not_found = serving(
        "HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nconnection: close\r\n\r\nnot found",
    );
    let message = reading(&not_found).await;
    assert!(
        message.contains("not a Solana JSON-RPC endpoint"),
        "{message}"
    );
    let html = serving("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 13\r\nconnection: close\r\n\r\n<html></html>");
    let message = reading(&html).await;
    assert!(message.contains("not Solana JSON-RPC"), "{message}");
}

#[tokio::test]
async fn a_host_that_does_not_resolve_is_unknown() {
    // `.invalid` never resolves (RFC 2606).
    let message = reading("http://no-such-cluster.invalid:8899").await;
    assert!(message.contains("unknown host: check --url"), "{message}");
}
