//! One analysis of one document's text: parsed once, linted, indexed. Every request about that
//! text (diagnostics, code actions, hover, navigation) reads the same analysis.

use std::sync::Arc;

use ward_core::navigation::Index;
use ward_core::{Config, Document, Report, SourceFile};

/// The configuration one document is linted with: its `ward.toml` with the client's settings
/// layered over it.
#[derive(Debug, Clone, Default)]
pub struct Effective {
    pub config: Config,
    pub enable: bool,
    pub docs_base_url: Option<String>,
}

/// Which text and which configuration an analysis belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The server's own count of the document's edits (client versions may restart on reopen).
    pub revision: u64,
    /// The configuration generation: bumped by every settings or `ward.toml` change.
    pub generation: u64,
    /// The client's version of the text, for `publishDiagnostics` and versioned edits.
    pub version: i32,
}

#[derive(Debug)]
pub struct Analysis {
    pub stamp: Stamp,
    pub document: Document,
    /// Empty (and not a template) when linting is off for the document.
    pub report: Report,
    /// `None` when the text is not a template that parses.
    pub index: Option<Arc<Index>>,
    pub settings: Arc<Effective>,
}

impl Analysis {
    /// Parses, lints (when `lint` and the settings enable it) and indexes. Never panics on any
    /// text by core's contract; callers still catch a panic, since a bug must not end the server.
    pub fn new(source: SourceFile, settings: Arc<Effective>, stamp: Stamp, lint: bool) -> Analysis {
        #[cfg(test)]
        crate::tests::maybe_panic(source.text());
        let document = Document::new(source);
        let report = if lint && settings.enable {
            document.lint(&settings.config)
        } else {
            Report::default()
        };
        let index = document
            .template()
            .map(|template| Arc::new(Index::new(&template, document.source())));
        Analysis {
            stamp,
            document,
            report,
            index,
            settings,
        }
    }

    pub fn file(&self) -> &SourceFile {
        self.document.source()
    }

    /// The `resultId` of pull diagnostics: changes with the text and the configuration.
    pub fn result_id(&self) -> String {
        format!("{}-{}", self.stamp.generation, self.stamp.revision)
    }
}
