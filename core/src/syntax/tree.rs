//! The syntax tree shared by the YAML and JSON front ends.
//!
//! Both parsers lower into these nodes: ordered mappings (duplicates kept), byte spans for every
//! key and value, and short-form tags already rewritten into their long form, so that
//! `!GetAtt A.B` and `{"Fn::GetAtt": ["A", "B"]}` are the same tree. The tree's depth is bounded by
//! the parsers ([`super::MAX_DEPTH`]), so recursive walks over it are safe.

use compact_str::CompactString;

use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The whole node, including a short-form tag when there was one.
    pub span: Span,
    pub kind: NodeKind,
    pub syntax: Syntax,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Mapping(Vec<Entry>),
}

/// How a node was written; fixes use it to write new text in the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML block style (indented mappings, `- ` sequences, or any plain/quoted scalar).
    Block,
    /// YAML flow style (`{a: 1}`, `[1, 2]`).
    Flow,
    /// A short-form intrinsic tag such as `!Ref X`, rewritten into a one-entry mapping whose key
    /// span is the tag.
    ShortForm,
    /// JSON.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's value after unquoting and unescaping. Most scalars of a template are short,
    /// and a `CompactString` keeps up to 24 bytes inline, without an allocation.
    pub value: CompactString,
    pub style: ScalarStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    JsonString,
    /// A JSON number, boolean or null, kept as its source text.
    JsonLiteral,
}

impl ScalarStyle {
    /// Whether the value was written as a string (quoted), so YAML 1.1 typing does not apply.
    pub fn is_quoted(self) -> bool {
        !matches!(self, ScalarStyle::Plain | ScalarStyle::JsonLiteral)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: CompactString,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|scalar| scalar.value.as_str())
    }

    /// The entry for `key`. With duplicate keys the last one wins, as in CloudFormation.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?
            .iter()
            .rev()
            .find(|entry| entry.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// `Some((name, argument))` when this node is an intrinsic function call: a mapping with one
    /// entry whose key is `Ref`, `Condition` or starts with `Fn::`.
    pub fn intrinsic(&self) -> Option<(&str, &Node)> {
        match self.as_mapping()? {
            [entry] if is_intrinsic_name(&entry.key) => Some((entry.key.as_str(), &entry.value)),
            _ => None,
        }
    }

    /// Whether the scalar is YAML's or JSON's null (`null`, `~`, empty plain scalar).
    pub fn is_null(&self) -> bool {
        match self.as_scalar() {
            Some(scalar) if !scalar.style.is_quoted() => {
                matches!(scalar.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }
}

pub fn is_intrinsic_name(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}
