//! Document-level deduplication: the pipeline from documents to clusters.
//!
//! [`Deduplicator`] takes documents in input order, batch by batch, and keeps
//! only their fingerprints (an exact 128-bit hash and the LSH band keys of
//! the MinHash signature; the signature itself only for verification on
//! signatures; the shingles for exact verification) plus the two facts the
//! keep policy needs (date and length). All of these wait in [`Stores`]
//! (shingles, band keys, facts) that a caller with a disk backs with
//! temporary files, so what memory holds for every document is a few bytes
//! (whether it has words; while clustering, its first copy and its set),
//! never its text.
//! [`Deduplicator::finish`] then:
//!
//! 1. groups exact duplicates (equal hash of the normalized text);
//! 2. finds near-duplicate candidates among the first copy of each exact
//!    group with LSH;
//! 3. verifies each candidate on the exact shingle sets, read back from a
//!    [`ShingleStore`] (or on the full signatures with [`Verify::Signature`]);
//! 4. clusters with union-find and picks each cluster's representative.
//!
//! Every step is deterministic: results depend on the input order only,
//! never on the number of threads.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use crate::cluster::{choose_representative, KeepFacts, KeepPolicy, UnionFind};
use crate::document::Document;
use crate::fact_store::{DocumentFacts, FactStore, MemoryFacts, NO_DATE};
use crate::lsh::{band_keys_into, candidate_pairs_from, BandKeyStore, LshParams, MemoryBandKeys};
use crate::minhash::{estimate_jaccard, MinHashScheme, MinHasher};
use crate::normalize::{NormalizeOptions, Normalizer};
use crate::shingle::{jaccard, shingle_hashes};
use crate::shingle_store::{into_set, stored_shingle, MemoryShingles, ShingleStore};

/// How candidate pairs are confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Verify {
    // The variants' docs are also the command line's help for them.
    /// Exact Jaccard of the shingle sets: every document's shingles (4 bytes
    /// a word) are kept until the candidates are known, in a temporary file
    /// from the command line
    #[default]
    Exact,
    /// Jaccard estimated from the signatures: nothing more to keep, but
    /// pairs near the threshold fall on the wrong side of it more often
    Signature,
}

/// Weights of the false-positive and false-negative mass when bands and rows
/// are derived from the threshold. Every candidate is verified, so a false
/// positive costs one signature comparison while a false negative is a
/// duplicate missed. Measured on the generated 10k corpus against exact
/// Jaccard (`python3 bench/sweep_defaults.py`): at threshold 0.7 and 128
/// permutations these weights give 20 × 6 and F1 0.981, where datasketch's
/// equal weights give 14 × 9 and F1 0.953, for 21 % more candidates.
pub const FALSE_POSITIVE_WEIGHT: f64 = 0.1;
pub const FALSE_NEGATIVE_WEIGHT: f64 = 0.9;

/// With exact verification a false candidate costs one look at two shingle
/// sets and never becomes a false match, so the derived banding makes a pair
/// exactly at the threshold a candidate with at least this probability,
/// with the fewest false candidates that allows (17 × 4 at threshold 0.7 and
/// 128 permutations). Measured with `bench/speed.py` against exact Jaccard:
/// generated 100k, F1 0.9984 with 20 × 6 and 0.9999 with 17 × 4 for 6 % more
/// candidates; the syndication corpus, 0.980 and 1.0.
pub const EXACT_VERIFICATION_RECALL: f64 = 0.99;

/// What fixes matching: which documents are fingerprinted alike, which
/// become candidates and what similarity makes them duplicates. A
/// persistent index stores this in its header, since every document in it
/// must be matched the same way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchConfig {
    pub normalize: NormalizeOptions,
    /// Words per shingle.
    pub ngram: usize,
    /// Signature length.
    pub num_perm: usize,
    /// Jaccard similarity at or above which two documents are near duplicates.
    pub threshold: f64,
    /// Explicit bands and rows; `None` derives them from the threshold.
    pub lsh: Option<LshParams>,
    pub scheme: MinHashScheme,
    /// Look for near duplicates at all (exact duplicates are always found).
    pub near_duplicates: bool,
    pub seed: u64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            normalize: NormalizeOptions::default(),
            ngram: 5,
            num_perm: 128,
            threshold: 0.7,
            lsh: None,
            scheme: MinHashScheme::OnePermutation,
            near_duplicates: true,
            seed: 42,
        }
    }
}

impl MatchConfig {
    /// The banding for verification on signatures (the persistent index's,
    /// and `dedup --verify signature`'s): the explicit one, or the one that
    /// minimises false positives plus false negatives around the threshold,
    /// weighted [`FALSE_POSITIVE_WEIGHT`] to [`FALSE_NEGATIVE_WEIGHT`].
    /// `dedup` asks [`DedupConfig::lsh_params`], which knows the verification.
    pub fn lsh_params(&self) -> LshParams {
        self.lsh.unwrap_or_else(|| {
            LshParams::optimal_weighted(
                self.threshold,
                self.num_perm,
                FALSE_POSITIVE_WEIGHT,
                FALSE_NEGATIVE_WEIGHT,
            )
        })
    }

    /// The same configuration with the banding in force written out, so
    /// that it matches the same way whatever a later version derives from
    /// the threshold (what an index stores), and so that a derived banding
    /// compares equal to the same banding given explicitly.
    pub fn with_lsh_resolved(&self) -> MatchConfig {
        MatchConfig {
            lsh: Some(self.lsh_params()),
            ..self.clone()
        }
    }

    /// Check the settings, with a message a user can act on.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=crate::shingle::MAX_NGRAM).contains(&self.ngram) {
            return Err(format!(
                "ngram must be between 1 and {}",
                crate::shingle::MAX_NGRAM
            ));
        }
        if !(1..=crate::minhash::MAX_PERM).contains(&self.num_perm) {
            return Err(format!(
                "num-perm must be between 1 and {}",
                crate::minhash::MAX_PERM
            ));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err("threshold must be greater than 0 and at most 1".into());
        }
        if let Some(lsh) = self.lsh {
            if lsh.bands == 0 || lsh.rows == 0 || lsh.width() > self.num_perm {
                return Err(format!(
                    "bands × rows ({} × {}) must be at least 1 and at most num-perm ({})",
                    lsh.bands, lsh.rows, self.num_perm
                ));
            }
        }
        Ok(())
    }
}

/// Everything that decides what `thresh dedup` keeps: how documents match,
/// how candidates are confirmed and which copy of a cluster is kept. Two
/// runs with equal configurations over the same input give the same result.
///
/// Serialized flat (the matching fields beside `verify` and `keep`), the
/// shape it has always had.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DedupConfig {
    #[serde(flatten)]
    pub matching: MatchConfig,
    pub verify: Verify,
    pub keep: KeepPolicy,
}

impl DedupConfig {
    /// The banding in force: the explicit one, else the one derived for the
    /// verification: [`EXACT_VERIFICATION_RECALL`] at the threshold for
    /// exact verification, [`MatchConfig::lsh_params`] on signatures.
    pub fn lsh_params(&self) -> LshParams {
        let matching = &self.matching;
        match (matching.lsh, self.verify) {
            (Some(lsh), _) => lsh,
            (None, Verify::Exact) => LshParams::with_recall(
                matching.threshold,
                matching.num_perm,
                EXACT_VERIFICATION_RECALL,
            ),
            (None, Verify::Signature) => matching.lsh_params(),
        }
    }
}

/// The fingerprints of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Fingerprint {
    /// xxh3-128 of the normalized text.
    pub exact: u128,
    pub signature: Vec<u32>,
    /// Number of shingles (with repeats); 0 means the text has no words.
    pub shingles: usize,
}

/// Turns text into fingerprints; shareable across threads.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    normalizer: Normalizer,
    hasher: MinHasher,
    ngram: usize,
}

thread_local! {
    /// Per-thread scratch: the normalized text and its shingle hashes, reused
    /// for every document so fingerprinting allocates nothing per document.
    static SCRATCH: RefCell<(String, Vec<u64>)> = const { RefCell::new((String::new(), Vec::new())) };
}

impl Fingerprinter {
    pub fn new(config: &MatchConfig) -> Self {
        Fingerprinter {
            normalizer: Normalizer::new(config.normalize),
            hasher: MinHasher::new(config.scheme, config.num_perm, config.seed),
            ngram: config.ngram,
        }
    }

    /// Fingerprint `text`, writing its signature into `signature`; returns
    /// the exact hash and the shingle count. When `keep_shingles` is given
    /// it receives the shingles as a [`ShingleStore`] keeps them.
    pub fn fingerprint_into(
        &self,
        text: &str,
        signature: &mut [u32],
        keep_shingles: Option<&mut Vec<u32>>,
    ) -> (u128, usize) {
        SCRATCH.with(|scratch| {
            let (normalized, shingles) = &mut *scratch.borrow_mut();
            self.normalizer.normalize_into(text, normalized);
            shingles.clear();
            shingle_hashes(normalized, self.ngram, shingles);
            self.hasher.signature_into(shingles, signature);
            if let Some(out) = keep_shingles {
                out.clear();
                out.extend(shingles.iter().map(|&hash| stored_shingle(hash)));
            }
            (xxh3_128(normalized.as_bytes()), shingles.len())
        })
    }

    /// Fingerprint `text` into a new [`Fingerprint`].
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        let mut signature = vec![0; self.hasher.num_perm()];
        let (exact, shingles) = self.fingerprint_into(text, &mut signature, None);
        Fingerprint {
            exact,
            signature,
            shingles,
        }
    }
}

/// How a removed document relates to its cluster's representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// Same normalized text.
    Exact,
    /// Similar enough shingle sets.
    Near,
}

/// A removed document and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// Index of the document in input order.
    pub doc: u32,
    /// Jaccard similarity to the representative: estimated from the
    /// signatures, exact with [`Verify::Exact`], 1.0 for exact copies.
    pub similarity: f64,
    pub kind: MatchKind,
}

/// A group of documents of which one (the representative) is kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub representative: u32,
    /// The other documents of the cluster, in input order.
    pub members: Vec<Member>,
}

/// Wall-clock time spent in each stage of [`Deduplicator`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StageTimes {
    pub fingerprint: Duration,
    pub candidates: Duration,
    pub verify: Duration,
    pub cluster: Duration,
}

/// What [`Deduplicator::finish`] decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupOutcome {
    /// Clusters of two or more documents, ordered by their first member.
    pub clusters: Vec<Cluster>,
    /// For each document in input order: is it kept?
    pub kept: Vec<bool>,
    pub exact_duplicates: usize,
    pub near_duplicates: usize,
    /// LSH candidate pairs, and those that passed verification.
    pub candidate_pairs: usize,
    pub verified_pairs: usize,
    pub lsh: LshParams,
    pub times: StageTimes,
}

impl DedupOutcome {
    /// The outcome that keeps all `documents`: for runs that match no
    /// documents (paragraph-level deduplication alone).
    pub fn keep_all(documents: usize, lsh: LshParams) -> Self {
        DedupOutcome {
            clusters: Vec::new(),
            kept: vec![true; documents],
            exact_duplicates: 0,
            near_duplicates: 0,
            candidate_pairs: 0,
            verified_pairs: 0,
            lsh,
            times: StageTimes::default(),
        }
    }

    pub fn kept_count(&self) -> usize {
        self.kept.iter().filter(|&&k| k).count()
    }
}

/// Where a [`Deduplicator`] keeps what it remembers of every document
/// until [`Deduplicator::finish`]. [`Stores::default`] keeps all of it in
/// memory.
pub struct Stores {
    /// Every document's shingles, for exact verification.
    pub shingles: Box<dyn ShingleStore>,
    /// `bands` keys a document.
    pub band_keys: Box<dyn BandKeyStore>,
    /// Exact hash, length and date number.
    pub facts: Box<dyn FactStore>,
}

impl Default for Stores {
    fn default() -> Self {
        Stores {
            shingles: Box::new(MemoryShingles::default()),
            band_keys: Box::new(MemoryBandKeys::default()),
            facts: Box::new(MemoryFacts::default()),
        }
    }
}

/// Accumulates fingerprints of documents in input order, then clusters them.
pub struct Deduplicator {
    config: DedupConfig,
    lsh: LshParams,
    fingerprinter: Fingerprinter,
    /// Documents added so far.
    documents: usize,
    /// `num_perm` values per document, with [`Verify::Signature`] only.
    signatures: Vec<u32>,
    /// `lsh.bands` keys per document.
    band_keys: Box<dyn BandKeyStore>,
    has_words: Vec<bool>,
    /// Every document's shingles, with [`Verify::Exact`].
    shingles: Option<Box<dyn ShingleStore>>,
    /// Each document's exact hash, length and date (as a number in
    /// `dates`: a crawl's dates repeat, so each is kept once).
    facts: Box<dyn FactStore>,
    dates: Dates,
    /// The last batch added, fingerprinted but not yet in the stores.
    unwritten: Option<Fingerprinted>,
    fingerprint_time: Duration,
}

/// What fingerprinting a batch gives, on its way to the stores.
struct Fingerprinted {
    band_keys: Vec<u64>,
    /// Each document's shingles, with [`Verify::Exact`].
    sets: Vec<Vec<u32>>,
    exact_and_shingles: Vec<(u128, usize)>,
    lengths: Vec<u64>,
    /// Numbers in [`Dates`].
    dates: Vec<u32>,
}

/// The stores a batch's fingerprints go to, borrowed from a
/// [`Deduplicator`] apart from what fingerprinting reads.
struct BatchWriter<'a> {
    near_duplicates: bool,
    bands: usize,
    shingles: &'a mut Option<Box<dyn ShingleStore>>,
    band_keys: &'a mut Box<dyn BandKeyStore>,
    facts: &'a mut Box<dyn FactStore>,
    has_words: &'a mut Vec<bool>,
}

impl BatchWriter<'_> {
    fn write(&mut self, batch: Fingerprinted) -> io::Result<()> {
        if let Some(store) = self.shingles.as_mut() {
            for set in &batch.sets {
                store.append(set)?;
            }
        }
        // Band keys serve only to find near-duplicate candidates.
        if self.near_duplicates {
            self.band_keys.append(&batch.band_keys, self.bands)?;
        }
        let mut kept = Vec::with_capacity(batch.lengths.len());
        for (i, &(exact, shingles)) in batch.exact_and_shingles.iter().enumerate() {
            self.has_words.push(shingles > 0);
            kept.push(DocumentFacts {
                exact,
                length: batch.lengths[i],
                date: batch.dates[i],
            });
        }
        self.facts.append(&kept)
    }
}

impl Deduplicator {
    /// A deduplicator for `config` that keeps everything in memory; call
    /// [`MatchConfig::validate`] first for a friendly error (invalid
    /// settings panic here).
    pub fn new(config: DedupConfig) -> Self {
        Self::with_stores(config, Stores::default())
    }

    /// A deduplicator that keeps what it remembers of each document in
    /// `stores` (the shingles only for exact verification).
    pub fn with_stores(config: DedupConfig, stores: Stores) -> Self {
        let Stores {
            shingles,
            band_keys,
            facts,
        } = stores;
        if let Err(message) = config.matching.validate() {
            panic!("invalid dedup configuration: {message}");
        }
        let lsh = config.lsh_params();
        // Shingles serve only to verify near-duplicate candidates.
        let verifies_exactly = config.verify == Verify::Exact && config.matching.near_duplicates;
        let shingles = verifies_exactly.then_some(shingles);
        Deduplicator {
            fingerprinter: Fingerprinter::new(&config.matching),
            lsh,
            config,
            documents: 0,
            signatures: Vec::new(),
            band_keys,
            has_words: Vec::new(),
            shingles,
            facts,
            dates: Dates::default(),
            unwritten: None,
            fingerprint_time: Duration::ZERO,
        }
    }

    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Number of documents added so far.
    pub fn len(&self) -> usize {
        self.documents
    }

    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// Add a batch of documents (fingerprinted in parallel); they take the
    /// next indices in order. Fails only when a store does, and the
    /// deduplicator is then of no further use.
    pub fn add_documents(&mut self, documents: &[Document]) -> io::Result<()> {
        let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
        let dates: Vec<Option<&str>> = documents.iter().map(|d| d.date.as_deref()).collect();
        self.add_texts(&texts, &dates)
    }

    /// Add a batch given as texts and dates (same length).
    ///
    /// The batch is fingerprinted on every core while what the previous
    /// batch gave is written to the stores beside it, so no core waits on
    /// the writing; [`Deduplicator::finish`] writes the last batch.
    pub fn add_texts(&mut self, texts: &[&str], dates: &[Option<&str>]) -> io::Result<()> {
        assert_eq!(texts.len(), dates.len());
        let started = Instant::now();
        let start = self.documents;
        let (k, bands) = (self.config.matching.num_perm, self.lsh.bands);
        let keep_sets = self.shingles.is_some();
        // Once its band keys are made a signature serves only verification
        // on signatures, so only then is it kept: 512 bytes a document at 128
        // permutations.
        let keep_signatures =
            self.config.verify == Verify::Signature && self.config.matching.near_duplicates;
        let mut batch = Fingerprinted {
            band_keys: vec![0u64; texts.len() * bands],
            // Empty vectors do not allocate, so this costs nothing without
            // exact verification.
            sets: vec![Vec::new(); texts.len()],
            exact_and_shingles: vec![(0u128, 0usize); texts.len()],
            lengths: texts.iter().map(|t| t.len() as u64).collect(),
            dates: dates.iter().map(|&d| self.dates.number(d)).collect(),
        };
        let mut batch_signatures = Vec::new();
        let signatures = if keep_signatures {
            self.signatures.resize((start + texts.len()) * k, 0);
            &mut self.signatures[start * k..]
        } else {
            batch_signatures.resize(texts.len() * k, 0);
            &mut batch_signatures[..]
        };
        let fingerprinter = &self.fingerprinter;
        let lsh = self.lsh;
        let fingerprint = || {
            signatures
                .par_chunks_mut(k)
                .zip(batch.band_keys.par_chunks_mut(bands))
                .zip(
                    batch
                        .exact_and_shingles
                        .par_iter_mut()
                        .zip(batch.sets.par_iter_mut()),
                )
                .enumerate()
                .for_each(|(i, ((signature, keys), (fact, set)))| {
                    let set = if keep_sets { Some(set) } else { None };
                    *fact = fingerprinter.fingerprint_into(texts[i], signature, set);
                    band_keys_into(signature, lsh, keys);
                });
        };
        let previous = self.unwritten.take();
        let mut writer = BatchWriter {
            near_duplicates: self.config.matching.near_duplicates,
            bands,
            shingles: &mut self.shingles,
            band_keys: &mut self.band_keys,
            facts: &mut self.facts,
            has_words: &mut self.has_words,
        };
        let ((), written) = rayon::join(fingerprint, || match previous {
            Some(previous) => writer.write(previous),
            None => Ok(()),
        });
        written?;
        self.unwritten = Some(batch);
        self.documents += texts.len();
        self.fingerprint_time += started.elapsed();
        Ok(())
    }

    /// Writes the last batch's fingerprints to the stores.
    fn write_unwritten(&mut self) -> io::Result<()> {
        let Some(batch) = self.unwritten.take() else {
            return Ok(());
        };
        BatchWriter {
            near_duplicates: self.config.matching.near_duplicates,
            bands: self.lsh.bands,
            shingles: &mut self.shingles,
            band_keys: &mut self.band_keys,
            facts: &mut self.facts,
            has_words: &mut self.has_words,
        }
        .write(batch)
    }

    /// Match, verify and cluster everything added. Fails only when a store
    /// does.
    pub fn finish(mut self) -> io::Result<DedupOutcome> {
        self.write_unwritten()?;
        if let Some(store) = self.shingles.as_mut() {
            store.seal()?;
        }
        self.band_keys.seal()?;
        self.facts.seal()?;
        let n = self.len();
        let mut times = StageTimes {
            fingerprint: self.fingerprint_time,
            ..StageTimes::default()
        };
        let first_copy = self.facts.first_copies()?;

        let started = Instant::now();
        let pairs = if self.config.matching.near_duplicates {
            let participates: Vec<bool> = (0..n)
                .map(|d| self.has_words[d] && first_copy[d] == d as u32)
                .collect();
            candidate_pairs_from(self.band_keys.as_ref(), self.lsh.bands, &participates)?
        } else {
            Vec::new()
        };
        times.candidates = started.elapsed();

        let started = Instant::now();
        let threshold = self.config.matching.threshold;
        let verified: Vec<(u32, u32, f64)> = match &self.shingles {
            Some(store) => verify_exact(store.as_ref(), &pairs, threshold)?,
            None => pairs
                .par_iter()
                .map(|&(a, b)| (a, b, self.signature_similarity(a, b)))
                .filter(|&(_, _, similarity)| similarity >= threshold)
                .collect(),
        };
        times.verify = started.elapsed();
        // Lists as long as the duplicates are many go as soon as they have
        // served: at a hundred million documents they take gigabytes.
        let (candidate_pairs, verified_pairs) = (pairs.len(), verified.len());
        drop(pairs);

        let started = Instant::now();
        let mut sets = UnionFind::new(n);
        for (d, &first) in first_copy.iter().enumerate() {
            sets.union(first, d as u32);
        }
        for &(a, b, _) in &verified {
            sets.union(a, b);
        }
        // Most members of a cluster were verified against its
        // representative; their similarity is not measured twice.
        let known = VerifiedPairs::new(verified);
        let groups = sets.groups();
        drop(sets);
        let facts = self.clustered_facts(&groups)?;
        let clusters: Vec<Cluster> = groups
            .into_par_iter()
            .map(|group| self.cluster_of(&group, &first_copy, &known, &facts))
            .collect::<io::Result<_>>()?;
        let mut kept = vec![true; n];
        let (mut exact_duplicates, mut near_duplicates) = (0, 0);
        for member in clusters.iter().flat_map(|c| &c.members) {
            kept[member.doc as usize] = false;
            match member.kind {
                MatchKind::Exact => exact_duplicates += 1,
                MatchKind::Near => near_duplicates += 1,
            }
        }
        times.cluster = started.elapsed();

        Ok(DedupOutcome {
            clusters,
            kept,
            exact_duplicates,
            near_duplicates,
            candidate_pairs,
            verified_pairs,
            lsh: self.lsh,
            times,
        })
    }

    /// The keep policy's facts of every document of `groups`, read in one
    /// pass in document order (none for [`KeepPolicy::First`], which needs
    /// none).
    fn clustered_facts(&self, groups: &[Vec<u32>]) -> io::Result<ClusteredFacts<'_>> {
        let mut docs: Vec<u32> = match self.config.keep {
            KeepPolicy::First => Vec::new(),
            _ => groups.iter().flatten().copied().collect(),
        };
        docs.sort_unstable();
        Ok(ClusteredFacts {
            facts: self.facts.keep_facts_of(&docs)?,
            docs,
            dates: &self.dates,
        })
    }

    /// Jaccard similarity estimated from the two signatures.
    fn signature_similarity(&self, a: u32, b: u32) -> f64 {
        let k = self.config.matching.num_perm;
        let (a, b) = (a as usize * k, b as usize * k);
        estimate_jaccard(&self.signatures[a..a + k], &self.signatures[b..b + k])
    }

    /// The cluster of `group`: its representative, and each other member
    /// with its similarity to the representative as the configuration
    /// measures it: from `known` (verified pairs of first copies) when the
    /// pair was verified, else measured (the representative's set read once).
    fn cluster_of(
        &self,
        group: &[u32],
        first_copy: &[u32],
        known: &VerifiedPairs,
        facts: &ClusteredFacts,
    ) -> io::Result<Cluster> {
        let representative = match self.config.keep {
            // Only the order matters: no fact need be read.
            KeepPolicy::First => group[0],
            policy => choose_representative(group, policy, facts),
        };
        let copy_of_representative =
            |doc: u32| first_copy[doc as usize] == first_copy[representative as usize];
        let known_similarity = |doc: u32| {
            let (a, b) = (
                first_copy[doc as usize],
                first_copy[representative as usize],
            );
            known.similarity(a.min(b), a.max(b))
        };
        // Read once, when the first member needs it.
        let mut representative_set: Option<Vec<u32>> = None;
        let mut members = Vec::with_capacity(group.len() - 1);
        for &doc in group.iter().filter(|&&doc| doc != representative) {
            if copy_of_representative(doc) {
                members.push(Member {
                    doc,
                    similarity: 1.0,
                    kind: MatchKind::Exact,
                });
                continue;
            }
            let similarity = match (known_similarity(doc), &self.shingles) {
                (Some(similarity), _) => similarity,
                (None, Some(store)) => {
                    let set = match &mut representative_set {
                        Some(set) => set,
                        unread => unread.insert(read_set(store.as_ref(), representative)?),
                    };
                    jaccard(set, &read_set(store.as_ref(), doc)?)
                }
                (None, None) => self.signature_similarity(doc, representative),
            };
            members.push(Member {
                doc,
                similarity,
                kind: MatchKind::Near,
            });
        }
        Ok(Cluster {
            representative,
            members,
        })
    }
}

/// The keep policy's facts of every clustered document (sorted), read
/// from the store once.
struct ClusteredFacts<'a> {
    docs: Vec<u32>,
    /// Length and date number of each document, in the same order.
    facts: Vec<(u64, u32)>,
    dates: &'a Dates,
}

impl ClusteredFacts<'_> {
    fn of(&self, doc: u32) -> (u64, u32) {
        let at = self
            .docs
            .binary_search(&doc)
            .expect("the keep policy asks about clustered documents");
        self.facts[at]
    }
}

impl KeepFacts for ClusteredFacts<'_> {
    fn date(&self, doc: u32) -> Option<&str> {
        self.dates.name(self.of(doc).1)
    }

    fn length(&self, doc: u32) -> u64 {
        self.of(doc).0
    }
}

/// The pairs that passed verification with their similarity, sorted, so
/// that a pair's similarity is found by binary search (no second copy of
/// them in a hash map).
struct VerifiedPairs(Vec<(u32, u32, f64)>);

impl VerifiedPairs {
    /// `pairs` as verification gives them: in the order of the candidate
    /// pairs, which is sorted.
    fn new(pairs: Vec<(u32, u32, f64)>) -> Self {
        debug_assert!(pairs.is_sorted_by(|x, y| (x.0, x.1) < (y.0, y.1)));
        VerifiedPairs(pairs)
    }

    /// The similarity of the verified pair `(a, b)`, `a < b`.
    fn similarity(&self, a: u32, b: u32) -> Option<f64> {
        let at = self
            .0
            .binary_search_by(|&(x, y, _)| (x, y).cmp(&(a, b)))
            .ok()?;
        Some(self.0[at].2)
    }
}

/// The distinct dates of a run, each kept once and numbered.
#[derive(Debug, Default)]
struct Dates {
    names: Vec<String>,
    /// foldhash: SipHash's resistance to chosen keys buys nothing here and
    /// cost a measurable share of a run (one look-up per document).
    numbers: HashMap<String, u32, foldhash::fast::FixedState>,
}

impl Dates {
    /// The number of `date`, given one if it is new; [`NO_DATE`] for none.
    fn number(&mut self, date: Option<&str>) -> u32 {
        let Some(date) = date else {
            return NO_DATE;
        };
        if let Some(&number) = self.numbers.get(date) {
            return number;
        }
        let number = self.names.len() as u32;
        self.names.push(date.to_owned());
        self.numbers.insert(date.to_owned(), number);
        number
    }

    fn name(&self, number: u32) -> Option<&str> {
        self.names.get(number as usize).map(String::as_str)
    }
}

/// Document `doc`'s shingle set, read back from `store`.
fn read_set(store: &dyn ShingleStore, doc: u32) -> io::Result<Vec<u32>> {
    let mut set = Vec::new();
    store.read(doc, &mut set)?;
    into_set(&mut set);
    Ok(set)
}

/// The candidate pairs whose exact Jaccard reaches `threshold`, each with
/// its similarity. Pairs come sorted by their first document, so each first
/// document's set is read once for all its partners.
fn verify_exact(
    store: &dyn ShingleStore,
    pairs: &[(u32, u32)],
    threshold: f64,
) -> io::Result<Vec<(u32, u32, f64)>> {
    let groups: Vec<&[(u32, u32)]> = pairs.chunk_by(|x, y| x.0 == y.0).collect();
    let verified = groups
        .par_iter()
        .map(|group| {
            let first = read_set(store, group[0].0)?;
            let mut other = Vec::new();
            let mut kept = Vec::new();
            for &(a, b) in *group {
                store.read(b, &mut other)?;
                into_set(&mut other);
                let similarity = jaccard(&first, &other);
                if similarity >= threshold {
                    kept.push((a, b, similarity));
                }
            }
            Ok(kept)
        })
        .collect::<io::Result<Vec<Vec<(u32, u32, f64)>>>>()?;
    Ok(verified.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(config: DedupConfig, texts: &[&str]) -> DedupOutcome {
        let mut dedup = Deduplicator::new(config);
        dedup.add_texts(texts, &vec![None; texts.len()]).unwrap();
        dedup.finish().unwrap()
    }

    const STORY: &str = "Russia unleashed an overnight drone attack on the Ukrainian capital \
        Kyiv that lasted into late morning and wounded at least one person, city officials \
        said on Saturday. Debris from downed drones struck six city districts, wounding a \
        police officer, damaging residential buildings and starting fires.";

    #[test]
    fn exact_copies_after_normalization_cluster_together() {
        let curly = STORY.replace("'", "\u{2019}").to_uppercase();
        let outcome = run(
            DedupConfig::default(),
            &[STORY, "something else entirely", &curly],
        );
        assert_eq!(outcome.kept, vec![true, true, false]);
        assert_eq!(outcome.exact_duplicates, 1);
        assert_eq!(outcome.clusters.len(), 1);
        assert_eq!(outcome.clusters[0].members[0].kind, MatchKind::Exact);
    }

    #[test]
    fn an_edited_copy_is_a_near_duplicate() {
        let edited = STORY.replace("six city districts", "seven city districts");
        let outcome = run(DedupConfig::default(), &[STORY, &edited]);
        assert_eq!(outcome.kept, vec![true, false]);
        assert_eq!(outcome.near_duplicates, 1);
        let member = &outcome.clusters[0].members[0];
        assert_eq!(member.kind, MatchKind::Near);
        assert!(member.similarity > 0.7 && member.similarity < 1.0);
    }

    #[test]
    fn exact_verification_reports_true_jaccard() {
        let edited = STORY.replace("six city districts", "seven city districts");
        let config = DedupConfig {
            verify: Verify::Exact,
            ..DedupConfig::default()
        };
        let outcome = run(config, &[STORY, &edited]);
        let normalizer = Normalizer::default();
        let truth = jaccard(
            &crate::shingle::shingle_set(&normalizer.normalize(STORY), 5),
            &crate::shingle::shingle_set(&normalizer.normalize(&edited), 5),
        );
        assert_eq!(outcome.clusters[0].members[0].similarity, truth);
    }

    /// Variants of a few stories: each a copy with some words replaced,
    /// drawn from a fixed sequence so the corpus is the same every run.
    fn edited_variants(stories: usize, copies: usize) -> Vec<String> {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut texts = Vec::new();
        for story in 0..stories {
            let words: Vec<String> = (0..80).map(|w| format!("s{story}w{w}")).collect();
            for _ in 0..copies {
                let mut copy = words.clone();
                for _ in 0..next(6) {
                    let at = next(copy.len());
                    copy[at] = format!("edit{}", next(1000));
                }
                texts.push(copy.join(" "));
            }
        }
        texts
    }

    /// Groups of documents joined by pairs at or above `threshold` in
    /// brute-force exact Jaccard, as sorted lists of two or more.
    fn brute_force_groups(texts: &[String], threshold: f64) -> Vec<Vec<u32>> {
        let normalizer = Normalizer::default();
        let sets: Vec<Vec<u64>> = texts
            .iter()
            .map(|t| crate::shingle::shingle_set(&normalizer.normalize(t), 5))
            .collect();
        let mut union = UnionFind::new(texts.len());
        for a in 0..texts.len() {
            for b in a + 1..texts.len() {
                if jaccard(&sets[a], &sets[b]) >= threshold {
                    union.union(a as u32, b as u32);
                }
            }
        }
        union.groups()
    }

    #[test]
    fn exact_verification_finds_the_brute_force_clusters() {
        let texts = edited_variants(6, 8);
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // One row per band: every pair sharing a single MinHash value is a
        // candidate, so verification alone decides.
        let config = DedupConfig {
            matching: MatchConfig {
                threshold: 0.8,
                lsh: Some(LshParams {
                    bands: 128,
                    rows: 1,
                }),
                ..MatchConfig::default()
            },
            ..DedupConfig::default()
        };
        let outcome = run(config, &refs);
        let mut found: Vec<Vec<u32>> = outcome
            .clusters
            .iter()
            .map(|c| {
                let mut group: Vec<u32> = c.members.iter().map(|m| m.doc).collect();
                group.push(c.representative);
                group.sort_unstable();
                group
            })
            .collect();
        found.sort();
        let mut truth = brute_force_groups(&texts, 0.8);
        truth.sort();
        assert!(truth.len() > 3, "the corpus must have several groups");
        assert_eq!(found, truth);
    }

    #[test]
    fn near_detection_can_be_switched_off() {
        let edited = STORY.replace("six city districts", "seven city districts");
        let config = DedupConfig {
            matching: MatchConfig {
                near_duplicates: false,
                ..MatchConfig::default()
            },
            ..DedupConfig::default()
        };
        let outcome = run(config, &[STORY, &edited]);
        assert_eq!(outcome.kept, vec![true, true]);
    }

    #[test]
    fn wordless_documents_are_not_near_duplicates_of_each_other() {
        let outcome = run(DedupConfig::default(), &["...", "!!!", "?"]);
        assert!(outcome.clusters.is_empty());
    }

    #[test]
    fn keep_policy_uses_dates() {
        let edited = STORY.replace("six city districts", "seven city districts");
        let mut dedup = Deduplicator::new(DedupConfig::default());
        dedup
            .add_texts(&[STORY, &edited], &[Some("2024-11-03"), Some("2024-11-01")])
            .unwrap();
        let outcome = dedup.finish().unwrap();
        assert_eq!(outcome.kept, vec![false, true]);
        assert_eq!(outcome.clusters[0].representative, 1);
    }

    #[test]
    fn a_dedup_config_serializes_flat_and_round_trips() {
        let config = DedupConfig {
            keep: KeepPolicy::Longest,
            ..DedupConfig::default()
        };
        let value = serde_json::to_value(&config).unwrap();
        assert_eq!(value["ngram"], 5);
        assert_eq!(value["keep"], "longest");
        assert_eq!(
            serde_json::from_value::<DedupConfig>(value).unwrap(),
            config
        );
    }

    #[test]
    fn a_resolved_banding_is_the_derived_one_made_explicit() {
        let config = MatchConfig::default();
        let resolved = config.with_lsh_resolved();
        assert_eq!(resolved.lsh, Some(config.lsh_params()));
        assert_eq!(resolved.lsh_params(), config.lsh_params());
        assert_eq!(resolved.with_lsh_resolved(), resolved);
    }

    #[test]
    fn invalid_settings_are_explained() {
        let config = MatchConfig {
            lsh: Some(LshParams {
                bands: 20,
                rows: 10,
            }),
            ..MatchConfig::default()
        };
        assert!(config.validate().unwrap_err().contains("num-perm"));
        let config = MatchConfig {
            threshold: 0.0,
            ..MatchConfig::default()
        };
        assert!(config.validate().is_err());
    }
}
