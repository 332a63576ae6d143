"""gaoya as its users run it: MinHashStringIndex with its own Rust word
tokenizer (lower-cased word 5-grams, `analyzer="word"`), documents inserted
and queried in parallel bulk calls (`par_bulk_insert_docs`,
`par_bulk_query`) on all cores, batch by batch; bands and rows from the same
criterion as the other peers; gaoya's query returns only documents whose
signature similarity reaches the threshold, so candidates are verified;
union-find. Its tokenizer is not thresh's, so its clusters are of slightly
different shingle sets than the exact truth's."""

import os
import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402
from gaoya.minhash import MinHashStringIndex  # noqa: E402

BATCH = 10_000


def batches(corpus):
    ids, texts = [], []
    for doc_id, text in common.read_corpus(corpus):
        ids.append(doc_id)
        texts.append(text)
        if len(texts) == BATCH:
            yield ids, texts
            ids, texts = [], []
    if texts:
        yield ids, texts


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    b, r = common.optimal_param(args.threshold, args.num_perm)
    index = MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=args.threshold,
        num_bands=b,
        band_size=r,
        analyzer="word",
        lowercase=True,
        ngram_range=(args.ngram, args.ngram),
    )
    ids = []
    for batch_ids, texts in batches(args.corpus):
        start = len(ids)
        ids.extend(batch_ids)
        index.par_bulk_insert_docs(list(range(start, len(ids))), texts)
    st.mark("read_insert")
    uf = common.UnionFind()
    start = 0
    for batch_ids, texts in batches(args.corpus):
        for offset, similar in enumerate(index.par_bulk_query(texts)):
            for j in similar:
                if j != start + offset:
                    uf.union(start + offset, j)
        start += len(texts)
    st.mark("query")
    n = common.write_clusters(args.out, uf.groups(), ids)
    st.mark("write")
    st.write(args, version("gaoya"), os.cpu_count(), clusters=n, bands=[b, r])


if __name__ == "__main__":
    main()
