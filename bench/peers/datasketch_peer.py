"""datasketch: MinHash per document and MinHashLSH (bands and rows chosen by
datasketch from the threshold); candidates verified on the full signature,
as thresh does; clusters by union-find."""

import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    ids, sigs = [], []
    for doc_id, text in common.read_corpus(args.corpus):
        m = MinHash(num_perm=args.num_perm, seed=1)
        sh = common.shingles(text, args.ngram)
        if sh:
            m.update_batch([s.encode("utf-8") for s in sh])
        ids.append(doc_id)
        sigs.append(m if sh else None)
    st.mark("read_shingle_minhash")
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm)
    for i, m in enumerate(sigs):
        if m is not None:
            lsh.insert(i, m, check_duplication=False)
    st.mark("index")
    uf = common.UnionFind()
    for i, m in enumerate(sigs):
        if m is None:
            continue
        for j in lsh.query(m):
            if j != i and m.jaccard(sigs[j]) >= args.threshold:
                uf.union(i, j)
    st.mark("query_verify")
    n = common.write_clusters(args.out, uf.groups(), ids)
    st.mark("write")
    st.write(args, version("datasketch"), 1, clusters=n, bands=list(lsh.b and (lsh.b, lsh.r)))


if __name__ == "__main__":
    main()
