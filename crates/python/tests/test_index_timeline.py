"""thresh.Index shares the command line's on-disk index; thresh.timeline
gives the command line's JSON."""

import json
from pathlib import Path

import pytest

import thresh
from conftest import ROOT, run_cli


def test_an_index_made_in_python_answers_the_command_line_alike(thresh_bin, corpus, tmp_path):
    index = thresh.Index.create(tmp_path / "idx", threshold=0.8)
    first = index.add(corpus[:1500])
    assert len(first) == 1500 and sum(v["new"] for v in first) < 1500
    later = corpus[1500:]
    from_python = index.query(later)
    queries = tmp_path / "later.jsonl"
    queries.write_text("".join(json.dumps(r) + "\n" for r in later))
    from_cli = [json.loads(l) for l in run_cli(thresh_bin, "index", "query", str(tmp_path / "idx"), str(queries)).splitlines()]
    assert from_python == from_cli
    assert any(not v["new"] for v in from_python)
    stats = index.stats()
    assert stats["documents"] == 1500
    assert json.loads(run_cli(thresh_bin, "index", "stats", str(tmp_path / "idx")))["documents"] == 1500


def test_an_add_is_checked_within_itself_and_against_the_index(tmp_path):
    index = thresh.Index.create(tmp_path / "idx")
    text = "the council approved the budget for next year after a long debate"
    verdicts = index.add([{"id": "a", "text": text}, {"id": "b", "text": text}])
    assert [v["new"] for v in verdicts] == [True, False]
    assert verdicts[1]["matched"]["id"] == "a"
    again = thresh.Index(tmp_path / "idx").query([text])
    assert again[0]["new"] is False and again[0]["representative"]["id"] == "a"


def test_index_errors_are_the_command_lines(tmp_path):
    with pytest.raises(thresh.ThreshError):
        thresh.Index(tmp_path / "missing")
    index = thresh.Index.create(tmp_path / "idx")
    with pytest.raises(thresh.ThreshError, match='document id "a" is given twice'):
        index.add([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}])


def test_the_timeline_of_the_examples_is_the_command_lines(thresh_bin):
    files = sorted((ROOT / "examples").glob("*.txt"))
    names = [f"examples/{f.name}" for f in files]
    expected = json.loads(run_cli(thresh_bin, "timeline", *names, "--format", "json", "--quiet", cwd=ROOT))
    got = thresh.timeline([f.read_text() for f in files], names=names)
    assert got == expected
    assert len(got["posts"]) > 10


def test_timeline_records_and_a_bad_argument():
    text = " date 2024-11-02 Live\nA headline\nThe first post's text is here.\n"
    got = thresh.timeline([{"url": "https://example.org/live", "date": "2024-11-02", "text": "A headline\nThe first post's text is here."}])
    assert got["posts"], got
    with pytest.raises(ValueError, match="invalid value \"page\" for group_by"):
        thresh.timeline([text], group_by="page")
