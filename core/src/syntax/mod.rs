//! Text to [`Node`] tree, for YAML and JSON, with byte spans and positioned errors.

mod json;
pub mod tree;
mod yaml;

pub use tree::{Entry, Node, NodeKind, Scalar, ScalarStyle, Syntax};

use crate::source::{Format, SourceFile, Span};

/// The deepest nesting accepted. CloudFormation templates rarely pass 20 levels; the bound keeps
/// every walk over the tree (and its drop) shallow on a 1 MiB stack.
pub const MAX_DEPTH: usize = 100;

/// The largest template accepted, in bytes. CloudFormation itself stops at 1 MB (S3) or 51,200
/// bytes (inline); the margin leaves room for generated and pre-processed templates.
pub const MAX_SIZE: usize = 32 * 1024 * 1024;

/// A problem found while reading the text. `fatal` means no tree could be built.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    /// Other places the message refers to, e.g. the first occurrence of a duplicate key.
    pub related: Vec<(Span, String)>,
    pub fatal: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parsed {
    /// The document's root node; `None` for an empty document or a fatal error.
    pub root: Option<Node>,
    pub errors: Vec<SyntaxError>,
}

/// Parses a template's text. Never panics and never recurses on the input's nesting depth.
pub fn parse(file: &SourceFile) -> Parsed {
    let text = file.text();
    if text.len() > MAX_SIZE {
        return Parsed {
            root: None,
            errors: vec![SyntaxError {
                message: format!(
                    "the file is {} bytes; Ward reads templates of at most {MAX_SIZE} bytes",
                    text.len()
                ),
                span: Span::empty(0),
                related: Vec::new(),
                fatal: true,
            }],
        };
    }
    match file.format() {
        Format::Json => json::parse(text, file.content_start()),
        Format::Yaml => yaml::parse(text, file.content_start()),
    }
}
