//! Progress on stderr: shown only to a person watching a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner counting documents, hidden when `quiet` or when stderr is not
/// a terminal (logs and pipes get no control characters).
pub fn documents(quiet: bool, message: &'static str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg}: {human_pos} documents ({per_sec}, {elapsed})",
        )
        .expect("valid progress template"),
    );
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
