"""thresh.MinHasher: NumPy matrices of signatures and band keys, the same
as dedup's, so that its candidates are dedup's candidates."""

import numpy as np
import pyarrow as pa
import pytest

import thresh
from conftest import make_corpus


def test_signatures_are_a_matrix_of_uint32_one_row_per_text():
    hasher = thresh.MinHasher(num_perm=64, ngram=3)
    signatures = hasher.signatures(["one two three four", "one two three four", "other words here now"])
    assert signatures.shape == (3, 64) and signatures.dtype == np.uint32
    assert (signatures[0] == signatures[1]).all()
    assert (signatures[0] != signatures[2]).mean() > 0.9


def test_agreement_of_signatures_estimates_jaccard():
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words)
    b = " ".join(words[:300] + [f"x{i}" for i in range(100)])  # 1-grams: 300 shared of 500
    signatures = thresh.MinHasher(num_perm=256, ngram=1).signatures([a, b])
    estimate = (signatures[0] == signatures[1]).mean()
    assert abs(estimate - 300 / 500) < 0.08


def test_arrow_arrays_and_lists_give_the_same_rows():
    texts = [r["text"] for r in make_corpus(50)]
    hasher = thresh.MinHasher()
    from_list = hasher.signatures(texts)
    from_arrow = hasher.signatures(pa.chunked_array([texts[:20], texts[20:]]))
    assert (from_list == from_arrow).all()


def test_band_keys_are_shared_exactly_by_dedups_near_duplicates():
    corpus = make_corpus(800, seed=11)
    texts = [r["text"] for r in corpus]
    hasher = thresh.MinHasher(verify="signature")
    keys = hasher.band_keys(texts)
    assert keys.shape == (len(texts), hasher.banding[0]) and keys.dtype == np.uint64
    result = thresh.dedup(texts, verify="signature")
    removed = [(row, rep) for row, rep in enumerate(result["duplicate_of"].to_pylist()) if rep is not None]
    assert removed, "the corpus has duplicates"
    for row, representative in removed:
        # Every removed document was a candidate of some cluster member, so
        # it shares a band key with at least one; its exact copies with all.
        if texts[row] == texts[representative]:
            assert (keys[row] == keys[representative]).all()


def test_explicit_banding_and_its_limits():
    hasher = thresh.MinHasher(num_perm=128)
    assert hasher.band_keys(["a b c d e"], bands=16, rows=8).shape == (1, 16)
    with pytest.raises(ValueError, match="bands × rows at most num_perm"):
        hasher.band_keys(["a"], bands=64, rows=4)
    with pytest.raises(TypeError, match="not one string"):
        hasher.signatures("one text")
