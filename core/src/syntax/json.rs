//! JSON front end: jsonc-parser in strict mode, lowered into the same [`Node`] tree as YAML.
//!
//! Spans: a string (key or value) includes its quotes; an object or array runs from its opening to
//! its closing bracket; numbers, booleans and `null` are their source text.

use jsonc_parser::ast::{Array, Object, ObjectProp, ObjectPropName, Value};
use jsonc_parser::common::Range;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::tree::{Entry, Node, NodeKind, Scalar, ScalarStyle, Syntax};
use super::yaml::Entries;
use super::{MAX_DEPTH, Parsed, SyntaxError};
use crate::source::Span;

pub(super) fn parse(text: &str, start: usize) -> Parsed {
    let body = text.get(start..).unwrap_or("");
    // jsonc-parser recurses once per level; refusing deep text first keeps it (and the lowering)
    // shallow on a 1 MiB stack.
    if let Some(at) = too_deep(body.as_bytes()) {
        return fatal(
            format!(
                "the template is nested more than {MAX_DEPTH} levels deep here; Ward reads \
                 templates nested at most {MAX_DEPTH} levels"
            ),
            Span::new(start + at, start + at + 1),
        );
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match parse_to_ast(body, &CollectOptions::default(), &options) {
        Ok(result) => match result.value {
            Some(value) => Lowering::new(body, start).run(value),
            None => Parsed::default(),
        },
        Err(error) => {
            let range = error.range();
            fatal(
                format!("JSON syntax error: {}", error.kind()),
                Span::new(start + range.start, start + range.end),
            )
        }
    }
}

fn fatal(message: String, span: Span) -> Parsed {
    Parsed {
        root: None,
        errors: vec![SyntaxError {
            message,
            span,
            related: Vec::new(),
            fatal: true,
        }],
    }
}

/// The offset of the first bracket that opens level `MAX_DEPTH + 1`, outside strings.
fn too_deep(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(byte) = bytes.get(pos) {
        match byte {
            b'"' => {
                pos += 1;
                while let Some(byte) = bytes.get(pos) {
                    match byte {
                        b'\\' => pos += 1,
                        b'"' => break,
                        _ => {}
                    }
                    pos += 1;
                }
            }
            // Comments are refused later; skipping them here keeps their brackets uncounted.
            b'/' if bytes.get(pos + 1) == Some(&b'/') => {
                while bytes.get(pos).is_some_and(|byte| *byte != b'\n') {
                    pos += 1;
                }
            }
            b'/' if bytes.get(pos + 1) == Some(&b'*') => {
                pos += 2;
                while bytes.get(pos).is_some() && bytes.get(pos..pos + 2) != Some(b"*/") {
                    pos += 1;
                }
                pos += 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(pos);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        pos += 1;
    }
    None
}

enum Frame<'t> {
    Object {
        range: Range,
        properties: std::vec::IntoIter<ObjectProp<'t>>,
        entries: Entries,
        /// The key whose value is being lowered, when that value is a container.
        key: Option<(String, Span)>,
    },
    Array {
        range: Range,
        elements: std::vec::IntoIter<Value<'t>>,
        items: Vec<Node>,
    },
}

/// Moves jsonc-parser's tree into [`Node`]s with an explicit stack, so neither the lowering nor
/// dropping the AST recurses.
struct Lowering<'t> {
    body: &'t str,
    start: usize,
    stack: Vec<Frame<'t>>,
    errors: Vec<SyntaxError>,
}

impl<'t> Lowering<'t> {
    fn new(body: &'t str, start: usize) -> Self {
        Lowering {
            body,
            start,
            stack: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn run(mut self, root: Value<'t>) -> Parsed {
        let mut done = self.value(root);
        loop {
            if let Some(node) = done.take() {
                match self.stack.last_mut() {
                    None => {
                        return Parsed {
                            root: Some(node),
                            errors: self.errors,
                        };
                    }
                    Some(Frame::Array { items, .. }) => items.push(node),
                    Some(Frame::Object { entries, key, .. }) => {
                        if let Some((key, key_span)) = key.take() {
                            let entry = Entry {
                                key: key.into(),
                                key_span,
                                value: node,
                            };
                            entries.push(entry, &mut self.errors);
                        }
                    }
                }
            }
            if self.stack.is_empty() {
                // Only reachable if a container vanished without a node; never loop on it.
                return Parsed {
                    root: None,
                    errors: self.errors,
                };
            }
            done = self.step();
        }
    }

    /// Lowers the next child of the innermost container, or closes it when it has no more.
    fn step(&mut self) -> Option<Node> {
        let start = self.start;
        let span = |range: Range| Span::new(start + range.start, start + range.end);
        match self.stack.last_mut()? {
            Frame::Array { elements, .. } => match elements.next() {
                Some(value) => self.value(value),
                None => match self.stack.pop() {
                    Some(Frame::Array { range, items, .. }) => Some(Node {
                        span: span(range),
                        kind: NodeKind::Sequence(items),
                        syntax: Syntax::Json,
                    }),
                    _ => None,
                },
            },
            Frame::Object {
                properties,
                entries,
                key,
                ..
            } => match properties.next() {
                Some(property) => {
                    let (name, name_range) = match property.name {
                        ObjectPropName::String(name) => (name.value.into_owned(), name.range),
                        ObjectPropName::Word(name) => (name.value.to_owned(), name.range),
                    };
                    let key_span = span(name_range);
                    match scalar(self.body, start, &property.value) {
                        Some(node) => {
                            let entry = Entry {
                                key: name.into(),
                                key_span,
                                value: node,
                            };
                            entries.push(entry, &mut self.errors);
                            None
                        }
                        None => {
                            *key = Some((name, key_span));
                            self.value(property.value)
                        }
                    }
                }
                None => match self.stack.pop() {
                    Some(Frame::Object { range, entries, .. }) => Some(Node {
                        span: span(range),
                        kind: NodeKind::Mapping(entries.into_vec()),
                        syntax: Syntax::Json,
                    }),
                    _ => None,
                },
            },
        }
    }

    /// A scalar becomes a node now; a container becomes a frame and yields its node when closed.
    fn value(&mut self, value: Value<'t>) -> Option<Node> {
        if let Some(node) = scalar(self.body, self.start, &value) {
            return Some(node);
        }
        match value {
            Value::Object(Object { range, properties }) => self.stack.push(Frame::Object {
                range,
                properties: properties.into_iter(),
                entries: Entries::default(),
                key: None,
            }),
            Value::Array(Array { range, elements }) => self.stack.push(Frame::Array {
                range,
                elements: elements.into_iter(),
                items: Vec::new(),
            }),
            Value::StringLit(_)
            | Value::NumberLit(_)
            | Value::BooleanLit(_)
            | Value::NullKeyword(_) => {}
        }
        None
    }
}

/// A string, number, boolean or null as a node; `None` for a container.
fn scalar(body: &str, start: usize, value: &Value<'_>) -> Option<Node> {
    let literal = |range: Range| Scalar {
        value: body.get(range.start..range.end).unwrap_or("").into(),
        style: ScalarStyle::JsonLiteral,
    };
    let (range, scalar) = match value {
        Value::StringLit(string) => (
            string.range,
            Scalar {
                value: string.value.as_ref().into(),
                style: ScalarStyle::JsonString,
            },
        ),
        Value::NumberLit(number) => (number.range, literal(number.range)),
        Value::BooleanLit(boolean) => (boolean.range, literal(boolean.range)),
        Value::NullKeyword(null) => (null.range, literal(null.range)),
        Value::Object(_) | Value::Array(_) => return None,
    };
    Some(Node {
        span: Span::new(start + range.start, start + range.end),
        kind: NodeKind::Scalar(scalar),
        syntax: Syntax::Json,
    })
}
