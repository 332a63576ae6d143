//! Progress on stderr: shown only to a person watching a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use thresh::progress::Progress;

/// A spinner counting documents, hidden when `quiet` or when stderr is not
/// a terminal (logs and pipes get no control characters).
pub struct Spinner {
    quiet: bool,
    bar: std::cell::RefCell<ProgressBar>,
}

impl Spinner {
    pub fn new(quiet: bool) -> Self {
        Spinner {
            quiet: quiet || !std::io::stderr().is_terminal(),
            bar: std::cell::RefCell::new(ProgressBar::hidden()),
        }
    }
}

impl Progress for Spinner {
    fn start(&self, stage: &'static str) {
        if self.quiet {
            return;
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg}: {human_pos} documents ({per_sec}, {elapsed})",
            )
            .expect("valid progress template"),
        );
        bar.set_message(stage);
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        *self.bar.borrow_mut() = bar;
    }

    fn documents(&self, documents: u64) {
        self.bar.borrow().set_position(documents);
    }

    fn finish(&self) {
        self.bar.borrow().finish_and_clear();
    }
}
