//! Text edits (stub being written).
use crate::diagnostic::Fix;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    pub applied: usize,
}

pub fn apply<'a>(text: &str, _fixes: impl IntoIterator<Item = &'a Fix>) -> FixOutcome {
    FixOutcome { text: text.to_string(), applied: 0 }
}
