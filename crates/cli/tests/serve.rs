//! `thresh serve` as a process on a real socket: an add that was answered
//! survives the server being killed, SIGTERM stops it cleanly, and slow
//! clients are cut off.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{create_index, one, post, start, start_with};

#[test]
fn an_answered_add_survives_a_killed_server() {
    let dir = tempfile::tempdir().unwrap();
    let index = create_index(dir.path());

    let (mut server, addr) = start(&index);
    let (status, body) = post(&addr, "/v1/add", &one("wire-1"));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"new\":true"), "{body}");
    server.kill().unwrap(); // SIGKILL: no chance to flush anything more
    server.wait().unwrap();

    let (mut server, addr) = start(&index);
    let (status, body) = post(&addr, "/v1/check", &one("local-7"));
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("\"new\":false") && body.contains("\"wire-1\""),
        "{body}"
    );

    // SIGTERM: a clean stop, exit status 0.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(server.wait().unwrap().success());
}

#[test]
fn a_stalled_client_gets_408_while_others_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let index = create_index(dir.path());
    let (mut server, addr) = start_with(&index, &["--body-timeout-secs", "1"]);
    // Promises 100 bytes of body, sends 14, then waits.
    let mut stalled = TcpStream::connect(&addr).unwrap();
    write!(
        stalled,
        "POST /v1/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"documents\": ["
    )
    .unwrap();
    let began = Instant::now();
    // Meanwhile the server answers others.
    let (status, body) = post(&addr, "/v1/check", &one("other"));
    assert_eq!(status, 200, "{body}");
    stalled
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = String::new();
    let _ = stalled.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(answer.contains("did not arrive"), "{answer}");
    assert!(began.elapsed() < Duration::from_secs(15));
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_client_whose_headers_never_end_is_disconnected() {
    let dir = tempfile::tempdir().unwrap();
    let index = create_index(dir.path());
    let (mut server, addr) = start_with(&index, &["--header-timeout-secs", "1"]);
    // A request line and one header, then nothing (slowloris).
    let mut slow = TcpStream::connect(&addr).unwrap();
    write!(slow, "POST /v1/check HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
    let began = Instant::now();
    let (status, body) = post(&addr, "/v1/check", &one("other"));
    assert_eq!(status, 200, "{body}");
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut answer = Vec::new();
    let closed = slow.read_to_end(&mut answer);
    assert!(closed.is_ok(), "not closed by the server: {closed:?}");
    assert!(began.elapsed() < Duration::from_secs(15));
    // The server is still up.
    let (status, _) = post(&addr, "/v1/check", &one("after"));
    assert_eq!(status, 200);
    server.kill().unwrap();
    server.wait().unwrap();
}
