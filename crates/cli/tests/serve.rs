//! `thresh serve` as a process on a real socket: an add that was answered
//! survives the server being killed, and SIGTERM stops it cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const STORY: &str = "The harbour authority closed the northern pier on Monday after the \
    overnight storm damaged its timber decking, and ferries to the islands were moved to \
    the southern berth until engineers have inspected the supports.";

/// Starts `thresh serve` on a free loopback port; returns it and its address.
fn start(index: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["serve", index.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, addr)
}

/// One HTTP/1.1 request; the status code and the body.
fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

fn one(id: &str) -> String {
    serde_json::json!({ "documents": [{ "id": id, "text": STORY }] }).to_string()
}

#[test]
fn an_answered_add_survives_a_killed_server() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let created = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["index", "create", index.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(created.success());

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
