//! The Python package's tests (`test.sh`: a virtual environment, the
//! package built with maturin, then pytest) as part of `cargo test`, so
//! that the README's one test command runs them too.

use std::process::Command;

#[test]
fn the_python_package_passes_its_pytest_suite() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/test.sh");
    let output = Command::new("bash")
        .arg(script)
        .output()
        .expect("bash runs crates/python/test.sh");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // pytest's summary (and its skip reasons, -ra) shows in the test log.
    println!("{stdout}");
    assert!(
        output.status.success(),
        "test.sh failed:\n{stdout}\n{stderr}"
    );
}
