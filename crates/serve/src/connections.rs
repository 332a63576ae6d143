//! Accepting connections and serving HTTP/1 on each, with the limits that
//! come before a request exists: how long a client may take to send its
//! request line and headers, and a graceful stop.
//!
//! axum's own `serve` sets no timer, so hyper's header read timeout never
//! fires there: a client that opens a connection and sends its headers a
//! byte at a time (slowloris) would hold it for ever. This loop is that
//! `serve` with the timer and the timeout set.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Serves `router` on every connection `listener` accepts until `stop`
/// completes, then waits for the requests begun to end. A connection whose
/// request line and headers do not all arrive within `header_timeout` is
/// closed (an idle keep-alive connection too, after that long).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    stop: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    wait_after_accept_error(&error).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = TowerToHyperService::new(
            router
                .clone()
                .map_request(|request: hyper::Request<Incoming>| request.map(Body::new)),
        );
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection's errors (a client gone, a header timeout) are
            // its own; the server goes on.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After a failed accept: go on at once when only that connection failed;
/// otherwise (out of file descriptors, most likely) wait a second for
/// connections to close rather than spin.
async fn wait_after_accept_error(error: &io::Error) {
    let one_connection = matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    if !one_connection {
        eprintln!("thresh: cannot accept a connection: {error}");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
