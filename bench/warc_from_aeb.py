#!/usr/bin/env python3
"""Write a WARC (gzip, one member per record, as Common Crawl writes them)
of the article-extraction benchmark's pages, for timing WARC reading and
extraction end to end. Each page becomes a request and a response record,
so half the records are skipped as not documents.

Usage: python3 bench/warc_from_aeb.py [AEB_DIR] [OUT] [COPIES]
"""
import gzip
import pathlib
import sys

aeb = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/aeb")
out = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "bench/scratch/aeb.warc.gz")
copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
pages = sorted((aeb / "html").glob("*.html.gz"))
if not pages:
    sys.exit(f"no pages under {aeb}/html (is ../shared/data/aeb present?)")


def member(kind: str, uri: str, n: int, block: bytes) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2024-11-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:012d}>\r\n"
        f"Content-Type: application/http; msgtype={kind}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=6)


out.parent.mkdir(parents=True, exist_ok=True)
n = 0
with open(out, "wb") as f:
    for copy in range(copies):
        for page in pages:
            uri = f"https://aeb.example/{copy}/{page.name.split('.')[0]}"
            f.write(member("request", uri, n, f"GET {uri} HTTP/1.1\r\n\r\n".encode()))
            html = gzip.decompress(page.read_bytes())
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
            f.write(member("response", uri, n + 1, http))
            n += 2
print(f"{out}: {n} records, {n // 2} pages")
