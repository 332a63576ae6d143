"""rensa: RMinHash per document (Rust) and RMinHashLSH with the band count
chosen by the same false-positive/false-negative criterion as thresh and
datasketch (restricted to band counts that divide --num-perm, as rensa
requires); candidates verified on the full signature; union-find."""

import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402
from rensa import RMinHash, RMinHashLSH  # noqa: E402


def bands_dividing(threshold, num_perm):
    best = None
    for b in range(1, num_perm + 1):
        if num_perm % b:
            continue
        r = num_perm // b
        fp = sum(1 - (1 - (s / 400 * threshold) ** r) ** b for s in [i + 0.5 for i in range(400)]) * threshold / 400
        fn = sum((1 - (threshold + s / 400 * (1 - threshold)) ** r) ** b for s in [i + 0.5 for i in range(400)]) * (1 - threshold) / 400
        err = 0.5 * fp + 0.5 * fn
        if best is None or err < best[0]:
            best = (err, b)
    return best[1]


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    ids, sigs = [], []
    for doc_id, text in common.read_corpus(args.corpus):
        sh = common.shingles(text, args.ngram)
        ids.append(doc_id)
        if sh:
            m = RMinHash(num_perm=args.num_perm, seed=1)
            m.update(list(sh))
            sigs.append(m)
        else:
            sigs.append(None)
    st.mark("read_shingle_minhash")
    b = bands_dividing(args.threshold, args.num_perm)
    lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=b)
    for i, m in enumerate(sigs):
        if m is not None:
            lsh.insert(i, m)
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
    st.write(args, version("rensa"), 1, clusters=n, bands=[b, args.num_perm // b])


if __name__ == "__main__":
    main()
