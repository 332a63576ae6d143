//! What `GET /metrics` reports, in Prometheus' text format: requests by
//! route and status, their latencies as a histogram, documents checked and
//! added, and the index's size (read when scraped).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds: a check of one
/// document takes about a millisecond, a large add seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Counters since the server started.
#[derive(Default)]
pub struct Metrics {
    /// Requests by (route, status code).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Latencies by route: counts per bucket (the last one is +Inf), and
    /// the sum in microseconds.
    latencies: Mutex<BTreeMap<String, Latency>>,
    pub documents_checked: AtomicU64,
    pub documents_added: AtomicU64,
}

#[derive(Default, Clone)]
struct Latency {
    buckets: [u64; BUCKETS.len() + 1],
    sum_micros: u64,
    count: u64,
}

/// The index's size when scraped.
pub struct IndexGauges {
    pub documents: u64,
    pub bytes: u64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *requests.entry((route.to_string(), status)).or_default() += 1;
        drop(requests);
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(BUCKETS.len());
        let mut latencies = self.latencies.lock().unwrap_or_else(|e| e.into_inner());
        let latency = latencies.entry(route.to_string()).or_default();
        latency.buckets[bucket] += 1;
        latency.sum_micros += took.as_micros() as u64;
        latency.count += 1;
    }

    pub fn count(counter: &AtomicU64, documents: usize) {
        counter.fetch_add(documents as u64, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self, index: Option<IndexGauges>) -> String {
        let mut out = String::new();
        out.push_str("# HELP thresh_requests_total Requests answered, by route and status.\n");
        out.push_str("# TYPE thresh_requests_total counter\n");
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((route, status), n) in &requests {
            let _ = writeln!(
                out,
                "thresh_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP thresh_request_seconds Time to answer a request, by route.\n");
        out.push_str("# TYPE thresh_request_seconds histogram\n");
        let latencies = self
            .latencies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for (route, latency) in &latencies {
            let mut below = 0;
            for (i, n) in latency.buckets.iter().enumerate() {
                below += n;
                let bound = BUCKETS.get(i).map_or("+Inf".to_string(), f64::to_string);
                let _ = writeln!(
                    out,
                    "thresh_request_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {below}"
                );
            }
            let sum = latency.sum_micros as f64 / 1e6;
            let _ = writeln!(out, "thresh_request_seconds_sum{{route=\"{route}\"}} {sum}");
            let count = latency.count;
            let _ = writeln!(
                out,
                "thresh_request_seconds_count{{route=\"{route}\"}} {count}"
            );
        }
        for (name, help, counter) in [
            (
                "thresh_documents_checked_total",
                "Documents checked without adding.",
                &self.documents_checked,
            ),
            (
                "thresh_documents_added_total",
                "Documents checked and added.",
                &self.documents_added,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", counter.load(Ordering::Relaxed));
        }
        if let Some(index) = index {
            for (name, help, value) in [
                (
                    "thresh_index_documents",
                    "Documents in the index.",
                    index.documents,
                ),
                (
                    "thresh_index_bytes",
                    "The index's size on disk.",
                    index.bytes,
                ),
            ] {
                let _ = writeln!(
                    out,
                    "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_latencies_are_counted_by_route() {
        let metrics = Metrics::default();
        metrics.request("/v1/check", 200, Duration::from_micros(800));
        metrics.request("/v1/check", 200, Duration::from_millis(30));
        metrics.request("/v1/check", 400, Duration::from_micros(100));
        Metrics::count(&metrics.documents_checked, 5);
        let text = metrics.render(Some(IndexGauges {
            documents: 7,
            bytes: 4096,
        }));
        for line in [
            "thresh_requests_total{route=\"/v1/check\",status=\"200\"} 2",
            "thresh_requests_total{route=\"/v1/check\",status=\"400\"} 1",
            "thresh_request_seconds_bucket{route=\"/v1/check\",le=\"0.001\"} 2",
            "thresh_request_seconds_bucket{route=\"/v1/check\",le=\"0.02\"} 2",
            "thresh_request_seconds_bucket{route=\"/v1/check\",le=\"0.05\"} 3",
            "thresh_request_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"} 3",
            "thresh_request_seconds_count{route=\"/v1/check\"} 3",
            "thresh_documents_checked_total 5",
            "thresh_documents_added_total 0",
            "thresh_index_documents 7",
            "thresh_index_bytes 4096",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line:?} missing from\n{text}"
            );
        }
    }
}
