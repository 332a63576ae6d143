//! How a pipeline tells its caller how far it has got. The library never
//! prints: a front end shows progress its own way (a spinner on a
//! terminal, a log line, nothing).

/// Receives progress reports; every method has a do-nothing default.
pub trait Progress {
    /// A stage has started (`"fingerprinting"`, `"writing"`, `"adding"`).
    fn start(&self, _stage: &'static str) {}
    /// `documents` documents of the current stage are done.
    fn documents(&self, _documents: u64) {}
    /// The current stage is over.
    fn finish(&self) {}
}

/// Reports nowhere.
pub struct Silent;

impl Progress for Silent {}
