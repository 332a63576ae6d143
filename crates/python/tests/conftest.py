"""Shared fixtures: the command line to compare with, and a generated
corpus of news-like documents with exact copies and near duplicates."""

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def thresh_bin() -> str:
    path = os.environ.get("THRESH_BIN", str(ROOT / "target" / "debug" / "thresh"))
    if not Path(path).exists():
        pytest.fail(f"the thresh command line is not built at {path} (run crates/python/test.sh)")
    return path


def run_cli(thresh_bin, *args, cwd=None) -> str:
    """Run the command line; its standard output, or a failure with stderr."""
    done = subprocess.run([thresh_bin, *args], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


WORDS = (
    "minister said talks would resume after officials met in the capital on monday "
    "while protesters gathered outside parliament police reported several arrests "
    "the economy grew faster than expected according to figures released today "
    "analysts warned that inflation could rise again later this year storms hit "
    "the coast and thousands lost power emergency services urged residents to stay"
).split()


def _article(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
        paragraphs.append(sentence.capitalize() + ".")
    return "\n".join(paragraphs)


def _edited(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 40)):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def make_corpus(n: int, seed: int = 7) -> list:
    """``n`` records (id, text, date): about a fifth exact copies or light
    edits of an earlier record, so there are clusters of every kind, and
    about a third ending with one of a site's three closing paragraphs."""
    rng = random.Random(seed)
    footers = [_article(rng).split("\n")[0] for _ in range(3)]
    records = []
    for i in range(n):
        day = f"2026-11-{1 + rng.randrange(28):02d}"
        if records and rng.random() < 0.2:
            source = rng.choice(records)["text"]
            text = source if rng.random() < 0.4 else _edited(rng, source)
        else:
            text = _article(rng)
            if rng.random() < 0.3:
                text += "\n" + rng.choice(footers)
        records.append({"id": f"doc-{i:05d}", "text": text, "date": day})
    return records


@pytest.fixture(scope="session")
def corpus() -> list:
    return make_corpus(3000)


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory, corpus) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in corpus))
    return path
