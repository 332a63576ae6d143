//! Runs one extractor over the article-extraction benchmark's pages and
//! writes its predictions in the benchmark's JSON form, for
//! `bench/aeb_score.py`.
//!
//! ```text
//! cargo run --release -p thresh-io --example aeb_extract -- thresh AEB_DIR OUT.json
//! cargo run --release -p thresh-io --features eval-dom-smoothie \
//!     --example aeb_extract -- dom_smoothie AEB_DIR OUT.json
//! ```
//!
//! Extractors: `thresh` (what thresh-io does: charset decoding, then
//! rs-trafilatura cross-checked with dom_smoothie, cross-reference lines
//! dropped, one paragraph per line), `rs_trafilatura` (the crate alone on
//! the bytes), `rs_trafilatura_precision` (its `favor_precision` option)
//! and, with the `eval-dom-smoothie` feature (now the same as `html`),
//! `dom_smoothie` (Readability.js port) alone.
//! Pages are read and gunzipped before the clock starts; the time printed
//! (stderr) covers decoding and extraction only, one thread.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, dir, out] = args.as_slice() else {
        eprintln!("usage: aeb_extract EXTRACTOR AEB_DIR OUT.json");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground-truth.json")).expect("ground-truth.json"),
    )
    .expect("ground truth is JSON");
    let truth = truth.as_object().expect("ground truth is an object");

    let mut pages = Vec::new();
    for (id, item) in truth {
        let path = dir.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("page"))
            .read_to_end(&mut bytes)
            .expect("gzip page");
        let url = item.get("url").and_then(|u| u.as_str()).map(str::to_string);
        pages.push((id.clone(), url, bytes));
    }

    let start = Instant::now();
    let mut output = BTreeMap::new();
    for (id, url, bytes) in &pages {
        let text = extract(name, bytes, url.as_deref());
        output.insert(id.clone(), serde_json::json!({ "articleBody": text }));
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{name}: {} pages in {secs:.2} s, {:.1} pages/s",
        pages.len(),
        pages.len() as f64 / secs
    );
    let json = serde_json::json!({ "version": name, "output": output, "seconds": secs });
    std::fs::write(out, serde_json::to_string(&json).expect("JSON")).expect("write output");
}

fn extract(name: &str, bytes: &[u8], url: Option<&str>) -> String {
    let html = thresh_io::html::decode(bytes, None, url);
    match name {
        "thresh" => thresh_io::html::extract(&html, url).text,
        // rs-trafilatura alone, on the raw bytes with its own decoding.
        "rs_trafilatura" => rs_trafilatura::extract_bytes(bytes)
            .map(|r| r.content_text)
            .unwrap_or_default(),
        "rs_trafilatura_precision" => {
            let options = rs_trafilatura::Options {
                favor_precision: true,
                url: url.map(str::to_string),
                ..rs_trafilatura::Options::default()
            };
            rs_trafilatura::extract_with_options(&html, &options)
                .map(|r| r.content_text)
                .unwrap_or_default()
        }
        #[cfg(feature = "eval-dom-smoothie")]
        "dom_smoothie" => {
            let cfg = dom_smoothie::Config {
                text_mode: dom_smoothie::TextMode::Formatted,
                ..Default::default()
            };
            dom_smoothie::Readability::new(html.as_str(), url, Some(cfg))
                .and_then(|mut r| r.parse())
                .map(|a| a.text_content.to_string())
                .unwrap_or_default()
        }
        other => {
            eprintln!("unknown extractor {other:?}");
            std::process::exit(2);
        }
    }
}
