//! Ward's language server: the protocol adapter over `ward-core`.
//!
//! Diagnostics as you type (pushed, or pulled by clients that ask), quick fixes, suppressions and
//! fix-all as code actions, hover with the rule's remediation, and navigation over logical names.
//! Everything about CloudFormation is core's; this crate converts positions, keeps the open
//! documents and their configuration, and speaks LSP. `cfn-ward lsp` calls [`run_stdio`].
//! One custom request, `ward/ruleDocs`, answers a rule's documentation as Markdown.

mod actions;
mod analysis;
pub mod config_files;
mod diagnostics;
mod encoding;
mod hover;
mod navigation;
mod rule_docs;
mod server;
mod settings;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use actions::{FIX_ALL_KIND, FIX_ALL_TITLE};
pub use diagnostics::{SOURCE, SYNTAX_CODE};

/// How the client ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// `shutdown`, then `exit`.
    Clean,
    /// `exit` without `shutdown`, or the input closed: LSP asks for exit status 1.
    WithoutShutdown,
}

impl Exit {
    /// The process exit status LSP prescribes.
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::WithoutShutdown => 1,
        }
    }
}

/// Serves one client over `input` and `output` until it exits.
pub async fn serve<I, O>(input: I, output: O) -> Exit
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&shutdown);
    let (service, socket) = LspService::build(move |client| server::Backend::new(client, flag))
        .custom_method(rule_docs::METHOD, rule_docs::handle)
        .finish();
    Server::new(input, output, socket).serve(service).await;
    if shutdown.load(Ordering::SeqCst) {
        Exit::Clean
    } else {
        Exit::WithoutShutdown
    }
}

/// Serves LSP on standard input and output until the client exits. Blocks; builds its own
/// runtime. Nothing but the protocol is written to standard output.
pub fn run_stdio() -> std::io::Result<Exit> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("ward-lsp")
        .build()?;
    let exit = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Tokio reads stdin on a blocking thread that stays parked in read() while the client keeps
    // the pipe open after `exit`; do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(exit)
}
