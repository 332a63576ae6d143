//! `thresh serve`: the flags of the HTTP service (`thresh-serve`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// The index to serve (made by `thresh index add`), opened for writing.
    pub index_dir: PathBuf,
    /// Where to listen: loopback unless told otherwise.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// A file holding a token; every route but /healthz and the page at /
    /// then wants `Authorization: Bearer <token>` (401 without it).
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Largest request body, in MiB; larger ones get 413.
    #[arg(long, default_value_t = 32)]
    pub max_body_mib: usize,
    /// Most documents in one request; more get 413.
    #[arg(long, default_value_t = 10_000)]
    pub max_documents: usize,
    /// Seconds a request's body may take to arrive; a slower one gets 408.
    #[arg(long, default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Seconds a request's line and headers may take to arrive; the
    /// connection is closed after that (an idle one too).
    #[arg(long, default_value_t = 10)]
    pub header_timeout_secs: u64,
}

pub fn run(args: ServeArgs) -> Result<()> {
    let limits = thresh_serve::Limits {
        max_body_bytes: args.max_body_mib.saturating_mul(1 << 20),
        max_documents: args.max_documents,
        body_timeout: std::time::Duration::from_secs(args.body_timeout_secs),
        header_timeout: std::time::Duration::from_secs(args.header_timeout_secs),
    };
    let token = args.token_file.as_deref().map(read_token).transpose()?;
    thresh_serve::serve(&args.index_dir, args.addr, limits, token)
}

/// The token in `path`: its text without surrounding white space; an empty
/// one is refused rather than letting every request through.
fn read_token(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the token file {}", path.display()))?;
    let token = text.trim();
    if token.is_empty() {
        bail!("the token file {} is empty", path.display());
    }
    Ok(token.to_string())
}
