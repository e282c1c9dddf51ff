//! Logical names — parameters, conditions, mappings, resources, outputs — where they are defined
//! and where they are used, for go-to-definition, find references, rename, completion and hover.
//!
//! (Being written: the API below is fixed; the bodies are filled in.)

use crate::diagnostic::Edit;
use crate::source::{SourceFile, Span};
use crate::template::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Parameter,
    Condition,
    Mapping,
    Resource,
    Output,
}

/// Where a name is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub kind: NameKind,
    pub name: String,
    /// The key that defines the name.
    pub name_span: Span,
    /// The whole entry, key through value.
    pub span: Span,
    /// The resource type, or the parameter type.
    pub detail: Option<String>,
}

/// How a use refers to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    Ref,
    GetAtt,
    Sub,
    Condition,
    DependsOn,
    FindInMap,
}

/// A use of a name; `span` covers exactly the name's characters in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub kind: NameKind,
    pub name: String,
    pub span: Span,
    pub via: UseKind,
}

/// Every definition and use of one template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pub definitions: Vec<Definition>,
    pub uses: Vec<Use>,
}

/// A name that fits where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: NameKind,
    pub detail: Option<String>,
}

impl Index {
    pub fn new(_template: &Template<'_>, _file: &SourceFile) -> Index {
        Index::default()
    }

    /// The name defined or used at a byte offset, with the span of that occurrence.
    pub fn name_at(&self, _offset: usize) -> Option<(NameKind, &str, Span)> {
        None
    }

    pub fn definition(&self, kind: NameKind, name: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|definition| definition.kind == kind && definition.name == name)
    }

    pub fn uses<'s>(&'s self, kind: NameKind, name: &'s str) -> impl Iterator<Item = &'s Use> {
        self.uses
            .iter()
            .filter(move |found| found.kind == kind && found.name == name)
    }

    /// The edits that rename the name at `offset` in its definition and every use, or why not.
    pub fn rename(&self, _offset: usize, _new_name: &str) -> Result<Vec<Edit>, String> {
        Err("rename is not available yet".to_string())
    }

    /// A one-line description of a name for hovers, e.g. "Resource OrdersTable
    /// (AWS::DynamoDB::Table)".
    pub fn describe(&self, _kind: NameKind, _name: &str) -> Option<String> {
        None
    }

    /// Names that fit after `line_prefix`, the text of the cursor's line before the cursor
    /// (`!Ref `, `Fn::GetAtt: [`, `${`, `Condition: `, `DependsOn: `, `!FindInMap [` …). Works
    /// on half-typed text: the index may come from the last version that parsed.
    pub fn completions(&self, _line_prefix: &str) -> Vec<Completion> {
        Vec::new()
    }
}
