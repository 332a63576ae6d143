"""datatrove: its four-stage MinHash pipeline (signatures, buckets, clusters)
on the local executor. Shingles are the common ones: a WordTokenizer that
applies thresh's normalization is passed in place of a language, and
datatrove's own text simplification is switched off. The corpus is split
into one shard per worker so that the signature stage uses every core (the
split is timed as part of the run). num_buckets x hashes_per_bucket are the
bands and rows of the same criterion as thresh, with buckets*rows <=
--num-perm. datatrove does not verify candidates: any shared bucket links
two documents."""

import json
import os
import shutil
import struct
import sys
from importlib.metadata import version

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import common  # noqa: E402
from datatrove.executor.local import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.dedup.minhash import (  # noqa: E402
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.utils.text import TextNormConfig  # noqa: E402
from datatrove.utils.word_tokenizers import WordTokenizer  # noqa: E402


class CommonTokenizer(WordTokenizer):
    def word_tokenize(self, text):
        return common.tokens(text)

    def sent_tokenize(self, text):
        return [text]

    def span_tokenize(self, text):
        return [(0, len(text))]


def main():
    args = common.parser(__doc__).parse_args()
    st = common.Stages()
    work = args.workdir or (args.out + ".work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(f"{work}/input")
    shards = max(1, args.threads)
    outs = [open(f"{work}/input/{k:03d}.jsonl", "w", encoding="utf-8") for k in range(shards)]
    ids = [[] for _ in range(shards)]
    with open(args.corpus, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            k = n % shards
            d = json.loads(line)
            ids[k].append(str(d["id"]))
            outs[k].write(json.dumps({"id": str(d["id"]), "text": d.get("text") or ""}) + "\n")
    for o in outs:
        o.close()
    st.mark("shard")
    b, r = common.optimal_param(args.threshold, args.num_perm)
    config = MinhashConfig(
        n_grams=args.ngram,
        num_buckets=b,
        hashes_per_bucket=r,
        norm_config=TextNormConfig(
            lowercase=False,
            norm_whitespace=False,
            remove_punctuation=False,
            norm_unicode_diacritics=False,
            norm_numbers=False,
        ),
    )
    tok = CommonTokenizer()
    logs = f"{work}/logs"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(f"{work}/input", glob_pattern="*.jsonl", text_key="text", id_key="id"),
            MinhashDedupSignature(output_folder=f"{work}/sigs", config=config, language=tok),
        ],
        tasks=shards,
        workers=args.threads,
        logging_dir=f"{logs}/1",
    ).run()
    st.mark("signatures")
    LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(input_folder=f"{work}/sigs", output_folder=f"{work}/buckets", config=config)],
        tasks=b,
        workers=args.threads,
        logging_dir=f"{logs}/2",
    ).run()
    st.mark("buckets")
    LocalPipelineExecutor(
        pipeline=[
            MinhashDedupCluster(
                input_folder=f"{work}/buckets", output_folder=f"{work}/clusters", config=config, save_cluster_id=True
            )
        ],
        tasks=1,
        logging_dir=f"{logs}/3",
    ).run()
    st.mark("cluster")
    groups = {}
    for k in range(shards):
        path = f"{work}/clusters/{k:06d}.clusters"
        if not os.path.exists(path):
            continue
        data = open(path, "rb").read()
        for doc, cid in struct.iter_unpack("<II", data):
            groups.setdefault(cid, []).append(ids[k][doc])
    n = common.write_clusters(args.out, [sorted(g) for g in groups.values() if len(g) >= 2])
    st.mark("write")
    st.write(args, version("datatrove"), args.threads, clusters=n, bands=[b, r])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
