//! Opening an index: format version, parameter checks, and headers written
//! by earlier versions.

use std::path::Path;

use tempfile::TempDir;
use thresh_engine::dedup::MatchConfig;
use thresh_engine::lsh::LshParams;
use thresh_index::{Index, IndexError, FORMAT_VERSION};

/// Replace the index's header (key `H` of the store's one table) with
/// `header`, as another version of thresh would have written it.
fn write_header(dir: &Path, header: &serde_json::Value) {
    let table = redb::TableDefinition::<&[u8], &[u8]>::new("thresh-index");
    let db = redb::Database::create(dir.join("index.redb")).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut table = txn.open_table(table).unwrap();
        let bytes = serde_json::to_vec(header).unwrap();
        table.insert(b"H".as_slice(), bytes.as_slice()).unwrap();
    }
    txn.commit().unwrap();
}

#[test]
fn another_format_version_is_refused_clearly() {
    let dir = TempDir::new().unwrap();
    drop(Index::create(dir.path(), &MatchConfig::default()).unwrap());
    write_header(
        dir.path(),
        &serde_json::json!({ "format_version": 999, "config": "whatever" }),
    );
    let error = Index::open(dir.path()).err().expect("refused");
    assert!(matches!(
        error,
        IndexError::FormatVersion { found: 999, .. }
    ));
    assert_eq!(
        error.to_string(),
        format!(
            "index format version 999 is not supported by this thresh (it reads version {FORMAT_VERSION}): build the index again from its inputs with this thresh"
        )
    );
}

#[test]
fn a_header_that_still_holds_verify_and_keep_opens() {
    // What thresh wrote before the header held a `MatchConfig`: the whole
    // dedup configuration, with the index's fixed policy.
    let dir = TempDir::new().unwrap();
    drop(Index::create(dir.path(), &MatchConfig::default()).unwrap());
    let old = serde_json::json!({
        "format_version": FORMAT_VERSION,
        "config": {
            "normalize": { "nfkc": true, "fold_punctuation": true, "lowercase": true },
            "ngram": 3,
            "num_perm": 64,
            "threshold": 0.8,
            "lsh": { "bands": 8, "rows": 8 },
            "scheme": "classic",
            "verify": "signature",
            "keep": "first",
            "near_duplicates": true,
            "seed": 7
        },
        "thresh_version": "0.1.0"
    });
    write_header(dir.path(), &old);
    let mut index = Index::open(dir.path()).unwrap();
    let expected = MatchConfig {
        ngram: 3,
        num_perm: 64,
        threshold: 0.8,
        lsh: Some(LshParams { bands: 8, rows: 8 }),
        scheme: thresh_engine::minhash::MinHashScheme::Classic,
        seed: 7,
        ..MatchConfig::default()
    };
    assert_eq!(index.config(), &expected);
    index.check_config(&expected).unwrap();
    index.check().unwrap();
}

#[test]
fn other_parameters_are_refused_with_the_differences() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    index.check_config(&MatchConfig::default()).unwrap();
    // The banding the defaults derive, given explicitly, is the same index.
    let explicit = MatchConfig {
        lsh: Some(MatchConfig::default().lsh_params()),
        ..MatchConfig::default()
    };
    index.check_config(&explicit).unwrap();
    let mut other = MatchConfig {
        ngram: 3,
        lsh: Some(LshParams { bands: 16, rows: 8 }),
        ..MatchConfig::default()
    };
    other.normalize.lowercase = false;
    let message = index.check_config(&other).unwrap_err().to_string();
    assert_eq!(
        message,
        "parameters differ from the index's: lsh.bands: index 20, given 16, \
         lsh.rows: index 6, given 8, ngram: index 5, given 3, \
         normalize.lowercase: index true, given false"
    );
}

#[test]
fn missing_and_existing_indexes_are_explained() {
    let dir = TempDir::new().unwrap();
    let error = Index::open(&dir.path().join("nope")).err().unwrap();
    assert!(error.to_string().contains("not a thresh index"));
    drop(Index::create(dir.path(), &MatchConfig::default()).unwrap());
    let error = Index::create(dir.path(), &MatchConfig::default())
        .err()
        .unwrap();
    assert!(error.to_string().contains("an index already exists"));
    let bad = MatchConfig {
        threshold: 0.0,
        ..MatchConfig::default()
    };
    assert!(matches!(
        Index::create(&dir.path().join("x"), &bad),
        Err(IndexError::InvalidConfig(_))
    ));
}
