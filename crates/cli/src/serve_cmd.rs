//! `thresh serve`: the flags of the HTTP service (`thresh-serve`).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

#[derive(Args)]
pub struct ServeArgs {
    /// The index to serve (made by `thresh index add`), opened for writing.
    pub index_dir: PathBuf,
    /// Where to listen. Loopback unless told otherwise: the service has no
    /// authentication of its own yet.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Largest request body, in MiB; larger ones get 413.
    #[arg(long, default_value_t = 32)]
    pub max_body_mib: usize,
    /// Most documents in one request; more get 413.
    #[arg(long, default_value_t = 10_000)]
    pub max_documents: usize,
}

pub fn run(args: ServeArgs) -> Result<()> {
    let limits = thresh_serve::Limits {
        max_body_bytes: args.max_body_mib.saturating_mul(1 << 20),
        max_documents: args.max_documents,
    };
    thresh_serve::serve(&args.index_dir, args.addr, limits)
}
