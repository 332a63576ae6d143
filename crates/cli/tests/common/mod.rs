// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

//! What the tests of `thresh serve` as a process share: starting it on a
//! free port and talking HTTP/1.1 to it over a plain socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A news story the tests add and check.
pub const STORY: &str = "The harbour authority closed the northern pier on Monday after the \
    overnight storm damaged its timber decking, and ferries to the islands were moved to \
    the southern berth until engineers have inspected the supports.";

/// A new, empty index under `dir` (made by `thresh index create`).
pub fn create_index(dir: &Path) -> PathBuf {
    let index = dir.join("index");
    let created = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["index", "create", index.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(created.success());
    index
}

/// Starts `thresh serve` on a free loopback port; returns it and its address.
pub fn start(index: &Path) -> (Child, String) {
    start_with(index, &[])
}

/// [`start`] with more flags.
pub fn start_with(index: &Path, flags: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["serve", index.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .args(flags)
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
pub fn post(addr: &str, path: &str, body: &str) -> (u16, String) {
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

/// A request body of one document with the story's text.
pub fn one(id: &str) -> String {
    serde_json::json!({ "documents": [{ "id": id, "text": STORY }] }).to_string()
}
