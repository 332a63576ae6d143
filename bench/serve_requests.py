#!/usr/bin/env python3
"""Requests for the serve benchmarks, from generated documents.

    python3 bench/serve_requests.py QUERIES.jsonl WORK_DIR [--checks N] [--paced]

Writes WORK_DIR/check.lua, a wrk script that posts the first N documents
(default 1,000) to /v1/check one per request, in turn; with --paced it also
defines wrk's delay(), a pause before each request of a connection, in ms,
given after the URL (`wrk … URL -- MS`). The documents after the first N go
to WORK_DIR/adds.jsonl, one /v1/add body per line (ids prefixed "add-").
"""

import argparse
import json
from pathlib import Path


def body(doc, prefix=""):
    return json.dumps({"documents": [{"id": prefix + doc["id"], "text": doc["text"]}]})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("queries")
    parser.add_argument("work")
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--paced", action="store_true")
    args = parser.parse_args()
    work = Path(args.work)
    docs = [json.loads(line) for line in open(args.queries, encoding="utf8")]
    with open(work / "check.lua", "w", encoding="utf8") as out:
        out.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
        out.write("bodies = {\n")
        for doc in docs[: args.checks]:
            out.write("[==[" + body(doc) + "]==],\n")
        out.write("}\ni = 0\nrequest = function()\n  i = i % #bodies + 1\n")
        out.write("  return wrk.format(nil, nil, nil, bodies[i])\nend\n")
        if args.paced:
            out.write("pause = 0\ninit = function(args) pause = tonumber(args[1]) or 0 end\n")
            out.write("delay = function() return pause end\n")
    with open(work / "adds.jsonl", "w", encoding="utf8") as out:
        for doc in docs[args.checks :]:
            out.write(body(doc, "add-") + "\n")


if __name__ == "__main__":
    main()
