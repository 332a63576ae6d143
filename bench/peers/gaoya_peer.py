"""gaoya: MinHashStringIndex (Rust) fed our shingles through a callable
analyzer (insert_tokens), bands and rows from the same criterion as thresh;
gaoya's query returns only documents whose signature similarity reaches
the threshold, so candidates are verified; union-find."""

import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402
from gaoya.minhash import MinHashStringIndex  # noqa: E402


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    b, r = common.optimal_param(args.threshold, args.num_perm)
    index = MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=args.threshold,
        num_bands=b,
        band_size=r,
        analyzer=lambda sh: sh,
        id_container="smallvec",
    )
    ids, shs = [], []
    for i, (doc_id, text) in enumerate(common.read_corpus(args.corpus)):
        sh = list(common.shingles(text, args.ngram))
        ids.append(doc_id)
        shs.append(sh)
        if sh:
            index.minhash_index.insert_tokens(i, sh)
    st.mark("read_shingle_insert")
    uf = common.UnionFind()
    for i, sh in enumerate(shs):
        if not sh:
            continue
        for j in index.minhash_index.query_tokens(sh):
            if j != i:
                uf.union(i, j)
    st.mark("query")
    n = common.write_clusters(args.out, uf.groups(), ids)
    st.mark("write")
    st.write(args, version("gaoya"), 1, clusters=n, bands=[b, r])


if __name__ == "__main__":
    main()
