//! WARC reader tests on small archives built here, byte by byte.

use std::io::Write;

use flate2::write::GzEncoder;
use proptest::prelude::*;

use super::*;

const ARTICLE: &str = "<html><head><title>Storm closes harbour</title></head><body>\
    <nav><a href=/>Home</a></nav><article><h1>Storm closes harbour</h1>\
    <p>The harbour closed on Monday after the storm broke two moorings and sank a fishing boat, \
    the port authority said in a statement on its website.</p>\
    <p>Ferries to the islands will not sail before Wednesday, and the authority asked \
    owners of small boats to check their lines twice a day until the wind drops.</p>\
    </article></body></html>";

fn http(status: &str, content_type: Option<&str>, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    if let Some(ct) = content_type {
        out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
    }
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn record_with_length(kind: &str, n: u32, block: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://news.example/{n}\r\n\
         WARC-Date: 2024-11-0{}T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:08}>\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n",
        n % 10
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn record(kind: &str, n: u32, block: &[u8]) -> Vec<u8> {
    record_with_length(kind, n, block, block.len())
}

fn page(n: u32) -> Vec<u8> {
    record(
        "response",
        n,
        &http(
            "200 OK",
            Some("text/html; charset=utf-8"),
            "",
            ARTICLE.as_bytes(),
        ),
    )
}

fn gz(member: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(member).unwrap();
    enc.finish().unwrap()
}

/// A gzip file of the records (one member each) and each member's offset.
fn gz_file(records: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for r in records {
        offsets.push(out.len() as u64);
        out.extend_from_slice(&gz(r));
    }
    (out, offsets)
}

#[derive(Debug)]
enum Item {
    Page { offset: u64, url: Option<String> },
    Error { offset: u64, kind: &'static str },
}

/// Reads a WARC file's pages; a gzip file can be read again, as a file can.
fn read_all(bytes: Vec<u8>, gzip: bool, max_bytes: u64) -> (Vec<Item>, Skipped) {
    let reopen = gzip.then(|| {
        let again = bytes.clone();
        Box::new(move || whole_stream(Box::new(std::io::Cursor::new(again)))) as Reopen
    });
    read_all_with(bytes, gzip, max_bytes, reopen)
}

fn read_all_with(
    bytes: Vec<u8>,
    gzip: bool,
    max_bytes: u64,
    reopen: Option<Reopen>,
) -> (Vec<Item>, Skipped) {
    let mut reader = WarcReader::new(
        Box::new(std::io::Cursor::new(bytes)),
        gzip,
        "t.warc",
        max_bytes,
        reopen,
    );
    let mut skipped = Skipped::default();
    let mut items = Vec::new();
    while let Some(item) = reader.next_page(&mut skipped) {
        items.push(match item {
            Ok(p) => Item::Page {
                offset: p.offset,
                url: p.url,
            },
            Err(e) => Item::Error {
                offset: e.origin.record,
                kind: e.kind.name(),
            },
        });
        assert!(items.len() < 10_000, "reader does not terminate");
    }
    (items, skipped)
}

fn kinds(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| match i {
            Item::Page { .. } => "page".to_string(),
            Item::Error { kind, .. } => kind.to_string(),
        })
        .collect()
}

/// A small crawl: warcinfo, request, two pages, an image, a redirect.
fn crawl() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", 0, b"software: test\r\n"),
        record(
            "request",
            1,
            b"GET /1 HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        page(2),
        record(
            "response",
            3,
            &http("200 OK", Some("image/png"), "", b"\x89PNG\r\n\x1a\n\0\0"),
        ),
        record(
            "response",
            4,
            &http("301 Moved", Some("text/html"), "Location: /5\r\n", b""),
        ),
        page(5),
    ]
}

#[test]
fn plain_warc_yields_html_responses_and_counts_the_rest() {
    let (items, skipped) = read_all(crawl().concat(), false, 1 << 20);
    assert_eq!(kinds(&items), ["page", "page"]);
    let Item::Page { url, offset } = &items[0] else {
        unreachable!()
    };
    assert_eq!(url.as_deref(), Some("https://news.example/2"));
    let records = crawl();
    assert_eq!(*offset, (records[0].len() + records[1].len()) as u64);
    assert_eq!(skipped.get("warc-type"), 2);
    assert_eq!(skipped.get("not-html"), 1);
    assert_eq!(skipped.get("http-status"), 1);
    assert_eq!(skipped.total(), 4);
}

#[test]
fn gzip_warc_reports_member_offsets() {
    let (file, offsets) = gz_file(&crawl());
    let (items, skipped) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "page"]);
    let Item::Page { offset, .. } = items[1] else {
        unreachable!()
    };
    assert_eq!(offset, offsets[5]);
    assert_eq!(skipped.total(), 4);
}

#[test]
fn a_warc_gzipped_whole_is_read_to_its_last_record() {
    // `gzip crawl.warc`: one member holding every record.
    let (items, skipped) = read_all(gz(&crawl().concat()), true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "page"]);
    let Item::Page { url, .. } = &items[1] else {
        unreachable!()
    };
    assert_eq!(url.as_deref(), Some("https://news.example/5"));
    assert_eq!(skipped.total(), 4);
}

#[test]
fn a_warc_gzipped_whole_from_a_pipe_is_an_error_not_a_partial_read() {
    let (items, _) = read_all_with(gz(&crawl().concat()), true, 1 << 20, None);
    assert_eq!(kinds(&items), ["malformed-warc"]);
}

#[test]
fn a_member_of_several_records_amid_single_record_members_is_reported() {
    let records = crawl();
    let members = [
        gz(&records[0]),
        gz(&[records[1].clone(), records[2].clone()].concat()),
        gz(&records[5]),
    ];
    let second = members[0].len() as u64;
    let (items, _) = read_all(members.concat(), true, 1 << 20);
    assert_eq!(kinds(&items), ["malformed-warc", "page"]);
    let Item::Error { offset, .. } = items[0] else {
        unreachable!()
    };
    assert_eq!(offset, second);
}

#[test]
fn truncated_gzip_member_is_reported_and_the_next_member_read() {
    let records = [page(1), page(2), page(3)];
    let (mut file, offsets) = gz_file(&records);
    // Cut the second member in half.
    let (a, b) = (offsets[1] as usize, offsets[2] as usize);
    file.drain(a + (b - a) / 2..b);
    let (items, _) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "corrupt-gzip", "page"]);
    assert!(matches!(items[1], Item::Error { offset, .. } if offset == offsets[1]));
}

#[test]
fn truncated_last_member_and_garbage_between_members() {
    let (mut file, offsets) = gz_file(&[page(1), page(2)]);
    file.truncate(file.len() - 20);
    let (items, _) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "corrupt-gzip"]);
    assert!(matches!(items[1], Item::Error { offset, .. } if offset == offsets[1]));

    let mut file = gz(&page(1));
    file.extend_from_slice(b"not gzip at all \x1f\x8b garbage");
    file.extend_from_slice(&gz(&page(2)));
    let (items, _) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "corrupt-gzip", "page"]);
}

#[test]
fn malformed_headers_are_reported_then_skipped() {
    let bad_line = b"WARC/1.0\r\nWARC-Type response\r\nContent-Length: 0\r\n\r\n\r\n\r\n".to_vec();
    let no_length = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n\r\n\r\n".to_vec();
    let bad_length = b"WARC/1.0\r\nContent-Length: ten\r\n\r\n\r\n\r\n".to_vec();
    let not_warc = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
    for bad in [bad_line, no_length, bad_length, not_warc] {
        let records = vec![page(1), bad.clone(), page(2)];
        let (items, _) = read_all(records.concat(), false, 1 << 20);
        assert_eq!(kinds(&items), ["page", "malformed-warc", "page"], "{bad:?}");
        let (file, offsets) = gz_file(&records);
        let (items, _) = read_all(file, true, 1 << 20);
        assert_eq!(kinds(&items), ["page", "malformed-warc", "page"], "{bad:?}");
        assert!(matches!(items[1], Item::Error { offset, .. } if offset == offsets[1]));
    }
}

#[test]
fn wrong_content_length_is_reported() {
    let block = http("200 OK", Some("text/html"), "", ARTICLE.as_bytes());
    let short = record_with_length("response", 7, &block, block.len() - 40);
    let long = record_with_length("response", 8, &block, block.len() + 40);
    // Declared too short: the rest of the block is where the trailer
    // should be. Plain and gzip.
    let records = vec![page(1), short.clone(), page(2)];
    let (items, _) = read_all(records.concat(), false, 1 << 20);
    assert_eq!(kinds(&items), ["page", "wrong-length", "page"]);
    let (file, _) = gz_file(&records);
    let (items, _) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "wrong-length", "page"]);
    // Declared too long: the member ends first (gzip); in a plain file
    // the block runs into the next record, which is lost with it.
    let (file, _) = gz_file(&[page(1), long.clone(), page(2)]);
    let (items, _) = read_all(file, true, 1 << 20);
    assert_eq!(kinds(&items), ["page", "wrong-length", "page"]);
    let (items, _) = read_all([page(1), long, page(2), page(3)].concat(), false, 1 << 20);
    assert_eq!(kinds(&items).first().map(String::as_str), Some("page"));
    assert!(kinds(&items).contains(&"wrong-length".to_string()));
    assert_eq!(kinds(&items).last().map(String::as_str), Some("page"));
}

#[test]
fn binary_and_huge_pages_are_reported() {
    let binary = record(
        "response",
        3,
        &http(
            "200 OK",
            Some("text/html"),
            "",
            b"\x00\x01\x02\xff\xfe\x00binary",
        ),
    );
    let (items, _) = read_all([page(1), binary, page(2)].concat(), false, 1 << 20);
    assert_eq!(kinds(&items), ["page", "binary", "page"]);

    let huge_body = format!(
        "<html><body><p>{}</p></body></html>",
        "word ".repeat(20_000)
    );
    let huge = record(
        "response",
        4,
        &http("200 OK", Some("text/html"), "", huge_body.as_bytes()),
    );
    // Over the limit after the HTTP head allowance: the block is skipped
    // unread; just over the page limit: read, then refused.
    for max in [1_000, 90_000] {
        let (file, _) = gz_file(&[page(1), huge.clone(), page(2)]);
        let (items, _) = read_all(file, true, max);
        assert_eq!(kinds(&items), ["page", "too-large", "page"], "max {max}");
        let (items, _) = read_all([page(1), huge.clone(), page(2)].concat(), false, max);
        assert_eq!(kinds(&items), ["page", "too-large", "page"], "max {max}");
    }
}

#[test]
fn chunked_and_compressed_payloads_are_undone() {
    let mut chunked = Vec::new();
    for piece in ARTICLE.as_bytes().chunks(100) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let chunked = record(
        "response",
        1,
        &http(
            "200 OK",
            Some("text/html"),
            "Transfer-Encoding: chunked\r\n",
            &chunked,
        ),
    );
    let gzipped = record(
        "response",
        2,
        &http(
            "200 OK",
            Some("text/html"),
            "Content-Encoding: gzip\r\n",
            &gz(ARTICLE.as_bytes()),
        ),
    );
    let brotli = record(
        "response",
        3,
        &http(
            "200 OK",
            Some("text/html"),
            "Content-Encoding: br\r\n",
            b"\x1b\x03",
        ),
    );
    let mut reader = WarcReader::new(
        Box::new(std::io::Cursor::new([chunked, gzipped, brotli].concat())),
        false,
        "t.warc",
        1 << 20,
        None,
    );
    let mut skipped = Skipped::default();
    for _ in 0..2 {
        let page = reader.next_page(&mut skipped).unwrap().unwrap();
        assert_eq!(page.body, ARTICLE.as_bytes());
    }
    assert!(reader.next_page(&mut skipped).is_none());
    assert_eq!(skipped.get("content-encoding"), 1);
}

#[cfg(feature = "html")]
#[test]
fn document_reader_extracts_pages_from_a_warc_file() {
    use crate::{DocumentReader, Input, ReadOptions};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, gz_file(&crawl()).0).unwrap();
    let mut reader = DocumentReader::new(vec![Input::file(&path)], ReadOptions::default());
    let docs: Vec<_> = reader.by_ref().map(Result::unwrap).collect();
    assert_eq!(docs.len(), 2);
    let doc = &docs[0];
    assert_eq!(doc.id, "urn:uuid:00000002");
    assert_eq!(doc.url.as_deref(), Some("https://news.example/2"));
    assert_eq!(doc.date.as_deref(), Some("2024-11-02T10:00:00Z"));
    assert_eq!(doc.title.as_deref(), Some("Storm closes harbour"));
    assert_eq!(doc.text.lines().count(), 2, "{:?}", doc.text);
    assert!(doc.text.starts_with("The harbour closed on Monday"));
    assert!(!doc.text.contains("Home"));
    assert_eq!(reader.skipped().total(), 4);
}

#[test]
fn document_reader_reads_every_page_of_a_file_gzipped_whole() {
    use crate::{DocumentReader, Input, ReadOptions};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, gz(&crawl().concat())).unwrap();
    let mut reader = DocumentReader::new(vec![Input::file(&path)], ReadOptions::default());
    let ids: Vec<String> = reader.by_ref().map(|d| d.unwrap().id).collect();
    assert_eq!(ids, ["urn:uuid:00000002", "urn:uuid:00000005"]);
    assert_eq!(reader.skipped().total(), 4);
}

/// Mutations of a small archive: flipped bytes, cut and spliced ranges.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    proptest::collection::vec((0..len, 0..len, any::<u8>(), 0u8..3), 1..6).prop_map(move |edits| {
        let mut bytes = base.clone();
        for (a, b, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let (a, b) = (a % bytes.len(), b % bytes.len());
            let (lo, hi) = (a.min(b), a.max(b));
            match op {
                0 => bytes[a] = byte,
                1 => {
                    bytes.drain(lo..hi.min(lo + 64));
                }
                _ => {
                    let piece = bytes[lo..hi.min(lo + 64)].to_vec();
                    bytes.splice(b..b, piece);
                }
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_gzip_archives_never_panic(bytes in mutated(gz_file(&crawl()).0)) {
        let (items, _) = read_all(bytes, true, 1 << 20);
        prop_assert!(items.len() <= 50);
    }

    #[test]
    fn mutated_plain_archives_never_panic(bytes in mutated(crawl().concat())) {
        let (items, _) = read_all(bytes, false, 1 << 20);
        prop_assert!(items.len() <= 50);
    }
}

#[cfg(feature = "html")]
#[test]
fn parallel_extraction_keeps_record_order_across_windows() {
    // Three windows' worth of pages, with requests, a damaged record and a
    // window of nothing but skipped records in between.
    let mut records = Vec::new();
    for n in 0..(2 * WINDOW_PAGES as u32 + 10) {
        records.push(page(n));
        if n % 7 == 0 {
            records.push(record("request", n, b"GET / HTTP/1.1\r\n\r\n"));
        }
        if n == 70 {
            records.push(b"WARC/1.0\r\nno colon here\r\n\r\n".to_vec());
        }
        if n == 100 {
            for m in 0..(WINDOW_PAGES as u32 + 5) {
                records.push(record("metadata", 1000 + m, b"x: y\r\n"));
            }
        }
    }
    let (bytes, _) = gz_file(&records);
    let reader = WarcReader::new(
        Box::new(std::io::Cursor::new(bytes)),
        true,
        "t.warc.gz",
        1 << 20,
        None,
    );
    let mut documents = WarcDocuments::new(reader, false);
    let mut skipped = Skipped::default();
    let mut urls = Vec::new();
    let mut errors = 0;
    while let Some(item) = documents.next(&mut skipped) {
        match item {
            Ok(doc) => urls.push(doc.url.unwrap()),
            Err(e) => {
                assert_eq!(e.kind.name(), "malformed-warc");
                errors += 1;
            }
        }
    }
    let expected: Vec<String> = (0..(2 * WINDOW_PAGES as u32 + 10))
        .map(|n| format!("https://news.example/{n}"))
        .collect();
    assert_eq!(urls, expected);
    assert_eq!(errors, 1);
    assert_eq!(skipped.get("warc-type"), 20 + WINDOW_PAGES as u64 + 5);
}

/// A live blog without post markup prints clock-only times on its own
/// clock (+01:00 here); its capture, stamped in UTC by the WARC, is read
/// on that clock too, so that a post at 21:52 captured at 20:53 UTC
/// (21:53 on the page) is not taken for one from the day before.
#[test]
fn a_live_blog_capture_is_dated_on_the_pages_clock() {
    let html = "<html><head><meta property='article:modified_time' \
        content='2021-12-13T21:52:00+01:00'></head><body><main><h1>Markets live</h1>\
        <p class=time>21:52</p><p>Shares closed higher on the day after a calm session.</p>\
        <p class=time>21:39</p><p>Bond yields fell for a third day as traders bought.</p>\
        </main></body></html>";
    let page = |live_blog| {
        let page = Page {
            offset: 0,
            url: Some("https://news.example/live".into()),
            date: Some("2021-12-13T20:53:00Z".into()),
            record_id: None,
            body: html.as_bytes().to_vec(),
            content_type: Some("text/html".into()),
        };
        page_to_document(page, "crawl.warc", live_blog)
            .unwrap()
            .unwrap()
            .date
    };
    assert_eq!(page(true).as_deref(), Some("2021-12-13T21:53:00+01:00"));
    // Outside the timeline, the capture's date stays as the WARC gives it.
    assert_eq!(page(false).as_deref(), Some("2021-12-13T20:53:00Z"));
}
