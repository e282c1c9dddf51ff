//! One analysis of one document's text: parsed once, linted, indexed. Every request about that
//! text (diagnostics, code actions, hover, navigation) reads the same analysis.

use std::sync::{Arc, OnceLock};

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
    /// The name index, built on first use: most keystrokes only need diagnostics.
    index: OnceLock<Option<Arc<Index>>>,
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
        Analysis {
            stamp,
            document,
            report,
            index: OnceLock::new(),
            settings,
        }
    }

    /// The names of the template; `None` when the text is not a template that parses.
    pub fn index(&self) -> Option<&Arc<Index>> {
        self.index
            .get_or_init(|| {
                self.document
                    .template()
                    .map(|template| Arc::new(Index::new(&template, self.document.source())))
            })
            .as_ref()
    }

    /// Whether the text parsed, so that its names can stand in while later text does not.
    pub fn parsed(&self) -> bool {
        self.document.parsed().root.is_some()
    }

    pub fn file(&self) -> &SourceFile {
        self.document.source()
    }

    /// The `resultId` of pull diagnostics: changes with the text and the configuration.
    pub fn result_id(&self) -> String {
        format!("{}-{}", self.stamp.generation, self.stamp.revision)
    }
}
