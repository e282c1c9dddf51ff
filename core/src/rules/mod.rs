//! The rule registry (stub being written).
use crate::config::Config;
use crate::diagnostic::{Finding, RuleMeta};
use crate::eval::Context;
use crate::source::SourceFile;

pub struct Rule {
    pub meta: RuleMeta,
}

pub fn all() -> &'static [Rule] {
    &[]
}

pub fn by_id(id: &str) -> Option<&'static Rule> {
    all().iter().find(|rule| rule.meta.id.eq_ignore_ascii_case(id))
}

pub fn run(_context: &Context<'_, '_>, _config: &Config, _file: &SourceFile) -> Vec<Finding> {
    Vec::new()
}
