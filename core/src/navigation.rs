//! Logical names — parameters, conditions, mappings, resources, outputs — where they are defined
//! and where they are used, for go-to-definition, find references, rename, completion and hover.
//!
//! Every span here covers exactly a name's characters in the text (inside quotes, never the
//! quotes), so that an editor can select, highlight or replace it as is. A use whose characters
//! cannot be located exactly in the source (a name written with escapes, folded over lines, or
//! behind a `!!str` tag) is left out rather than given an approximate span.

use std::collections::HashSet;

use crate::diagnostic::Edit;
use crate::source::{SourceFile, Span};
use crate::syntax::{Node, NodeKind, ScalarStyle, Syntax};
use crate::template::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Parameter,
    Condition,
    Mapping,
    Resource,
    Output,
}

impl NameKind {
    fn label(self) -> &'static str {
        match self {
            NameKind::Parameter => "Parameter",
            NameKind::Condition => "Condition",
            NameKind::Mapping => "Mapping",
            NameKind::Resource => "Resource",
            NameKind::Output => "Output",
        }
    }

    /// Parameters and resources share one namespace: `Ref` cannot tell them apart.
    fn clashes_with(self, other: NameKind) -> bool {
        let shared = |kind| matches!(kind, NameKind::Parameter | NameKind::Resource);
        self == other || (shared(self) && shared(other))
    }
}

/// Where a name is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub kind: NameKind,
    pub name: String,
    /// The name's characters in the key that defines it: inside the quotes of a quoted key. When
    /// the key is written with escapes this is the whole key, and [`Index::rename`] refuses it.
    pub name_span: Span,
    /// The whole entry, key through value.
    pub span: Span,
    /// The resource type, or the parameter type.
    pub detail: Option<String>,
    /// The one-line Markdown description that [`Index::describe`] returns.
    pub summary: String,
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
    /// A parameter listed in `Metadata: AWS::CloudFormation::Interface` (`ParameterGroups`,
    /// `ParameterLabels`), which the console uses to lay out the stack's form.
    Interface,
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
    /// In text order.
    pub definitions: Vec<Definition>,
    /// In text order. `Ref` and `${…}` count only for names the template defines (their kind
    /// depends on the definition); the other uses name their kind themselves and count even when
    /// the name is undefined, so an editor can flag them.
    pub uses: Vec<Use>,
    /// References to pseudo parameters (`AWS::Region` …), kind `Parameter`. They are not uses of
    /// a template name, but hovers describe them and rename must recognise them to refuse.
    pub pseudo_parameters: Vec<Use>,
}

/// A name that fits where the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: NameKind,
    pub detail: Option<String>,
}

/// CloudFormation's pseudo parameters, with what each holds.
pub const PSEUDO_PARAMETERS: &[(&str, &str)] = &[
    (
        "AWS::AccountId",
        "the ID of the account in which the stack is created",
    ),
    (
        "AWS::NotificationARNs",
        "the list of notification ARNs of the stack",
    ),
    (
        "AWS::NoValue",
        "removes the property it is given to, typically in an `Fn::If` branch",
    ),
    (
        "AWS::Partition",
        "the partition the stack is in (`aws`, `aws-cn`, `aws-us-gov` …)",
    ),
    ("AWS::Region", "the Region in which the stack is created"),
    ("AWS::StackId", "the ID (ARN) of the stack"),
    ("AWS::StackName", "the name of the stack"),
    (
        "AWS::URLSuffix",
        "the domain suffix of the partition (usually `amazonaws.com`)",
    ),
];

const PSEUDO_DETAIL: &str = "pseudo parameter";

/// Longest condition source text a description shows.
const CONDITION_TEXT_MAX: usize = 120;

/// CloudFormation's limit on the length of a logical id.
const NAME_MAX: usize = 255;

impl Index {
    pub fn new(template: &Template<'_>, file: &SourceFile) -> Index {
        let mut definitions = Vec::new();
        for parameter in &template.parameters {
            let detail = parameter
                .node
                .get("Type")
                .and_then(Node::as_str)
                .map(str::to_owned);
            let summary = parameter_summary(parameter.name, detail.as_deref(), parameter, file);
            definitions.push(definition(
                file,
                NameKind::Parameter,
                parameter.name,
                parameter.name_span,
                parameter.node,
                detail,
                summary,
            ));
        }
        for condition in &template.conditions {
            let text = one_line(file.slice(condition.node.span), CONDITION_TEXT_MAX);
            let summary = if text.is_empty() {
                format!("Condition {}", code(condition.name))
            } else {
                format!("Condition {}: {}", code(condition.name), code(&text))
            };
            definitions.push(definition(
                file,
                NameKind::Condition,
                condition.name,
                condition.name_span,
                condition.node,
                None,
                summary,
            ));
        }
        for mapping in &template.mappings {
            definitions.push(definition(
                file,
                NameKind::Mapping,
                mapping.name,
                mapping.name_span,
                mapping.node,
                None,
                format!("Mapping {}", code(mapping.name)),
            ));
        }
        for resource in &template.resources {
            if is_language_extension(resource.logical_id) {
                continue;
            }
            let detail = resource.type_name.map(str::to_owned);
            let summary = match &detail {
                Some(type_name) => format!(
                    "Resource {} ({})",
                    code(resource.logical_id),
                    code(type_name)
                ),
                None => format!("Resource {}", code(resource.logical_id)),
            };
            definitions.push(definition(
                file,
                NameKind::Resource,
                resource.logical_id,
                resource.id_span,
                resource.node,
                detail,
                summary,
            ));
        }
        for output in &template.outputs {
            if is_language_extension(output.name) {
                continue;
            }
            definitions.push(definition(
                file,
                NameKind::Output,
                output.name,
                output.name_span,
                output.node,
                None,
                format!("Output {}", code(output.name)),
            ));
        }
        definitions.sort_by_key(|definition| definition.name_span.start);

        let mut collector = Collector {
            file,
            parameters: template.parameters.iter().map(|p| p.name).collect(),
            resources: template.resources.iter().map(|r| r.logical_id).collect(),
            uses: Vec::new(),
            pseudo: Vec::new(),
        };
        collector.template(template.root);
        let Collector {
            mut uses,
            mut pseudo,
            ..
        } = collector;
        uses.sort_by_key(|found| found.span.start);
        pseudo.sort_by_key(|found| found.span.start);
        Index {
            definitions,
            uses,
            pseudo_parameters: pseudo,
        }
    }

    /// The name defined or used at a byte offset, with the span of that occurrence. An offset
    /// just past a name counts, so that a cursor right after it finds it. Pseudo parameters are
    /// found too (kind `Parameter`); they have no definition.
    pub fn name_at(&self, offset: usize) -> Option<(NameKind, &str, Span)> {
        let touches = |span: Span| span.start as usize <= offset && offset <= span.end as usize;
        let definitions = self
            .definitions
            .iter()
            .map(|found| (found.kind, found.name.as_str(), found.name_span));
        let uses = self
            .uses
            .iter()
            .chain(&self.pseudo_parameters)
            .map(|found| (found.kind, found.name.as_str(), found.span));
        definitions.chain(uses).find(|(_, _, span)| touches(*span))
    }

    /// The effective definition: with duplicate keys the last one wins, as in CloudFormation.
    pub fn definition(&self, kind: NameKind, name: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .rev()
            .find(|definition| definition.kind == kind && definition.name == name)
    }

    pub fn uses<'s>(&'s self, kind: NameKind, name: &'s str) -> impl Iterator<Item = &'s Use> {
        self.uses
            .iter()
            .filter(move |found| found.kind == kind && found.name == name)
    }

    /// The name at `offset` when it can be renamed, with the span of that occurrence (what an
    /// editor's "prepare rename" shows), or why not: nothing there, a pseudo parameter, a name
    /// the template does not define, or a key written with escapes.
    pub fn prepare_rename(&self, offset: usize) -> Result<(NameKind, &str, Span), String> {
        let Some((kind, name, span)) = self.name_at(offset) else {
            return Err(
                "there is no parameter, condition, mapping, resource or output name here to \
                 rename"
                    .to_owned(),
            );
        };
        if is_pseudo(name) {
            return Err(format!(
                "{} is a pseudo parameter: CloudFormation defines it, so it cannot be renamed",
                code(name)
            ));
        }
        let mut definitions = self
            .definitions
            .iter()
            .filter(|definition| definition.kind == kind && definition.name == name)
            .peekable();
        if definitions.peek().is_none() {
            return Err(format!(
                "{} {} is not defined in this template, so there is nothing to rename",
                kind.label().to_lowercase(),
                code(name)
            ));
        }
        // A key written with escapes has a span longer than its name (an escape is always
        // longer than what it stands for), and editing it in place would not give the new name.
        if definitions.any(|definition| definition.name_span.len() != name.len()) {
            return Err(format!(
                "the key that defines {} is written with escapes; rename it by hand",
                code(name)
            ));
        }
        Ok((kind, name, span))
    }

    /// The edits that rename the name at `offset` in its definition and every use, or why not
    /// (see [`Index::prepare_rename`]; also an invalid new name, or one already taken).
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<Edit>, String> {
        let (kind, name, _) = self.prepare_rename(offset)?;
        if new_name.is_empty()
            || new_name.len() > NAME_MAX
            || !new_name.bytes().all(|byte| byte.is_ascii_alphanumeric())
        {
            return Err(format!(
                "{} is not a valid name: CloudFormation logical ids and parameter names are 1 to \
                 {NAME_MAX} letters (A-Z, a-z) and digits (0-9)",
                code(new_name)
            ));
        }
        if new_name == name {
            return Ok(Vec::new());
        }
        if let Some(existing) = self
            .definitions
            .iter()
            .find(|definition| definition.name == new_name && kind.clashes_with(definition.kind))
        {
            return Err(format!(
                "a {} named {} already exists",
                existing.kind.label().to_lowercase(),
                code(new_name)
            ));
        }
        let mut edits: Vec<Edit> = self
            .definitions
            .iter()
            .filter(|definition| definition.kind == kind && definition.name == name)
            .map(|definition| definition.name_span)
            .chain(self.uses(kind, name).map(|found| found.span))
            .map(|span| Edit {
                span,
                text: new_name.to_owned(),
            })
            .collect();
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        edits.dedup_by_key(|edit| edit.span);
        Ok(edits)
    }

    /// A one-line Markdown description of a name for hovers, e.g. "Resource `OrdersTable`
    /// (`AWS::DynamoDB::Table`)". Pseudo parameters are described too.
    pub fn describe(&self, kind: NameKind, name: &str) -> Option<String> {
        if kind == NameKind::Parameter
            && let Some((_, meaning)) = PSEUDO_PARAMETERS.iter().find(|(pseudo, _)| *pseudo == name)
        {
            return Some(format!("Pseudo parameter {}: {meaning}", code(name)));
        }
        self.definition(kind, name)
            .map(|definition| definition.summary.clone())
    }

    /// Names that fit after `line_prefix`, the text of the cursor's line before the cursor
    /// (`!Ref `, `Fn::GetAtt: [`, `${`, `Condition: `, `DependsOn: `, `!FindInMap [` …). Works
    /// on half-typed text: the index may come from the last version that parsed. A partly typed
    /// name at the end ([`completion_prefix`]) filters the names, ignoring case; the candidates
    /// are sorted by label.
    pub fn completions(&self, line_prefix: &str) -> Vec<Completion> {
        let Some(context) = completion_context(line_prefix) else {
            return Vec::new();
        };
        let typed = completion_prefix(line_prefix).to_ascii_lowercase();
        let kinds: &[NameKind] = match context {
            Context::Ref => &[NameKind::Parameter, NameKind::Resource],
            Context::Resources => &[NameKind::Resource],
            Context::Conditions => &[NameKind::Condition],
            Context::Mappings => &[NameKind::Mapping],
        };
        let mut candidates: Vec<Completion> = self
            .definitions
            .iter()
            .filter(|definition| kinds.contains(&definition.kind))
            .map(|definition| Completion {
                label: definition.name.clone(),
                kind: definition.kind,
                detail: definition.detail.clone(),
            })
            .collect();
        if context == Context::Ref {
            candidates.extend(PSEUDO_PARAMETERS.iter().map(|(name, _)| Completion {
                label: (*name).to_owned(),
                kind: NameKind::Parameter,
                detail: Some(PSEUDO_DETAIL.to_owned()),
            }));
        }
        candidates.retain(|candidate| candidate.label.to_ascii_lowercase().starts_with(&typed));
        candidates.sort_by(|a, b| a.label.cmp(&b.label));
        // Duplicate keys define a name twice; it is one candidate.
        candidates.dedup_by(|a, b| a.label == b.label && a.kind == b.kind);
        candidates
    }
}

/// The partly typed name at the end of `line_prefix` that [`Index::completions`] filters by, and
/// that a chosen completion replaces: the trailing letters, digits and colons (`Ord` in
/// `!Ref Ord`, `AWS::Re` in `${AWS::Re`).
pub fn completion_prefix(line_prefix: &str) -> &str {
    let start = line_prefix
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(line_prefix.len(), |(at, _)| at);
    &line_prefix[start..]
}

/// Whether a name is a pseudo parameter (`AWS::…`).
pub fn is_pseudo(name: &str) -> bool {
    name.starts_with("AWS::")
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == ':'
}

/// `Fn::ForEach::Name` keys of the LanguageExtensions transform are loops, not names.
fn is_language_extension(name: &str) -> bool {
    name.starts_with("Fn::")
}

fn definition(
    file: &SourceFile,
    kind: NameKind,
    name: &str,
    key_span: Span,
    value: &Node,
    detail: Option<String>,
    summary: String,
) -> Definition {
    Definition {
        kind,
        name: name.to_owned(),
        name_span: text_span(file, key_span, name).unwrap_or(key_span),
        span: Span::new(key_span.start as usize, value.span.end as usize),
        detail,
        summary,
    }
}

fn parameter_summary(
    name: &str,
    type_name: Option<&str>,
    parameter: &crate::template::Parameter<'_>,
    file: &SourceFile,
) -> String {
    let mut parts = Vec::new();
    if let Some(type_name) = type_name {
        parts.push(code(type_name));
    }
    if let Some(default) = parameter.default {
        parts.push(format!("default {}", code(&shown_value(default, file))));
    }
    if let Some(allowed) = parameter.allowed_values {
        let values: Vec<String> = allowed
            .iter()
            .map(|value| code(&shown_value(value, file)))
            .collect();
        parts.push(format!("allowed {}", values.join(", ")));
    }
    if parts.is_empty() {
        format!("Parameter {}", code(name))
    } else {
        format!("Parameter {} ({})", code(name), parts.join(", "))
    }
}

/// A value as a hover shows it: a scalar's value, or the source text when that says more (an
/// empty string, a list).
fn shown_value(node: &Node, file: &SourceFile) -> String {
    match node.as_str() {
        Some(value) if !value.is_empty() => one_line(value, CONDITION_TEXT_MAX),
        _ => one_line(file.slice(node.span), CONDITION_TEXT_MAX),
    }
}

/// Text on one line: runs of white space become one space, and long text is cut with an ellipsis.
fn one_line(text: &str, max_chars: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= max_chars {
        return joined;
    }
    let mut cut: String = joined.chars().take(max_chars.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Markdown inline code that survives backticks in the text.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// The span of exactly `value`'s characters within `span`: the whole span when the text is the
/// value as written, or inside the quotes of a quoted one; `None` when the text differs (escapes,
/// line folding, a tag).
fn text_span(file: &SourceFile, span: Span, value: &str) -> Option<Span> {
    if value.is_empty() {
        return None;
    }
    let raw = file.slice(span);
    if raw == value {
        return Some(span);
    }
    let quote = raw
        .as_bytes()
        .first()
        .filter(|byte| matches!(byte, b'"' | b'\''));
    let quoted = raw.len() >= 2
        && quote.is_some()
        && raw.as_bytes().last() == quote
        && raw.get(1..raw.len() - 1) == Some(value);
    quoted.then(|| Span::new(span.start as usize + 1, span.end as usize - 1))
}

/// The exact span of a scalar node's value, when it is a scalar written as is.
fn scalar_span<'n>(file: &SourceFile, node: &'n Node) -> Option<(&'n str, Span)> {
    let value = node.as_str()?;
    text_span(file, node.span, value).map(|span| (value, span))
}

struct Collector<'a> {
    file: &'a SourceFile,
    parameters: HashSet<&'a str>,
    resources: HashSet<&'a str>,
    uses: Vec<Use>,
    pseudo: Vec<Use>,
}

impl Collector<'_> {
    fn template(&mut self, root: &Node) {
        for entry in root.as_mapping().unwrap_or_default() {
            match entry.key.as_str() {
                // Neither section may hold intrinsic functions; their keys are free text.
                "Parameters" | "Mappings" => {}
                "Resources" | "Outputs" => {
                    for item in entry.value.as_mapping().unwrap_or_default() {
                        if is_language_extension(&item.key) {
                            self.walk(&item.value, false);
                        } else {
                            self.attributes(&item.value);
                        }
                    }
                }
                "Conditions" => {
                    for item in entry.value.as_mapping().unwrap_or_default() {
                        self.walk(&item.value, true);
                    }
                }
                "Metadata" => {
                    if let Some(interface) = entry.value.get("AWS::CloudFormation::Interface") {
                        self.interface(interface);
                    }
                    self.walk(&entry.value, false);
                }
                _ => self.walk(&entry.value, false),
            }
        }
    }

    /// The parameter names of the console's form layout: renaming a parameter must rename them
    /// too, or the form loses the parameter's group and label.
    fn interface(&mut self, interface: &Node) {
        let groups = interface
            .get("ParameterGroups")
            .and_then(Node::as_sequence)
            .unwrap_or_default();
        for group in groups {
            let names = group
                .get("Parameters")
                .and_then(Node::as_sequence)
                .unwrap_or_default();
            for name in names {
                self.named(name, NameKind::Parameter, UseKind::Interface);
            }
        }
        let labels = interface
            .get("ParameterLabels")
            .and_then(Node::as_mapping)
            .unwrap_or_default();
        for label in labels {
            if let Some(span) = text_span(self.file, label.key_span, &label.key) {
                self.push(NameKind::Parameter, &label.key, span, UseKind::Interface);
            }
        }
    }

    /// A resource's or output's entries, where `Condition` and `DependsOn` name other entries.
    fn attributes(&mut self, node: &Node) {
        let Some(entries) = node.as_mapping() else {
            self.walk(node, false);
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "Condition" if entry.value.as_scalar().is_some() => {
                    self.named(&entry.value, NameKind::Condition, UseKind::Condition);
                }
                "DependsOn" => match entry.value.as_sequence() {
                    Some(items) => {
                        for item in items {
                            if item.as_scalar().is_some() {
                                self.named(item, NameKind::Resource, UseKind::DependsOn);
                            } else {
                                self.walk(item, false);
                            }
                        }
                    }
                    None if entry.value.as_scalar().is_some() => {
                        self.named(&entry.value, NameKind::Resource, UseKind::DependsOn);
                    }
                    None => self.walk(&entry.value, false),
                },
                _ => self.walk(&entry.value, false),
            }
        }
    }

    /// Records every use under `node`. `conditions` says that a `{Condition: X}` here names a
    /// condition (inside `Fn::And`/`Or`/`Not` and the Conditions section); elsewhere only the
    /// `!Condition` tag does, as a property may be called `Condition`.
    fn walk(&mut self, node: &Node, conditions: bool) {
        match &node.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Sequence(items) => {
                for item in items {
                    self.walk(item, false);
                }
            }
            NodeKind::Mapping(entries) => {
                if let Some((function, argument)) = node.intrinsic()
                    && self.intrinsic(node, function, argument, conditions)
                {
                    return;
                }
                for entry in entries {
                    self.walk(&entry.value, false);
                }
            }
        }
    }

    /// Handles an intrinsic function call; false when it is not one that names anything, so its
    /// argument is walked as any value.
    fn intrinsic(
        &mut self,
        node: &Node,
        function: &str,
        argument: &Node,
        conditions: bool,
    ) -> bool {
        let items = argument.as_sequence().unwrap_or_default();
        match function {
            "Ref" if argument.as_scalar().is_some() => self.reference(argument),
            "Condition"
                if argument.as_scalar().is_some()
                    && (conditions || node.syntax == Syntax::ShortForm) =>
            {
                self.named(argument, NameKind::Condition, UseKind::Condition);
            }
            "Fn::GetAtt" => match argument.as_scalar() {
                Some(_) => self.dotted_get_att(argument),
                None => self.first_item(items, NameKind::Resource, UseKind::GetAtt),
            },
            "Fn::If" => self.first_item(items, NameKind::Condition, UseKind::Condition),
            "Fn::FindInMap" => self.first_item(items, NameKind::Mapping, UseKind::FindInMap),
            "Fn::And" | "Fn::Or" | "Fn::Not" if argument.as_sequence().is_some() => {
                for item in items {
                    self.walk(item, true);
                }
            }
            "Fn::Sub" => match argument.as_scalar() {
                Some(_) => self.sub(argument, &HashSet::new()),
                None => {
                    let variables: HashSet<&str> = items
                        .get(1)
                        .and_then(Node::as_mapping)
                        .unwrap_or_default()
                        .iter()
                        .map(|entry| entry.key.as_str())
                        .collect();
                    for (position, item) in items.iter().enumerate() {
                        if position == 0 && item.as_scalar().is_some() {
                            self.sub(item, &variables);
                        } else {
                            self.walk(item, false);
                        }
                    }
                }
            },
            _ => return false,
        }
        true
    }

    /// A function whose first item is a literal name (`Fn::If`, `Fn::FindInMap`, `Fn::GetAtt`);
    /// the other items are walked.
    fn first_item(&mut self, items: &[Node], kind: NameKind, via: UseKind) {
        for (position, item) in items.iter().enumerate() {
            if position == 0 && item.as_scalar().is_some() {
                self.named(item, kind, via);
            } else {
                self.walk(item, false);
            }
        }
    }

    /// A use whose kind the place decides.
    fn named(&mut self, node: &Node, kind: NameKind, via: UseKind) {
        if let Some((name, span)) = scalar_span(self.file, node) {
            self.push(kind, name, span, via);
        }
    }

    fn reference(&mut self, node: &Node) {
        if let Some((name, span)) = scalar_span(self.file, node) {
            self.defined(name, span, UseKind::Ref);
        }
    }

    /// A `Ref` or `${Name}`: a parameter or resource when the template defines it.
    fn defined(&mut self, name: &str, span: Span, via: UseKind) {
        if is_pseudo(name) {
            self.pseudo.push(Use {
                kind: NameKind::Parameter,
                name: name.to_owned(),
                span,
                via,
            });
        } else if self.parameters.contains(name) {
            self.push(NameKind::Parameter, name, span, via);
        } else if self.resources.contains(name) {
            self.push(NameKind::Resource, name, span, via);
        }
    }

    /// `Fn::GetAtt: "A.B"`: the resource is the part before the first dot.
    fn dotted_get_att(&mut self, node: &Node) {
        let Some((value, span)) = scalar_span(self.file, node) else {
            return;
        };
        if let Some(dot) = value.find('.').filter(|dot| *dot > 0) {
            let start = span.start as usize;
            let name = &value[..dot];
            self.push(
                NameKind::Resource,
                name,
                Span::new(start, start + dot),
                UseKind::GetAtt,
            );
        }
    }

    /// The `${Name}` and `${Name.Attr}` of a `Fn::Sub` string, found in the source text so that
    /// each span is where the name is written (escapes elsewhere in the string do not matter).
    fn sub(&mut self, node: &Node, variables: &HashSet<&str>) {
        let Some(scalar) = node.as_scalar() else {
            return;
        };
        let raw = self.file.slice(node.span);
        let mut from = 0;
        if matches!(scalar.style, ScalarStyle::Literal | ScalarStyle::Folded) {
            // The header line (`|-`, maybe a comment) is not part of the value.
            match raw.find('\n') {
                Some(newline) => from = newline + 1,
                None => return,
            }
        }
        let base = node.span.start as usize;
        while let Some(found) = raw.get(from..).and_then(|rest| rest.find("${")) {
            let open = from + found + 2;
            from = open;
            let Some(close) = raw.get(open..).and_then(|rest| rest.find('}')) else {
                break;
            };
            let content = &raw[open..open + close];
            if content.is_empty()
                || content.starts_with('!')
                || content
                    .chars()
                    .any(|c| c.is_whitespace() || matches!(c, '\\' | '"' | '\'' | '$' | '{'))
            {
                continue;
            }
            from = open + close + 1;
            // The text as written must appear in the value; anything else means the raw text
            // was read wrong, and a wrong span is worse than none.
            if !scalar.value.contains(&raw[open - 2..from]) {
                continue;
            }
            let (name, attribute) = match content.split_once('.') {
                Some((name, attribute)) => (name, Some(attribute)),
                None => (content, None),
            };
            if name.is_empty() || variables.contains(content) || variables.contains(name) {
                continue;
            }
            let span = Span::new(base + open, base + open + name.len());
            if attribute.is_some() && !is_pseudo(name) {
                self.push(NameKind::Resource, name, span, UseKind::Sub);
            } else {
                self.defined(name, span, UseKind::Sub);
            }
        }
    }

    fn push(&mut self, kind: NameKind, name: &str, span: Span, via: UseKind) {
        self.uses.push(Use {
            kind,
            name: name.to_owned(),
            span,
            via,
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// `Ref` and `${…}`: parameters, resources and pseudo parameters.
    Ref,
    Resources,
    Conditions,
    Mappings,
}

/// What kind of name the cursor is in, from its line's text before the partly typed name.
fn completion_context(line_prefix: &str) -> Option<Context> {
    let typed = completion_prefix(line_prefix);
    let before = &line_prefix[..line_prefix.len() - typed.len()];
    if before.ends_with("${") {
        return Some(Context::Ref);
    }
    // The quote that opens the name being typed (`{"Ref": "`, `!Ref '`).
    let (before, quoted) = match before.strip_suffix(['"', '\'']) {
        Some(stripped) => (stripped, true),
        None => (before, false),
    };
    // `!Ref ` inside a string is text.
    open_brackets(before)?;
    let trimmed = before.trim_end();
    let spaced = trimmed.len() < before.len();
    if let Some(key) = trimmed.strip_suffix(':') {
        // `Ref:Name` is no key and value in YAML; a space or an opening quote says the value
        // starts here.
        if !(spaced || quoted) {
            return None;
        }
        return match key_name(key) {
            "Ref" => Some(Context::Ref),
            "Condition" => Some(Context::Conditions),
            "DependsOn" | "Fn::GetAtt" => Some(Context::Resources),
            _ => None,
        };
    }
    if let Some(tag) = last_tag(trimmed) {
        if !spaced {
            return None;
        }
        return match tag {
            "Ref" => Some(Context::Ref),
            "GetAtt" => Some(Context::Resources),
            "Condition" => Some(Context::Conditions),
            _ => None,
        };
    }
    let (bracket, position) = open_list(before)?;
    let owner = before[..bracket].trim_end();
    let function = match owner.strip_suffix(':') {
        Some(key) => key_name(key),
        None => last_tag(owner).map_or("", |tag| match tag {
            "If" => "Fn::If",
            "FindInMap" => "Fn::FindInMap",
            "GetAtt" => "Fn::GetAtt",
            _ => "",
        }),
    };
    match (function, position) {
        ("DependsOn", _) | ("Fn::GetAtt", 0) => Some(Context::Resources),
        ("Fn::If", 0) => Some(Context::Conditions),
        ("Fn::FindInMap", 0) => Some(Context::Mappings),
        _ => None,
    }
}

/// The key before a `:`, without its quotes: `Fn::GetAtt` in `  "Fn::GetAtt"`.
fn key_name(text: &str) -> &str {
    let text = text.trim_end();
    let text = text.strip_suffix(['"', '\'']).unwrap_or(text);
    completion_prefix(text)
}

/// The short-form tag that ends `text` (`Ref` in `- !Ref`), if any.
fn last_tag(text: &str) -> Option<&str> {
    let start = text
        .rfind(|c: char| c.is_whitespace() || matches!(c, '[' | '{' | ','))
        .map_or(0, |at| at + 1);
    let tag = text[start..].strip_prefix('!')?;
    (!tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric())).then_some(tag)
}

/// The flow collections still open at the end of `text`, and where its last item starts.
struct Open {
    /// (bracket, offset, commas seen at its level), innermost last.
    brackets: Vec<(u8, usize, usize)>,
    item_start: usize,
}

/// Reads `text` as the start of a line of flow YAML or JSON; `None` when it ends inside a
/// quoted string. A quote counts as opening a string only where a value can start, so the
/// apostrophe of a plain `it's` does not.
fn open_brackets(text: &str) -> Option<Open> {
    let mut open = Open {
        brackets: Vec::new(),
        item_start: 0,
    };
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut previous = b'[';
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'"' | b'\'' if matches!(previous, b'[' | b',' | b'{' | b':' | b' ') => {
                pos = closing_quote(bytes, pos)?;
            }
            b'[' | b'{' => {
                open.brackets.push((byte, pos, 0));
                open.item_start = pos + 1;
            }
            b']' | b'}' => {
                open.brackets.pop();
            }
            b',' => {
                if let Some(top) = open.brackets.last_mut() {
                    top.2 += 1;
                }
                open.item_start = pos + 1;
            }
            _ => {}
        }
        previous = if byte.is_ascii_whitespace() {
            b' '
        } else {
            byte
        };
        pos += 1;
    }
    Some(open)
}

/// When `text` ends inside a flow list with only white space since the last `[` or `,`: the
/// offset of the list's `[` and which item the cursor is on (0 for the first).
fn open_list(text: &str) -> Option<(usize, usize)> {
    let open = open_brackets(text)?;
    let &(bracket, at, commas) = open.brackets.last()?;
    let item = text.get(open.item_start..)?;
    (bracket == b'[' && item.trim().is_empty()).then_some((at, commas))
}

/// The offset of the quote closing the one at `start`; `None` when the quote is still open.
fn closing_quote(bytes: &[u8], start: usize) -> Option<usize> {
    let quote = *bytes.get(start)?;
    let mut pos = start + 1;
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'\\' if quote == b'"' => pos += 2,
            b'\'' if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') => pos += 2,
            _ if byte == quote => return Some(pos),
            _ => pos += 1,
        }
    }
    None
}
