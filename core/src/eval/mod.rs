//! Abstract evaluation (stub being written).
use crate::config::Config;
use crate::template::Template;

pub struct Context<'t, 'a> {
    pub template: &'t Template<'a>,
    pub config: &'t Config,
}

impl<'t, 'a> Context<'t, 'a> {
    pub fn new(template: &'t Template<'a>, config: &'t Config) -> Self {
        Context { template, config }
    }
}
