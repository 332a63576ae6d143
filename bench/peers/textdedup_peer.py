"""text-dedup: its MinHash script (text_dedup.minhash, Hugging Face datasets
with num_proc workers) called in-process on a JSONL file. text-dedup splits
text on \\W after lower-casing; to give it the common shingles the adapter
first rewrites the corpus with the common tokens, each made \\W-free
(non-word characters inside a token become "_"), joined by spaces, so that
its split gives back exactly the common tokens (timed as part of the run).
Bands and rows come from its own optimal_param (the same criterion);
min_length 1. text-dedup does not verify candidates. Clusters are read from
its union-find."""

import json
import os
import re
import shutil
import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402

NONWORD = re.compile(r"\W")


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    work = os.path.abspath(args.workdir or (args.out + ".work"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    ids = []
    with open(f"{work}/input.jsonl", "w", encoding="utf-8") as out:
        for doc_id, text in common.read_corpus(args.corpus):
            ids.append(doc_id)
            toks = [NONWORD.sub("_", t) for t in common.tokens(text)]
            out.write(json.dumps({"text": " ".join(toks)}) + "\n")
    st.mark("pretokenize")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from text_dedup import minhash as tdm

    tdm.main.main(
        args=[
            "--path", "json", "--data_files", f"{work}/input.jsonl", "--split", "train",
            "--cache_dir", f"{work}/cache", "--output", f"{work}/output", "--column", "text",
            "--num_perm", str(args.num_perm), "--threshold", str(args.threshold),
            "--ngram", str(args.ngram), "--min_length", "1", "--num_proc", str(args.threads),
        ],
        standalone_mode=False,
    )
    st.mark("text_dedup")
    uf = tdm.uf
    groups = {}
    for i in range(len(ids)):
        groups.setdefault(uf.find(i), []).append(i)
    n = common.write_clusters(args.out, [g for g in groups.values() if len(g) >= 2], ids)
    st.mark("write")
    st.write(args, version("text-dedup"), args.threads, clusters=n)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
