#!/usr/bin/env python3
"""thresh.dedup over a stream larger than is wise to hold: a JSONL file read
batch by batch by pyarrow, the annotated rows consumed batch by batch.
Prints the rows, the kept, the time and the peak RSS.

    bench/.venv-python/bin/python bench/python_stream.py /tmp/1m.jsonl
"""
import resource, time, sys
import pyarrow as pa, pyarrow.json as pj, pyarrow.compute as pc
import thresh
started = time.perf_counter()
reader = pj.open_json(sys.argv[1])
stream = pa.RecordBatchReader.from_stream(reader) if not isinstance(reader, pa.RecordBatchReader) else reader
result = thresh.dedup(stream, id_column="id", temp_dir="/tmp")
kept = rows = 0
for batch in result:
    rows += batch.num_rows
    kept += pc.sum(batch.column("kept").cast(pa.int64())).as_py() or 0
print(f"rows {rows} kept {kept} removed {rows-kept} in {time.perf_counter()-started:.1f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024} MB")
