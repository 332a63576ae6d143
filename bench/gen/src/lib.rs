//! Support code for thresh's benchmark tools: a seeded PRNG for the corpus
//! generator and a shingler, written independently of the engine, for the
//! exact-Jaccard ground truth and the floor pass.

pub mod rng;
pub mod shingle;
