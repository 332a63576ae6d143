//! Opening an index: format version and parameter checks.

use tempfile::TempDir;
use thresh_engine::dedup::DedupConfig;
use thresh_engine::lsh::LshParams;
use thresh_index::{Index, IndexError, RedbStore, Store};

#[test]
fn another_format_version_is_refused_clearly() {
    let dir = TempDir::new().unwrap();
    drop(Index::create(dir.path(), &DedupConfig::default()).unwrap());
    // Rewrite the header as a future thresh would.
    let store = RedbStore::open_writable(&dir.path().join("index.redb")).unwrap();
    let header = serde_json::json!({ "format_version": 999, "config": "whatever" });
    store
        .commit(vec![(b"H".to_vec(), serde_json::to_vec(&header).unwrap())])
        .unwrap();
    drop(store);
    let error = Index::open(dir.path()).err().expect("refused");
    assert!(matches!(
        error,
        IndexError::FormatVersion { found: 999, .. }
    ));
    assert_eq!(
        error.to_string(),
        "index format version 999 is not supported by this thresh (it reads version 2)"
    );
}

#[test]
fn other_parameters_are_refused_with_the_differences() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &DedupConfig::default()).unwrap();
    index.check_config(&DedupConfig::default()).unwrap();
    // The banding the defaults derive, given explicitly, is the same index.
    let explicit = DedupConfig {
        lsh: Some(DedupConfig::default().lsh_params()),
        ..DedupConfig::default()
    };
    index.check_config(&explicit).unwrap();
    let other = DedupConfig {
        ngram: 3,
        lsh: Some(LshParams { bands: 16, rows: 8 }),
        ..DedupConfig::default()
    };
    let message = index.check_config(&other).unwrap_err().to_string();
    assert_eq!(
        message,
        "parameters differ from the index's: ngram 3 (index: 5), bands × rows 16 × 8 (index: 20 × 6)"
    );
}

#[test]
fn missing_and_existing_indexes_are_explained() {
    let dir = TempDir::new().unwrap();
    let error = Index::open(&dir.path().join("nope")).err().unwrap();
    assert!(error.to_string().contains("not a thresh index"));
    drop(Index::create(dir.path(), &DedupConfig::default()).unwrap());
    let error = Index::create(dir.path(), &DedupConfig::default())
        .err()
        .unwrap();
    assert!(error.to_string().contains("an index already exists"));
    let bad = DedupConfig {
        threshold: 0.0,
        ..DedupConfig::default()
    };
    assert!(matches!(
        Index::create(&dir.path().join("x"), &bad),
        Err(IndexError::InvalidConfig(_))
    ));
}
