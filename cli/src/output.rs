//! Writing to the terminal and the process's exit status.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// The contract of DESIGN.md: 0 clean, 1 findings, 2 unreadable/unparsable input or misuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Clean,
    Findings,
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(match status {
            ExitStatus::Clean => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        })
    }
}

/// Writes to standard output. A closed pipe (`cfn-ward check | head`) is not an error worth a
/// panic or a message: the reader has what it wanted.
pub fn stdout(text: &str) {
    write_all(&mut std::io::stdout().lock(), text);
}

pub fn stderr(text: &str) {
    write_all(&mut std::io::stderr().lock(), text);
}

pub fn warn(message: &str) {
    stderr(&format!("warning: {message}\n"));
}

pub fn error(message: &str) {
    stderr(&format!("error: {message}\n"));
}

fn write_all(out: &mut impl Write, text: &str) {
    let result = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    if let Err(error) = result
        && error.kind() != ErrorKind::BrokenPipe
    {
        // Nothing sensible is left to write to; the exit status still tells the outcome.
        let _ = writeln!(std::io::stderr(), "error: cannot write output: {error}");
    }
}
