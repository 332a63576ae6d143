//! `thresh serve`: "is this new?" over HTTP, against a persistent index.
//!
//! A thin shell over the library's index pipelines
//! ([`thresh::index::check_documents`], [`thresh::index::add_documents`],
//! [`thresh::index::stats`]):
//!
//! - `POST /v1/check` with `{"documents": [{"id", "text" or "html", "url"?,
//!   "date"?}, …]}` answers `{"results": [{"id", "new", "matches"}, …]}` in
//!   the request's order, without adding anything;
//! - `POST /v1/add`, the same body, checks and adds the documents in one
//!   commit and answers only once that commit is on disk;
//! - `GET /v1/stats` (the index's parameters and totals), `GET /metrics`
//!   (Prometheus text: requests, latencies, documents, the index's size),
//!   `GET /v1/openapi.json` (this API's OpenAPI description) and
//!   `GET /healthz`;
//! - `GET /`: a page for people, a text box to paste an article into and
//!   see its matches (one self-contained file, `page.html`, that calls
//!   `/v1/check`).
//!
//! With a token (`--token-file`), every route but `/healthz` and the page
//! (which holds no data; it asks for the token) wants
//! `Authorization: Bearer <token>` and answers 401 without it.
//!
//! Checks run at once, each on a snapshot of the index, while adds go to
//! the index's one writer, which commits the adds waiting together
//! (`writer`): a check never waits for a commit. A body larger than
//! [`Limits::max_body_bytes`] or a request of more than
//! [`Limits::max_documents`] documents is refused with 413, a body that
//! does not arrive within [`Limits::body_timeout`] with 408 (a slow or
//! stalled client holds no more than that; one whose headers do not arrive
//! within [`Limits::header_timeout`] is disconnected), a body that is not such JSON
//! with 400, each with `{"error": "…"}`; a document without
//! text gets its own `{"id", "error"}` result and the rest go on. The
//! server stops on SIGTERM or Ctrl-C after the requests it has begun, adds
//! included.

pub mod api;
mod connections;
mod metrics;
mod writer;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::{Body, Bytes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use thresh::records::QueryVerdict;
use thresh_engine::Document;
use thresh_index::Index;

use crate::api::{Answer, Prepared, Problem, Request, Verdict};
use crate::metrics::{IndexGauges, Metrics};
use crate::writer::Writer;

/// Caps on one request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_documents: usize,
    /// How long a request's body may take to arrive, all of it.
    pub body_timeout: Duration,
    /// How long a request line and its headers may take to arrive; the
    /// connection is closed after that (and an idle one after as long).
    pub header_timeout: Duration,
}

impl Default for Limits {
    /// 32 MiB and 10,000 documents: a large batch of news articles (about
    /// 5 KB of text each) fits, a runaway client does not. 30 seconds for
    /// the body: 32 MiB at about 1 MB/s, far longer than a client on a
    /// working network needs. 10 seconds for the headers, which are a few
    /// hundred bytes.
    fn default() -> Self {
        Limits {
            max_body_bytes: 32 << 20,
            max_documents: 10_000,
            body_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// What every request shares: the index, opened once for writing (checks
/// read it directly), its writer's queue, the counters and the token.
struct Service {
    index: Arc<Index>,
    writer: Writer,
    limits: Limits,
    metrics: Metrics,
    token: Option<String>,
}

/// The routes, as the metrics name them; any other path is "other", so
/// that a scan of made-up paths cannot grow the metrics without bound.
pub const ROUTES: [&str; 7] = [
    "/",
    "/healthz",
    "/metrics",
    "/v1/stats",
    "/v1/check",
    "/v1/add",
    "/v1/openapi.json",
];

/// The OpenAPI description of the routes, served at `/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The page served at `/`: paste an article, see its matches.
pub const PAGE: &str = include_str!("page.html");

/// The routes anyone may call, token or not: they hold no data.
const OPEN_ROUTES: [&str; 2] = ["/", "/healthz"];

/// The service's routes over `index` (opened for writing); with `token`,
/// every route but the open ones (`/`, `/healthz`) wants it as a bearer
/// token.
pub fn router(index: Index, limits: Limits, token: Option<String>) -> Result<Router> {
    let index = Arc::new(index);
    let writer = Writer::start(Arc::clone(&index)).context("cannot start the index's writer")?;
    let service = Arc::new(Service {
        index,
        writer,
        limits,
        metrics: Metrics::default(),
        token,
    });
    Ok(Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/v1/stats", get(stats))
        .route("/v1/check", post(check))
        .route("/v1/add", post(add))
        .route("/v1/openapi.json", get(openapi))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            body_in_time,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            guard_and_count,
        ))
        .with_state(service))
}

/// Refuses requests without the token (when there is one), and counts
/// every request with its status and time.
async fn guard_and_count(
    State(service): State<Arc<Service>>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let path = request.uri().path();
    let route = ROUTES.into_iter().find(|r| *r == path).unwrap_or("other");
    let response = if !OPEN_ROUTES.contains(&route) && !authorized(&service, &request) {
        failure(
            StatusCode::UNAUTHORIZED,
            "this server wants \"Authorization: Bearer <token>\"".into(),
        )
    } else {
        next.run(request).await
    };
    let status = response.status().as_u16();
    service.metrics.request(route, status, started.elapsed());
    response
}

/// Reads the request's whole body before the route sees it, refusing one
/// that does not arrive within [`Limits::body_timeout`] (408) or grows
/// past [`Limits::max_body_bytes`] (413): a client that sends slowly, or
/// stops halfway, costs the server one waiting task for a bounded time.
async fn body_in_time(
    State(service): State<Arc<Service>>,
    request: axum::extract::Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let limits = service.limits;
    match tokio::time::timeout(limits.body_timeout, read_body(body, limits.max_body_bytes)).await {
        Err(_) => failure(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request's body did not arrive within {} s",
                limits.body_timeout.as_secs_f64()
            ),
        ),
        Ok(Err(BodyFault::TooLarge)) => failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request's body is larger than {} bytes",
                limits.max_body_bytes
            ),
        ),
        Ok(Err(BodyFault::Broken(why))) => failure(
            StatusCode::BAD_REQUEST,
            format!("the request's body could not be read: {why}"),
        ),
        Ok(Ok(bytes)) => {
            next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

/// Why a body was not read.
enum BodyFault {
    TooLarge,
    Broken(String),
}

/// The body's bytes, up to `max` of them.
async fn read_body(mut body: Body, max: usize) -> Result<Bytes, BodyFault> {
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|error| BodyFault::Broken(error.to_string()))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max {
                return Err(BodyFault::TooLarge);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(bytes))
}

/// Whether the request carries the server's token (always, without one).
fn authorized(service: &Service, request: &axum::extract::Request) -> bool {
    let Some(token) = &service.token else {
        return true;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    given.is_some_and(|given| same_secret(given.as_bytes(), token.as_bytes()))
}

/// Equality whose time does not depend on where two strings first differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Opens the index in `index_dir` for writing and serves it on `addr`
/// until SIGTERM or Ctrl-C; returns once the requests begun have ended.
pub fn serve(
    index_dir: &Path,
    addr: SocketAddr,
    limits: Limits,
    token: Option<String>,
) -> Result<()> {
    let index = Index::open(index_dir)
        .with_context(|| format!("cannot open the index in {}", index_dir.display()))?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        // The address bound, port 0 resolved: what clients (and tests) use.
        let bound = listener
            .local_addr()
            .context("cannot read the bound address")?;
        eprintln!("thresh: serving {} on http://{bound}", index_dir.display());
        let router = router(index, limits, token)?;
        connections::serve(listener, router, limits.header_timeout, stop_signal()).await;
        Ok(())
    })
}

/// SIGTERM (how services are stopped) or Ctrl-C.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

async fn page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn metrics_text(State(service): State<Arc<Service>>) -> Response {
    let reader = Arc::clone(&service);
    let gauges = tokio::task::spawn_blocking(move || {
        let counts = reader.index.counts().ok()?;
        Some(IndexGauges {
            documents: counts.documents,
            bytes: reader.index.bytes_on_disk(),
        })
    })
    .await
    .ok()
    .flatten();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        service.metrics.render(gauges),
    )
        .into_response()
}

async fn stats(State(service): State<Arc<Service>>) -> Response {
    let answer = tokio::task::spawn_blocking(move || thresh::index::stats(&service.index)).await;
    match answer {
        Ok(Ok(stats)) => Json(stats).into_response(),
        Ok(Err(error)) => failure(StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}")),
        Err(error) => failure(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

async fn check(
    State(service): State<Arc<Service>>,
    body: Result<Json<Request>, JsonRejection>,
) -> Response {
    answer(service, body, false).await
}

async fn add(
    State(service): State<Arc<Service>>,
    body: Result<Json<Request>, JsonRejection>,
) -> Response {
    answer(service, body, true).await
}

/// Checks (and with `adding`, adds) a request's documents.
async fn answer(
    service: Arc<Service>,
    body: Result<Json<Request>, JsonRejection>,
    adding: bool,
) -> Response {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => return failure(rejection_status(&rejection), rejection.body_text()),
    };
    let max = service.limits.max_documents;
    if request.documents.len() > max {
        let count = request.documents.len();
        return failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{count} documents in one request; at most {max} are taken"),
        );
    }
    // Extraction and matching take CPU for a while: off the async threads,
    // on the pool the index's own parallel steps use.
    let work = async move {
        let (places, verdicts) = if adding {
            let (documents, places) = on_the_cpu_pool(move || split(request)).await??;
            (places, service.writer.add(documents).await)
        } else {
            let reader = Arc::clone(&service);
            on_the_cpu_pool(move || {
                let (documents, places) = split(request)?;
                let verdicts = thresh::index::check_documents(&reader.index, &documents)
                    .map_err(|error| format!("{error:#}"));
                Ok::<_, Refusal>((places, verdicts))
            })
            .await??
        };
        let verdicts = verdicts.map_err(Refusal::Index)?;
        let counter = if adding {
            &service.metrics.documents_added
        } else {
            &service.metrics.documents_checked
        };
        Metrics::count(counter, verdicts.len());
        in_request_order(places, verdicts)
    };
    match work.await {
        Ok(results) => Json(Answer { results }).into_response(),
        Err(Refusal::Request(why)) => failure(StatusCode::BAD_REQUEST, why),
        Err(Refusal::Index(why)) => failure(StatusCode::INTERNAL_SERVER_ERROR, why),
    }
}

/// Runs `work` on rayon's pool and waits for it without blocking an async
/// thread. A check's own parallel steps (fingerprints, probes) then run on
/// the thread that took it instead of being handed from a blocking thread
/// to the pool and back, and at most one check per core runs at a time, in
/// the order they came: under many connections the latency of each stays
/// even rather than every check slowing down together. A panic in `work`
/// becomes an error (rayon would abort the process).
async fn on_the_cpu_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Refusal> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        let _ = answer.send(outcome);
    });
    match answered.await {
        Ok(Ok(value)) => Ok(value),
        _ => Err(Refusal::Index(
            "the request's work failed unexpectedly".into(),
        )),
    }
}

/// A request's documents with text (for the index), and for each place of
/// the request either `None` (its document is among them) or its result.
fn split(request: Request) -> Result<(Vec<Document>, Vec<Option<Verdict>>), Refusal> {
    let prepared = api::prepare(request).map_err(Refusal::Request)?;
    let mut documents = Vec::new();
    let mut places = Vec::new();
    for document in prepared {
        match document {
            Prepared::Ready(doc) => {
                documents.push(doc);
                places.push(None);
            }
            Prepared::NoText(id, error) => places.push(Some(Verdict::Unreadable { id, error })),
        }
    }
    Ok((documents, places))
}

/// One result per place of the request: the index's verdicts, in order,
/// where the request had a document with text, and the others' results.
fn in_request_order(
    places: Vec<Option<Verdict>>,
    verdicts: Vec<QueryVerdict>,
) -> Result<Vec<Verdict>, Refusal> {
    let expected = places.iter().filter(|place| place.is_none()).count();
    if verdicts.len() != expected {
        let got = verdicts.len();
        return Err(Refusal::Index(format!(
            "the index gave {got} verdicts for {expected} documents"
        )));
    }
    let mut verdicts = verdicts.into_iter().map(Verdict::from);
    Ok(places
        .into_iter()
        .filter_map(|place| place.or_else(|| verdicts.next()))
        .collect())
}

/// Why a request got no verdicts.
enum Refusal {
    /// The request's fault: a document without text, say.
    Request(String),
    /// The index failed to answer.
    Index(String),
}

/// A body that is not the request's JSON (bad syntax, a wrong type, a
/// missing field) is a 400; too large stays 413, and a body not declared
/// as JSON 415.
fn rejection_status(rejection: &JsonRejection) -> StatusCode {
    match rejection.status() {
        StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
        status => status,
    }
}

fn failure(status: StatusCode, error: String) -> Response {
    (status, Json(Problem { error })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_on_the_cpu_pool_answers_and_a_panic_is_an_error() {
        let answer = on_the_cpu_pool(|| 6 * 7).await;
        assert!(matches!(answer, Ok(42)));
        let panicked = on_the_cpu_pool(|| -> u32 { panic!("a bug in a check") }).await;
        assert!(matches!(panicked, Err(Refusal::Index(_))));
        // The pool is still there for the next request.
        assert!(matches!(on_the_cpu_pool(|| 1).await, Ok(1)));
    }
}
