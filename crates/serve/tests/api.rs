//! The service's routes, called in process (no socket): verdicts in the
//! terms of `thresh index query`, adds that later checks see, and clear
//! 4xx answers to bad requests.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use thresh_engine::dedup::MatchConfig;
use thresh_index::Index;
use thresh_serve::{router, Limits, ROUTES};
use tower::ServiceExt;

const STORY: &str = "The harbour authority closed the northern pier on Monday after the \
    overnight storm damaged its timber decking, and ferries to the islands were moved to \
    the southern berth until engineers have inspected the supports.";

fn service(limits: Limits) -> (tempfile::TempDir, Router) {
    guarded(limits, None)
}

fn guarded(limits: Limits, token: Option<&str>) -> (tempfile::TempDir, Router) {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::create(&dir.path().join("index"), &MatchConfig::default()).unwrap();
    (
        dir,
        router(index, limits, token.map(str::to_string)).unwrap(),
    )
}

async fn call(app: &Router, method: &str, path: &str, body: &str) -> (StatusCode, Value) {
    let (status, text) = send(app, method, path, body, None).await;
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

async fn send(
    app: &Router,
    method: &str,
    path: &str,
    body: &str,
    token: Option<&str>,
) -> (StatusCode, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(Body::from(body.to_string())).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn documents(docs: Value) -> String {
    json!({ "documents": docs }).to_string()
}

#[tokio::test]
async fn checks_see_what_was_added_and_add_nothing_themselves() {
    let (_dir, app) = service(Limits::default());
    let story = json!([{ "id": "wire-1", "text": STORY, "date": "2026-12-01" }]);
    let (status, answer) = call(&app, "POST", "/v1/check", &documents(story.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        answer,
        json!({ "results": [{ "id": "wire-1", "new": true, "matches": [] }] })
    );
    // A check adds nothing: the same story is still new.
    let (_, again) = call(&app, "POST", "/v1/check", &documents(story.clone())).await;
    assert_eq!(again["results"][0]["new"], true);

    let (status, added) = call(&app, "POST", "/v1/add", &documents(story)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(added["results"][0]["new"], true);

    let reprint = STORY.replace("Monday", "Monday morning");
    let copies = json!([
        { "id": "local-7", "text": STORY },
        { "id": "local-8", "text": reprint },
        { "id": "other", "text": "An unrelated note about the school concert on Friday evening." },
    ]);
    let (status, answer) = call(&app, "POST", "/v1/check", &documents(copies)).await;
    assert_eq!(status, StatusCode::OK);
    let results = answer["results"].as_array().unwrap();
    let ids: Vec<&str> = results.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["local-7", "local-8", "other"], "input order");
    assert_eq!(results[0]["new"], false);
    assert_eq!(results[0]["matches"][0]["id"], "wire-1");
    assert_eq!(results[0]["matches"][0]["kind"], "exact");
    assert_eq!(results[0]["matches"][0]["date"], "2026-12-01");
    assert_eq!(results[1]["new"], false);
    assert_eq!(results[1]["matches"][0]["kind"], "near");
    assert!(results[1]["matches"][0]["similarity"].as_f64().unwrap() < 1.0);
    assert_eq!(
        results[2],
        json!({ "id": "other", "new": true, "matches": [] })
    );

    let (status, stats) = call(&app, "GET", "/v1/stats", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stats["documents"], 1);
}

#[tokio::test]
async fn documents_without_text_are_answered_alone_and_not_added() {
    let (_dir, app) = service(Limits::default());
    let body = documents(json!([
        { "id": "blank", "text": "  " },
        { "id": "story", "text": STORY },
        { "id": "empty-page", "html": "<html><body><nav><a href=/>Home</a></nav></body></html>" },
    ]));
    let (status, answer) = call(&app, "POST", "/v1/add", &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer,
        json!({ "results": [
            { "id": "blank", "error": "blank text" },
            { "id": "story", "new": true, "matches": [] },
            { "id": "empty-page", "error": "no article text in the page" },
        ] })
    );
    assert_eq!(call(&app, "GET", "/v1/stats", "").await.1["documents"], 1);
}

#[tokio::test]
async fn pages_are_read_as_thresh_extract_reads_them() {
    let (_dir, app) = service(Limits::default());
    let page = format!(
        "<html><body><nav><a href=/>Home</a></nav><article><p>{STORY}</p></article></body></html>"
    );
    let add = documents(json!([{ "id": "page", "html": page, "url": "https://example.org/a" }]));
    assert_eq!(call(&app, "POST", "/v1/add", &add).await.0, StatusCode::OK);
    let text = documents(json!([{ "id": "text", "text": STORY }]));
    let (_, answer) = call(&app, "POST", "/v1/check", &text).await;
    assert_eq!(answer["results"][0]["matches"][0]["id"], "page");
}

#[tokio::test]
async fn bad_requests_get_clear_answers() {
    let limits = Limits {
        max_body_bytes: 4096,
        max_documents: 2,
        ..Limits::default()
    };
    let (_dir, app) = service(limits);
    let cases = [
        ("{\"documents\": [", StatusCode::BAD_REQUEST, "EOF"),
        ("{\"documents\": 3}", StatusCode::BAD_REQUEST, "documents"),
        (
            "{\"documents\": [{\"text\": \"x\"}]}",
            StatusCode::BAD_REQUEST,
            "missing field `id`",
        ),
        (
            "{\"documents\": [{\"id\": \"a\"}]}",
            StatusCode::BAD_REQUEST,
            "documents[0]: has neither",
        ),
        (
            "{\"documents\": [{\"id\": \"a\", \"text\": \"x\", \"html\": \"<p>x</p>\"}]}",
            StatusCode::BAD_REQUEST,
            "not both",
        ),
        (
            "{\"documents\": [{\"id\": \"a\", \"text\": null, \"html\": \"<p>x</p>\"}]}",
            StatusCode::BAD_REQUEST,
            "invalid type: null, expected a string",
        ),
    ];
    for (body, status, says) in cases {
        let (got, answer) = call(&app, "POST", "/v1/check", body).await;
        assert_eq!(got, status, "{body}: {answer}");
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(says), "{body}: {error}");
    }
    let three = documents(json!([
        { "id": "a", "text": "one" }, { "id": "b", "text": "two" }, { "id": "c", "text": "three" }
    ]));
    let (status, answer) = call(&app, "POST", "/v1/add", &three).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["error"].as_str().unwrap().contains("at most 2"));
    let huge = documents(json!([{ "id": "a", "text": "word ".repeat(2000) }]));
    let (status, _) = call(&app, "POST", "/v1/check", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // Nothing above reached the index, and the service still answers.
    let (status, stats) = call(&app, "GET", "/v1/stats", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stats["documents"], 0);
    assert_eq!(call(&app, "GET", "/healthz", "").await.1["status"], "ok");
}

#[tokio::test]
async fn a_token_guards_every_route_but_health() {
    let (_dir, app) = guarded(Limits::default(), Some("s3cret"));
    let body = documents(json!([{ "id": "a", "text": STORY }]));
    for token in [None, Some("wrong"), Some("s3cre")] {
        let (status, text) = send(&app, "POST", "/v1/check", &body, token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}: {text}");
        assert!(text.contains("Bearer"), "{text}");
    }
    let (status, _) = send(&app, "POST", "/v1/check", &body, Some("s3cret")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        send(&app, "GET", "/metrics", "", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, "GET", "/healthz", "", None).await.0,
        StatusCode::OK
    );
    // The page holds no data and asks for the token itself.
    assert_eq!(send(&app, "GET", "/", "", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_page_checks_through_the_api_and_loads_nothing_from_elsewhere() {
    let (_dir, app) = service(Limits::default());
    let request = Request::builder().uri("/").body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let page = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(page.contains("<textarea"), "no text box");
    assert!(
        page.contains("fetch('v1/check'"),
        "the page does not call the API"
    );
    for outside in ["src=", "<link", "http://", "https://", "@import"] {
        assert!(!page.contains(outside), "{outside} in the page");
    }
}

/// A body that sends its first bytes and then nothing, ever: a stalled
/// client.
struct Stalled {
    sent: bool,
}

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.sent {
            return std::task::Poll::Pending;
        }
        self.sent = true;
        let start = axum::body::Bytes::from_static(b"{\"documents\": [");
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(start))))
    }
}

#[tokio::test]
async fn a_stalled_body_gets_408_and_the_service_goes_on() {
    let limits = Limits {
        body_timeout: std::time::Duration::from_millis(200),
        ..Limits::default()
    };
    let (_dir, app) = service(limits);
    let request = Request::builder()
        .method("POST")
        .uri("/v1/check")
        .header("content-type", "application/json")
        .body(Body::new(Stalled { sent: false }))
        .unwrap();
    let response = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        app.clone().oneshot(request),
    )
    .await
    .expect("a stalled body is given up on")
    .unwrap();
    assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let answer: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(answer["error"].as_str().unwrap().contains("did not arrive"));
    let story = documents(json!([{ "id": "a", "text": STORY }]));
    assert_eq!(
        call(&app, "POST", "/v1/check", &story).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn metrics_count_requests_and_documents() {
    let (_dir, app) = service(Limits::default());
    let two =
        documents(json!([{ "id": "a", "text": STORY }, { "id": "b", "text": "Other news." }]));
    call(&app, "POST", "/v1/add", &two).await;
    call(&app, "POST", "/v1/check", &two).await;
    call(&app, "POST", "/v1/check", "{").await;
    send(&app, "GET", "/no/such/path", "", None).await;
    let (status, text) = send(&app, "GET", "/metrics", "", None).await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        "thresh_requests_total{route=\"/v1/add\",status=\"200\"} 1",
        "thresh_requests_total{route=\"/v1/check\",status=\"200\"} 1",
        "thresh_requests_total{route=\"/v1/check\",status=\"400\"} 1",
        "thresh_requests_total{route=\"other\",status=\"404\"} 1",
        "thresh_documents_added_total 2",
        "thresh_documents_checked_total 2",
        "thresh_index_documents 2",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line:?} missing from\n{text}"
        );
    }
}

#[tokio::test]
async fn the_openapi_description_names_every_route() {
    let (_dir, app) = service(Limits::default());
    let (status, description) = call(&app, "GET", "/v1/openapi.json", "").await;
    assert_eq!(status, StatusCode::OK);
    let mut described: Vec<&str> = description["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    described.push("/v1/openapi.json");
    described.sort_unstable();
    let mut routes = ROUTES.to_vec();
    routes.sort_unstable();
    assert_eq!(described, routes);
    // Each described route answers something other than 404.
    for path in ROUTES {
        let method = if path == "/v1/check" || path == "/v1/add" {
            "POST"
        } else {
            "GET"
        };
        let (status, _) = send(&app, method, path, "{\"documents\": []}", None).await;
        assert_ne!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adds_of_one_story_keep_it_once() {
    let (_dir, app) = service(Limits::default());
    let mut adds = tokio::task::JoinSet::new();
    for i in 0..8 {
        let app = app.clone();
        adds.spawn(async move {
            let body = documents(json!([{ "id": format!("copy-{i}"), "text": STORY }]));
            call(&app, "POST", "/v1/add", &body).await
        });
    }
    let mut new = Vec::new();
    let mut matched = Vec::new();
    while let Some(done) = adds.join_next().await {
        let (status, answer) = done.unwrap();
        assert_eq!(status, StatusCode::OK, "{answer}");
        let result = &answer["results"][0];
        if result["new"] == true {
            new.push(result["id"].as_str().unwrap().to_string());
        } else {
            matched.push(result["matches"][0]["id"].as_str().unwrap().to_string());
        }
    }
    // Whatever order the adds were committed in, the first copy is kept
    // and every other copy names it.
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(matched.len(), 7);
    assert!(
        matched.iter().all(|id| *id == new[0]),
        "{matched:?} vs {new:?}"
    );
    let (_, stats) = call(&app, "GET", "/v1/stats", "").await;
    assert_eq!(stats["documents"], 8);
    assert_eq!(stats["kept"], 1);
}
