//! `cfn-ward`: the command line over Ward's core. It finds files and configuration, runs the
//! core in parallel and prints; everything about CloudFormation lives in `ward-core`. `lsp`
//! hands over to the language server in `ward-lsp`.

mod args;
mod check;
mod files;
mod output;
mod rules_cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::output::ExitStatus;

// Parsing and linting allocate many small, short-lived strings and vectors; mimalloc serves them
// markedly faster than glibc's allocator (measured with `bench/lsp/run` and `bench/run`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match &cli.command {
        Command::Check(args) => check::run(args).unwrap_or_else(|error| {
            output::error(&format!("{error:#}"));
            ExitStatus::Error
        }),
        Command::Rules(args) => rules_cmd::run(args),
        Command::Lsp(_) => {
            return match ward_lsp::run_stdio() {
                Ok(exit) => ExitCode::from(exit.code()),
                Err(error) => {
                    output::error(&format!("cannot start the language server: {error}"));
                    ExitStatus::Error.into()
                }
            };
        }
    };
    status.into()
}
