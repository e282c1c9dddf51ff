//! Text edits that keep the file's style: block YAML, flow YAML or JSON, its indentation, its line
//! ends and its commas.
//!
//! Rules describe the value a property must have ([`NewValue`]); [`set_property`] turns that into
//! edits against the original text: replace a literal value in place, or insert the missing keys
//! into the closest mapping that exists.

use crate::diagnostic::{Edit, Fix};
use crate::source::{SourceFile, Span};
use crate::syntax::{Entry, Node, Syntax};
use crate::template::Resource;

/// A value a fix writes.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    Bool(bool),
    Str(&'static str),
    Map(Vec<(&'static str, NewValue)>),
    List(Vec<NewValue>),
}

impl NewValue {
    /// `{a: {b: value}}` for the path `[a, b]`.
    pub fn nested(path: &[&'static str], value: NewValue) -> NewValue {
        path.iter()
            .rev()
            .fold(value, |inner, key| NewValue::Map(vec![(key, inner)]))
    }

    fn is_scalar(&self) -> bool {
        matches!(self, NewValue::Bool(_) | NewValue::Str(_))
    }
}

/// The edits that give `resource` the value `value` at `path` below `Properties`, creating what is
/// missing. `None` when the text cannot be edited safely (a function or a non-mapping on the way).
/// The second element is true when an existing function (e.g. `!Ref`) is replaced, which a caller
/// should treat as an unsafe change.
pub fn set_property(
    file: &SourceFile,
    resource: &Resource<'_>,
    path: &[&'static str],
    value: NewValue,
) -> Option<(Vec<Edit>, bool)> {
    let Some(properties) = resource.properties else {
        let edit = insert_entry(
            file,
            resource.node,
            "Properties",
            &NewValue::nested(path, value),
        )?;
        return Some((vec![edit], false));
    };
    if properties.value.is_null() {
        let edit = replace_value(
            file,
            resource.node,
            properties,
            &NewValue::nested(path, value),
        );
        return Some((vec![edit], false));
    }
    set_in(file, &properties.value, path, value)
}

/// Like [`set_property`], below any mapping node.
pub fn set_in(
    file: &SourceFile,
    mut node: &Node,
    path: &[&'static str],
    value: NewValue,
) -> Option<(Vec<Edit>, bool)> {
    for (index, key) in path.iter().enumerate() {
        if node.intrinsic().is_some() || node.as_mapping().is_none() {
            return None;
        }
        match node.entry(key) {
            Some(entry) if index + 1 == path.len() => {
                let replaced_function = entry.value.intrinsic().is_some();
                let edit = replace_value(file, node, entry, &value);
                return Some((vec![edit], replaced_function));
            }
            // `Key:` with nothing after it: the rest of the path is written in its place.
            Some(entry) if entry.value.is_null() => {
                let rest = NewValue::nested(&path[index + 1..], value);
                return Some((vec![replace_value(file, node, entry, &rest)], false));
            }
            Some(entry) => node = &entry.value,
            None => {
                let rest = NewValue::nested(&path[index + 1..], value);
                return insert_entry(file, node, key, &rest).map(|edit| (vec![edit], false));
            }
        }
    }
    None
}

/// An edit replacing the value of `entry` (an entry of `parent`) with `value`. A null value in a
/// block mapping is replaced by an indented block; anything else by a flow (or JSON) value.
fn replace_value(file: &SourceFile, parent: &Node, entry: &Entry, value: &NewValue) -> Edit {
    let text = file.text();
    let span = entry.value.span;
    let rendered = match parent.syntax {
        Syntax::Json => render_json_inline(value),
        Syntax::Block if entry.value.is_null() && !value.is_scalar() => {
            let key_start = entry.key_span.start as usize;
            let newline = line_ending(text, key_start);
            let column = text[file.line_start(key_start)..key_start].chars().count();
            let unit = indent_unit(text);
            let indent = format!("{}{unit}", " ".repeat(column));
            let lines: Vec<String> = match value {
                NewValue::Map(entries) => entries
                    .iter()
                    .map(|(key, value)| render_block_entry(key, value, &indent, &unit, newline))
                    .collect(),
                NewValue::List(items) => items
                    .iter()
                    .map(|item| render_block_item(item, &indent, &unit, newline))
                    .collect(),
                _ => Vec::new(),
            };
            format!("{newline}{}", lines.join(newline))
        }
        _ => render_flow(value),
    };
    // `Key:` followed directly by the new value needs the separating space YAML requires.
    let after_colon = span.is_empty() && text[..span.start as usize].ends_with(':');
    let separator = if after_colon && !rendered.starts_with(['\n', '\r']) {
        " "
    } else {
        ""
    };
    Edit {
        span,
        text: format!("{separator}{rendered}"),
    }
}

/// A fix made of the edits, or `None` without edits.
pub fn fix(title: impl Into<String>, safe: bool, edits: Vec<Edit>) -> Option<Fix> {
    (!edits.is_empty()).then(|| Fix {
        title: title.into(),
        applicability: if safe {
            crate::diagnostic::Applicability::Safe
        } else {
            crate::diagnostic::Applicability::Unsafe
        },
        edits,
    })
}

/// An edit adding an item at the end of a sequence node, in the sequence's style.
pub fn append_item(file: &SourceFile, sequence: &Node, value: &NewValue) -> Option<Edit> {
    let items = sequence.as_sequence()?;
    let text = file.text();
    let newline = line_ending(text, sequence.span.start as usize);
    match (sequence.syntax, items.first(), items.last()) {
        (Syntax::ShortForm, ..) => None,
        (Syntax::Flow, _, Some(last)) => Some(Edit {
            span: Span::empty(last.span.end as usize),
            text: format!(", {}", render_flow(value)),
        }),
        (Syntax::Json, Some(first), Some(last)) => {
            let first_start = first.span.start as usize;
            let prefix = &text[file.line_start(first_start)..first_start];
            let end = last.span.end as usize;
            if prefix.trim().is_empty() && !prefix.is_empty() {
                Some(Edit {
                    span: Span::empty(end),
                    text: format!(
                        ",{newline}{prefix}{}",
                        render_json(value, prefix, &indent_unit(text), newline)
                    ),
                })
            } else {
                Some(Edit {
                    span: Span::empty(end),
                    text: format!(", {}", render_json_inline(value)),
                })
            }
        }
        (Syntax::Flow | Syntax::Json, ..) => Some(Edit {
            span: Span::empty(sequence.span.start as usize + 1),
            text: match sequence.syntax {
                Syntax::Json => render_json_inline(value),
                _ => render_flow(value),
            },
        }),
        (Syntax::Block, Some(_), Some(last)) => {
            // Block sequences start at their first dash; items align with it.
            let dash = sequence.span.start as usize;
            let column = text[file.line_start(dash)..dash].chars().count();
            let indent = " ".repeat(column);
            let rendered = render_block_item(value, &indent, &indent_unit(text), newline);
            Some(after_line_of(
                text,
                last.span.end as usize,
                &rendered,
                newline,
            ))
        }
        (Syntax::Block, ..) => None,
    }
}

/// Inserts `rendered` as whole lines after the line on which `end` lies.
fn after_line_of(text: &str, end: usize, rendered: &str, newline: &str) -> Edit {
    let end = end.min(text.len());
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
        return Edit {
            span: Span::empty(end),
            text: format!("{rendered}{newline}"),
        };
    }
    match text[end..].find('\n') {
        Some(offset) => Edit {
            span: Span::empty(end + offset + 1),
            text: format!("{rendered}{newline}"),
        },
        None => Edit {
            span: Span::empty(text.len()),
            text: format!("{newline}{rendered}"),
        },
    }
}

/// An edit adding `key: value` to a mapping node, after its last entry.
pub fn insert_entry(
    file: &SourceFile,
    mapping: &Node,
    key: &str,
    value: &NewValue,
) -> Option<Edit> {
    let entries = mapping.as_mapping()?;
    if mapping.intrinsic().is_some() {
        return None;
    }
    let text = file.text();
    let newline = line_ending(text, mapping.span.start as usize);
    match mapping.syntax {
        Syntax::ShortForm => None,
        Syntax::Flow => {
            let rendered = format!("{key}: {}", render_flow(value));
            match entries.last() {
                Some(last) => Some(Edit {
                    span: Span::empty(last.value.span.end as usize),
                    text: format!(", {rendered}"),
                }),
                None => Some(Edit {
                    span: Span::empty(mapping.span.start as usize + 1),
                    text: rendered,
                }),
            }
        }
        Syntax::Json => {
            let quoted_key = json_string(key);
            match (entries.first(), entries.last()) {
                (Some(first), Some(last)) => {
                    let first_start = first.key_span.start as usize;
                    let prefix = &text[file.line_start(first_start)..first_start];
                    let end = last.value.span.end as usize;
                    if prefix.trim().is_empty() && !prefix.is_empty() {
                        let indent = prefix.to_string();
                        Some(Edit {
                            span: Span::empty(end),
                            text: format!(
                                ",{newline}{indent}{quoted_key}: {}",
                                render_json(value, &indent, &indent_unit(text), newline)
                            ),
                        })
                    } else {
                        Some(Edit {
                            span: Span::empty(end),
                            text: format!(", {quoted_key}: {}", render_json_inline(value)),
                        })
                    }
                }
                _ => Some(Edit {
                    span: Span::empty(mapping.span.start as usize + 1),
                    text: format!("{quoted_key}: {}", render_json_inline(value)),
                }),
            }
        }
        Syntax::Block => {
            let first = entries.first()?;
            let last = entries.last()?;
            let first_start = first.key_span.start as usize;
            let column = text[file.line_start(first_start)..first_start]
                .chars()
                .count();
            let indent = " ".repeat(column);
            let rendered = render_block_entry(key, value, &indent, &indent_unit(text), newline);
            let end = last.value.span.end.max(last.key_span.end) as usize;
            Some(after_line_of(text, end, &rendered, newline))
        }
    }
}

/// The line end used where an edit goes: that of the line holding `offset` (or of the line
/// before, on the last line). Looking locally keeps fixes cheap on large files.
fn line_ending(text: &str, offset: usize) -> &'static str {
    let offset = offset.min(text.len());
    let newline = text[offset..]
        .find('\n')
        .map(|found| offset + found)
        .or_else(|| text[..offset].rfind('\n'));
    match newline {
        Some(at) if at > 0 && text.as_bytes()[at - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The file's indentation step: the leading spaces of its first indented line, else two.
fn indent_unit(text: &str) -> String {
    let width = text
        .lines()
        .map(|line| line.len() - line.trim_start_matches(' ').len())
        .find(|width| *width > 0)
        .unwrap_or(2)
        .clamp(1, 8);
    " ".repeat(width)
}

fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | ':'))
        && !value.ends_with(':')
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        );
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

fn render_flow(value: &NewValue) -> String {
    match value {
        NewValue::Bool(flag) => flag.to_string(),
        NewValue::Str(text) => yaml_scalar(text),
        NewValue::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{key}: {}", render_flow(value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        NewValue::List(items) => {
            let inner: Vec<String> = items.iter().map(render_flow).collect();
            format!("[{}]", inner.join(", "))
        }
    }
}

/// `key: value` in block style at `indent`, nested collections one `unit` deeper.
fn render_block_entry(
    key: &str,
    value: &NewValue,
    indent: &str,
    unit: &str,
    newline: &str,
) -> String {
    match value {
        NewValue::Map(entries) if !entries.is_empty() => {
            let deeper = format!("{indent}{unit}");
            let lines: Vec<String> = entries
                .iter()
                .map(|(key, value)| render_block_entry(key, value, &deeper, unit, newline))
                .collect();
            format!("{indent}{key}:{newline}{}", lines.join(newline))
        }
        NewValue::List(items) if !items.is_empty() => {
            let deeper = format!("{indent}{unit}");
            let lines: Vec<String> = items
                .iter()
                .map(|item| render_block_item(item, &deeper, unit, newline))
                .collect();
            format!("{indent}{key}:{newline}{}", lines.join(newline))
        }
        _ => format!("{indent}{key}: {}", render_flow(value)),
    }
}

/// `- item` in block style at `indent`.
fn render_block_item(value: &NewValue, indent: &str, unit: &str, newline: &str) -> String {
    match value {
        NewValue::Map(entries) if !entries.is_empty() => {
            // The first entry follows the dash; the others align with it.
            let inner_indent = format!("{indent}  ");
            let lines: Vec<String> = entries
                .iter()
                .map(|(key, value)| render_block_entry(key, value, &inner_indent, unit, newline))
                .collect();
            let joined = lines.join(newline);
            format!("{indent}- {}", &joined[inner_indent.len()..])
        }
        _ => format!("{indent}- {}", render_flow(value)),
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn render_json_inline(value: &NewValue) -> String {
    match value {
        NewValue::Bool(flag) => flag.to_string(),
        NewValue::Str(text) => json_string(text),
        NewValue::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{}: {}", json_string(key), render_json_inline(value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        NewValue::List(items) => {
            let inner: Vec<String> = items.iter().map(render_json_inline).collect();
            format!("[{}]", inner.join(", "))
        }
    }
}

/// A JSON value written on several lines, its closing bracket at `indent`.
fn render_json(value: &NewValue, indent: &str, unit: &str, newline: &str) -> String {
    let deeper = format!("{indent}{unit}");
    match value {
        NewValue::Map(entries) if !entries.is_empty() => {
            let lines: Vec<String> = entries
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{deeper}{}: {}",
                        json_string(key),
                        render_json(value, &deeper, unit, newline)
                    )
                })
                .collect();
            format!(
                "{{{newline}{}{newline}{indent}}}",
                lines.join(&format!(",{newline}"))
            )
        }
        NewValue::List(items) if !items.is_empty() => {
            let lines: Vec<String> = items
                .iter()
                .map(|item| format!("{deeper}{}", render_json(item, &deeper, unit, newline)))
                .collect();
            format!(
                "[{newline}{}{newline}{indent}]",
                lines.join(&format!(",{newline}"))
            )
        }
        _ => render_json_inline(value),
    }
}

/// The result of applying fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// How many fixes were applied; the others overlapped one applied before them.
    pub applied: usize,
}

/// Applies fixes in order of their first edit; a fix that overlaps an applied one is skipped
/// (linting the result again finds it, if it still applies).
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> FixOutcome {
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort_by_key(|fix| fix.edits.iter().map(|edit| edit.span.start).min());
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|edit| {
            accepted.iter().any(|taken| {
                let touches = edit.span.start < taken.span.end && taken.span.start < edit.span.end;
                let same_point = edit.span.start == taken.span.start;
                touches || same_point
            }) || edit.span.end as usize > text.len()
        });
        if overlaps {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in accepted {
        let start = edit.span.start as usize;
        if start < cursor
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(edit.span.end as usize)
        {
            continue;
        }
        out.push_str(&text[cursor..start]);
        out.push_str(&edit.text);
        cursor = edit.span.end as usize;
    }
    out.push_str(&text[cursor..]);
    FixOutcome { text: out, applied }
}
