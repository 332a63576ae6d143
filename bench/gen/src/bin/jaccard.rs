//! `thresh-jaccard`: exact all-pairs Jaccard similarity over the word
//! n-gram shingle sets of a JSONL corpus, the ground truth that MinHash
//! tools are scored against. No MinHash and no sampling: an inverted index
//! over shingles with prefix filtering (Bayardo, Ma and Srikant, "Scaling
//! up all pairs similarity search", 2007) finds every pair whose Jaccard is
//! at least the threshold, each verified by an exact set intersection.
//!
//! Shingles seen in one document only can never be shared, so they are
//! counted but not indexed: they sort first in the global rarity order and
//! fill the front of a document's prefix without producing candidates.
//!
//! Writes the pairs (`--pairs`, tab-separated `id1 id2 jaccard`) and the
//! connected components of the pair graph (`--clusters`, one JSON line per
//! component of two or more: `{"cluster": k, "members": [ids]}`).

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

use clap::Parser;
use serde::Deserialize;
use thresh_gen::shingle::shingle_set;

#[derive(Parser, Debug)]
#[command(
    name = "thresh-jaccard",
    version,
    about = "Exact all-pairs Jaccard over shingle sets"
)]
struct Args {
    /// JSONL corpus with `id` and `text` fields.
    input: String,
    /// Pairs at or above this Jaccard similarity are reported.
    #[arg(long, default_value_t = 0.7)]
    threshold: f64,
    /// Words per shingle.
    #[arg(long, default_value_t = 5)]
    ngram: usize,
    /// Write the pairs here (TSV: id1, id2, jaccard).
    #[arg(long)]
    pairs: Option<String>,
    /// Write the connected components here (JSONL).
    #[arg(long)]
    clusters: Option<String>,
    /// Threads for shingling (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Deserialize)]
struct Doc {
    id: serde_json::Value,
    #[serde(default)]
    text: String,
}

/// The keys are already well-mixed 64-bit hashes.
#[derive(Default)]
struct Identity(u64);
impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
type Map<V> = HashMap<u64, V, BuildHasherDefault<Identity>>;

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[parent[x as usize] as usize];
        parent[x as usize] = p;
        x = p;
    }
    x
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let t = args.threshold;
    assert!(t > 0.0 && t <= 1.0, "--threshold must be in (0, 1]");
    let start = Instant::now();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);

    // 1. Read and shingle.
    let reader = BufReader::with_capacity(1 << 20, File::open(&args.input)?);
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for (lineno, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = match serde_json::from_str(&line) {
            Ok(d) => d,
            Err(e) => {
                eprintln!(
                    "thresh-jaccard: {}:{}: skipped: {e}",
                    args.input,
                    lineno + 1
                );
                continue;
            }
        };
        ids.push(match doc.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        texts.push(doc.text);
    }
    let n = texts.len();
    let chunk = n.div_ceil(threads).max(1);
    let mut sets: Vec<Vec<u64>> = Vec::with_capacity(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                let ngram = args.ngram;
                s.spawn(move || {
                    let mut buf = String::new();
                    part.iter()
                        .map(|t| shingle_set(t, ngram, &mut buf))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            sets.extend(h.join().expect("shingler panicked"));
        }
    });
    drop(texts);
    let t_shingle = start.elapsed().as_secs_f64();

    // 2. Document frequency of every shingle; shared ones get a rank in
    //    rarity order (frequency, then hash), singletons are only counted.
    let mut df: Map<u32> = Map::default();
    for set in &sets {
        for &h in set {
            *df.entry(h).or_insert(0) += 1;
        }
    }
    let mut shared: Vec<(u32, u64)> = df
        .iter()
        .filter(|(_, &c)| c >= 2)
        .map(|(&h, &c)| (c, h))
        .collect();
    shared.sort_unstable();
    let rank: Map<u32> = shared
        .iter()
        .enumerate()
        .map(|(r, &(_, h))| (h, r as u32))
        .collect();
    let n_shared = shared.len();
    drop(shared);
    drop(df);
    // Per document: its size and its shared shingles as sorted ranks.
    let sizes: Vec<usize> = sets.iter().map(Vec::len).collect();
    let docs: Vec<Vec<u32>> = sets
        .into_iter()
        .map(|set| {
            let mut r: Vec<u32> = set.iter().filter_map(|h| rank.get(h).copied()).collect();
            r.sort_unstable();
            r
        })
        .collect();
    drop(rank);

    // 3. All pairs with prefix filtering, documents by increasing size.
    let mut order: Vec<u32> = (0..n as u32).filter(|&i| sizes[i as usize] > 0).collect();
    order.sort_by_key(|&i| (sizes[i as usize], i));
    let mut index: Vec<Vec<u32>> = vec![Vec::new(); n_shared];
    let mut hits: Vec<u32> = vec![0; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs: Vec<(u32, u32, f64)> = Vec::new();
    let eps = 1e-9;
    for &x in &order {
        let xs = sizes[x as usize];
        let need = (t * xs as f64 - eps).ceil() as usize;
        let prefix = xs + 1 - need.max(1);
        let unique = xs - docs[x as usize].len();
        let shared_prefix = prefix.saturating_sub(unique).min(docs[x as usize].len());
        let min_y = (t * xs as f64 - eps).ceil() as usize;
        for &tok in &docs[x as usize][..shared_prefix] {
            for &y in &index[tok as usize] {
                if sizes[y as usize] < min_y {
                    continue;
                }
                if hits[y as usize] == 0 {
                    touched.push(y);
                }
                hits[y as usize] += 1;
            }
        }
        for &y in &touched {
            hits[y as usize] = 0;
            let (a, b) = (&docs[x as usize], &docs[y as usize]);
            let (mut i, mut j, mut inter) = (0, 0, 0usize);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        inter += 1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            let union = xs + sizes[y as usize] - inter;
            let jac = inter as f64 / union as f64;
            if jac >= t - eps {
                pairs.push((x.min(y), x.max(y), jac));
            }
        }
        touched.clear();
        for &tok in &docs[x as usize][..shared_prefix] {
            index[tok as usize].push(x);
        }
    }
    pairs.sort_by_key(|p| (p.0, p.1));
    let t_pairs = start.elapsed().as_secs_f64();

    // 4. Output.
    if let Some(path) = &args.pairs {
        let mut w = BufWriter::new(File::create(path)?);
        for &(a, b, j) in &pairs {
            writeln!(w, "{}\t{}\t{j:.6}", ids[a as usize], ids[b as usize])?;
        }
        w.flush()?;
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for &(a, b, _) in &pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n];
    for i in 0..n as u32 {
        let r = find(&mut parent, i);
        groups[r as usize].push(i);
    }
    let mut n_clusters = 0;
    if let Some(path) = &args.clusters {
        let mut w = BufWriter::new(File::create(path)?);
        for g in groups.iter().filter(|g| g.len() >= 2) {
            let members: Vec<&str> = g.iter().map(|&i| ids[i as usize].as_str()).collect();
            serde_json::to_writer(
                &mut w,
                &serde_json::json!({"cluster": n_clusters, "members": members}),
            )?;
            w.write_all(b"\n")?;
            n_clusters += 1;
        }
        w.flush()?;
    }
    eprintln!(
        "thresh-jaccard: {n} documents, {} shared shingles, {} pairs >= {t}, {n_clusters} clusters; shingled in {t_shingle:.1}s, pairs in {:.1}s",
        n_shared,
        pairs.len(),
        t_pairs - t_shingle
    );
    Ok(())
}
