//! Abstract evaluation: the values a property can take across the deployments a template allows.
//!
//! A value is not one value but a list of [`Outcome`]s, each true in a [`Case`]: a set of
//! assumptions about conditions and parameters ("condition IsProd is false", "parameter Env keeps
//! its default"). `Fn::If` yields both branches unless its condition is decided; `Ref` to a
//! parameter yields the configured value, else its `Default`, else each of its `AllowedValues`,
//! else unknown. Unknown values never produce a finding by themselves.

mod case;

pub use case::{Assumption, Case, ParameterSource};

use crate::config::Config;
use crate::source::Span;
use crate::syntax::Node;
use crate::template::{Resource, Template};

/// Evaluation stops branching past this many outcomes and answers "unknown" instead, so that
/// templates with many independent conditions stay fast.
const MAX_OUTCOMES: usize = 64;

/// Conditions may refer to conditions; this bounds the chain (and breaks cycles).
const MAX_CONDITION_DEPTH: usize = 32;

/// The value of an expression in one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// The property is not set, or is `AWS::NoValue`.
    Absent,
    /// A literal node of the template: a scalar, a sequence or a mapping that is not a function.
    Node(&'a Node),
    /// A string computed by folding functions over known values.
    Text(String),
    /// Not knowable before deployment (a resource attribute, an import, an unset parameter …).
    Unknown,
}

impl<'a> Value<'a> {
    /// The value as text, for scalars and folded strings.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Node(node) => node.as_str(),
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The value as CloudFormation reads a boolean: `true`/`false` in any case, quoted or not.
    pub fn as_bool(&self) -> Option<bool> {
        let text = self.text()?.trim();
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            None
        }
    }

    pub fn node(&self) -> Option<&'a Node> {
        match self {
            Value::Node(node) => Some(node),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Value::Absent)
    }

    /// Absent, null, or an empty string: "not set" as far as a rule is concerned.
    pub fn is_unset(&self) -> bool {
        match self {
            Value::Absent => true,
            Value::Node(node) => node.is_null() || node.as_str().is_some_and(str::is_empty),
            Value::Text(text) => text.is_empty(),
            Value::Unknown => false,
        }
    }
}

/// One possible value and the case in which the template gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<'a> {
    pub value: Value<'a>,
    pub case: Case<'a>,
    /// Where a finding about this value should point: the value in the resource, or for a
    /// missing property the key of the closest mapping that exists.
    pub site: Span,
    /// True when the value comes straight from the resource's text, with no function between the
    /// resource and the value, so a fix can edit it in place.
    pub literal: bool,
}

/// One step of a property path: a mapping key, or every item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'p> {
    Key(&'p str),
    Each,
}

/// The evaluator for one template and configuration.
pub struct Context<'t, 'a> {
    pub template: &'t Template<'a>,
    pub config: &'t Config,
}

impl<'t, 'a> Context<'t, 'a> {
    pub fn new(template: &'t Template<'a>, config: &'t Config) -> Self {
        Context { template, config }
    }

    /// The cases in which the resource exists: one empty case without a `Condition`, none when
    /// its condition can never be true.
    pub fn resource_cases(&self, resource: &Resource<'a>) -> Vec<Case<'a>> {
        match resource.condition {
            None => vec![Case::default()],
            Some((name, _)) => self
                .condition(name, &Case::default(), 0)
                .into_iter()
                .filter_map(|(value, case)| value.then_some(case))
                .collect(),
        }
    }

    /// The values of the property at `path` (below `Properties`) across the resource's cases.
    /// SAM resources fall back to the template's `Globals` for a top-level property they lack.
    pub fn property(&self, resource: &Resource<'a>, path: &[Step<'_>]) -> Vec<Outcome<'a>> {
        let mut outcomes = Vec::new();
        for case in self.resource_cases(resource) {
            let globals = resource
                .type_name
                .and_then(|type_name| self.template.globals_for(type_name));
            let start = match (resource.properties, globals) {
                (Some(entry), _) => self.eval(&entry.value, &case, true),
                // A SAM resource without Properties still gets its Globals.
                (None, Some(globals)) => vec![Outcome {
                    value: Value::Node(globals),
                    case: case.clone(),
                    site: resource.id_span,
                    literal: false,
                }],
                (None, None) => vec![Outcome {
                    value: Value::Absent,
                    case: case.clone(),
                    site: resource.id_span,
                    literal: true,
                }],
            };
            let start = start
                .into_iter()
                .map(|mut outcome| {
                    if let Some(entry) = resource.properties {
                        outcome.site = entry.key_span;
                    }
                    outcome
                })
                .collect();
            outcomes.extend(self.walk(start, path, globals));
        }
        cap(outcomes)
    }

    /// Follows `path` from each outcome. `globals` is a SAM Globals mapping consulted for the
    /// first step when the resource itself lacks the key.
    pub fn walk(
        &self,
        mut current: Vec<Outcome<'a>>,
        path: &[Step<'_>],
        mut globals: Option<&'a Node>,
    ) -> Vec<Outcome<'a>> {
        for step in path {
            let mut next = Vec::new();
            for outcome in current {
                match (&outcome.value, step) {
                    (Value::Absent, Step::Key(_)) => next.push(outcome),
                    (Value::Absent, Step::Each) => {}
                    (Value::Node(node), Step::Key(key)) if node.as_mapping().is_some() => {
                        let entry = node.entry(key).or_else(|| {
                            globals
                                .and_then(|globals| globals.entry(key))
                                .filter(|_| outcome.literal)
                        });
                        match entry {
                            Some(entry) => {
                                let from_globals =
                                    !node.entry(key).is_some_and(|own| std::ptr::eq(own, entry));
                                for mut child in self.eval(&entry.value, &outcome.case, true) {
                                    child.literal &= outcome.literal && !from_globals;
                                    // A missing key below this one, or the mapping itself,
                                    // is best shown at this key rather than the whole block.
                                    let points_at_value = child.site == entry.value.span;
                                    let is_mapping = child
                                        .value
                                        .node()
                                        .is_some_and(|node| node.as_mapping().is_some());
                                    if points_at_value && (child.value.is_absent() || is_mapping) {
                                        child.site = entry.key_span;
                                    }
                                    next.push(child);
                                }
                            }
                            None => next.push(Outcome {
                                value: Value::Absent,
                                ..outcome
                            }),
                        }
                    }
                    (Value::Node(node), Step::Each) if node.as_sequence().is_some() => {
                        for item in node.as_sequence().unwrap_or_default() {
                            for mut child in self.eval(item, &outcome.case, true) {
                                child.literal &= outcome.literal;
                                next.push(child);
                            }
                        }
                    }
                    // A value of the wrong shape is a schema error, not a security finding.
                    _ => next.push(Outcome {
                        value: Value::Unknown,
                        ..outcome
                    }),
                }
            }
            current = cap(next);
            globals = None;
        }
        current
    }

    /// Evaluates an expression in a case. `top` marks a value written in the resource itself, so
    /// that the outcome's site is the expression (rather than, say, a parameter's default).
    pub fn eval(&self, node: &'a Node, case: &Case<'a>, top: bool) -> Vec<Outcome<'a>> {
        let _ = top;
        let outcome = |value| Outcome {
            value,
            case: case.clone(),
            site: node.span,
            literal: true,
        };
        // `Key:` with no value (or `null`, `~`) sets nothing, as far as CloudFormation goes.
        if node.is_null() {
            return vec![outcome(Value::Absent)];
        }
        let Some((function, argument)) = node.intrinsic() else {
            return vec![outcome(Value::Node(node))];
        };
        let indirect = |mut outcomes: Vec<Outcome<'a>>| {
            for each in &mut outcomes {
                each.site = node.span;
                each.literal = false;
            }
            outcomes
        };
        match function {
            "Fn::If" => {
                let Some([condition, when_true, when_false]) = argument
                    .as_sequence()
                    .and_then(|items| <&[Node; 3]>::try_from(items).ok())
                else {
                    return vec![outcome(Value::Unknown)];
                };
                let Some(name) = condition.as_str() else {
                    return vec![outcome(Value::Unknown)];
                };
                let mut outcomes = Vec::new();
                for (value, branch_case) in self.condition(name, case, 0) {
                    let branch = if value { when_true } else { when_false };
                    for mut each in self.eval(branch, &branch_case, top) {
                        // Editing a branch would leave the other branch's behaviour to chance;
                        // fixes replace the whole `Fn::If` instead.
                        each.literal = false;
                        outcomes.push(each);
                    }
                }
                cap(outcomes)
            }
            "Ref" => match argument.as_str() {
                Some("AWS::NoValue") => {
                    let mut absent = outcome(Value::Absent);
                    absent.literal = false;
                    vec![absent]
                }
                Some(name) => indirect(self.parameter(name, case)),
                None => vec![outcome(Value::Unknown)],
            },
            "Fn::FindInMap" => indirect(self.find_in_map(argument, case)),
            "Fn::Sub" => indirect(self.sub(argument, case)),
            "Fn::Join" => indirect(self.join(argument, case)),
            "Fn::Select" => indirect(self.select(argument, case)),
            _ => indirect(vec![outcome(Value::Unknown)]),
        }
    }

    /// The possible values of `Ref name`.
    fn parameter(&self, name: &str, case: &Case<'a>) -> Vec<Outcome<'a>> {
        let unknown = || {
            vec![Outcome {
                value: Value::Unknown,
                case: case.clone(),
                site: Span::default(),
                literal: false,
            }]
        };
        let Some(parameter) = self.template.parameter(name) else {
            return unknown();
        };
        if let Some(chosen) = case.parameter(name) {
            return vec![Outcome {
                value: chosen,
                case: case.clone(),
                site: Span::default(),
                literal: false,
            }];
        }
        let mut choices: Vec<(Value<'a>, ParameterSource, Span)> = Vec::new();
        if let Some(configured) = self.config.parameters.get(name) {
            choices.push((
                Value::Text(configured.clone()),
                ParameterSource::Configured,
                parameter.name_span,
            ));
        } else if let Some(default) = parameter.default {
            choices.push((Value::Node(default), ParameterSource::Default, default.span));
        } else if let Some(allowed) = parameter.allowed_values {
            for value in allowed {
                choices.push((Value::Node(value), ParameterSource::Allowed, value.span));
            }
        }
        if choices.is_empty() {
            return unknown();
        }
        choices
            .into_iter()
            .filter_map(|(value, source, span)| {
                let assumption = Assumption::Parameter {
                    name: parameter.name,
                    value: value.text().unwrap_or_default().to_string(),
                    source,
                    span,
                };
                let case = case.with(assumption)?;
                Some(Outcome {
                    value,
                    case,
                    site: Span::default(),
                    literal: false,
                })
            })
            .collect()
    }

    /// The values a condition can take in a case, each with the case extended by that choice.
    pub fn condition(&self, name: &str, case: &Case<'a>, depth: usize) -> Vec<(bool, Case<'a>)> {
        if let Some(value) = case.condition(name) {
            return vec![(value, case.clone())];
        }
        let Some(definition) = self.template.condition(name) else {
            return Vec::new();
        };
        let assume = |value: bool, case: &Case<'a>| {
            case.with(Assumption::Condition {
                name: definition.name,
                value,
                span: definition.name_span,
                configured: self.config.conditions.contains_key(name),
            })
            .map(|case| (value, case))
        };
        if let Some(value) = self.config.conditions.get(name) {
            return assume(*value, case).into_iter().collect();
        }
        let mut results = Vec::new();
        for (value, case) in self.boolean(definition.node, case, depth + 1) {
            match value {
                Some(value) => results.extend(assume(value, &case)),
                None => {
                    results.extend(assume(true, &case));
                    results.extend(assume(false, &case));
                }
            }
        }
        results.truncate(MAX_OUTCOMES);
        results
    }

    /// Evaluates a condition expression: `Some(bool)` where decided, `None` where unknown.
    fn boolean(
        &self,
        node: &'a Node,
        case: &Case<'a>,
        depth: usize,
    ) -> Vec<(Option<bool>, Case<'a>)> {
        if depth > MAX_CONDITION_DEPTH {
            return vec![(None, case.clone())];
        }
        let Some((function, argument)) = node.intrinsic() else {
            let literal = Value::Node(node).as_bool();
            return vec![(literal, case.clone())];
        };
        let items = argument.as_sequence().unwrap_or_default();
        match function {
            "Condition" => match argument.as_str() {
                Some(name) => self
                    .condition(name, case, depth)
                    .into_iter()
                    .map(|(value, case)| (Some(value), case))
                    .collect(),
                None => vec![(None, case.clone())],
            },
            "Fn::Equals" if items.len() == 2 => {
                let mut results = Vec::new();
                for left in self.eval(&items[0], case, false) {
                    for right in self.eval(&items[1], &left.case, false) {
                        let decided = match (left.value.text(), right.value.text()) {
                            (Some(a), Some(b)) => Some(a == b),
                            _ => None,
                        };
                        results.push((decided, right.case));
                    }
                }
                results.truncate(MAX_OUTCOMES);
                results
            }
            "Fn::Not" if items.len() == 1 => self
                .boolean(&items[0], case, depth + 1)
                .into_iter()
                .map(|(value, case)| (value.map(|value| !value), case))
                .collect(),
            "Fn::And" | "Fn::Or" if !items.is_empty() => {
                let is_and = function == "Fn::And";
                let mut partial: Vec<(Option<bool>, Case<'a>)> = vec![(Some(is_and), case.clone())];
                for item in items {
                    let mut next = Vec::new();
                    for (so_far, case) in partial {
                        if so_far == Some(!is_and) {
                            // Already decided: false for And, true for Or.
                            next.push((so_far, case));
                            continue;
                        }
                        for (value, case) in self.boolean(item, &case, depth + 1) {
                            let combined = match (so_far, value) {
                                (_, Some(value)) if value != is_and => Some(value),
                                (Some(a), Some(_)) => Some(a),
                                _ => None,
                            };
                            next.push((combined, case));
                        }
                    }
                    next.truncate(MAX_OUTCOMES);
                    partial = next;
                }
                partial
            }
            _ => vec![(None, case.clone())],
        }
    }

    fn texts(&self, node: &'a Node, case: &Case<'a>) -> Vec<(Option<String>, Case<'a>)> {
        self.eval(node, case, false)
            .into_iter()
            .map(|outcome| (outcome.value.text().map(str::to_string), outcome.case))
            .collect()
    }

    fn find_in_map(&self, argument: &'a Node, case: &Case<'a>) -> Vec<Outcome<'a>> {
        let unknown = |case: Case<'a>| Outcome {
            value: Value::Unknown,
            case,
            site: Span::default(),
            literal: false,
        };
        let Some([map_name, top_key, second_key]) = argument
            .as_sequence()
            .and_then(|items| items.get(..3))
            .and_then(|items| <&[Node; 3]>::try_from(items).ok())
        else {
            return vec![unknown(case.clone())];
        };
        let mut outcomes = Vec::new();
        for (map, case) in self.texts(map_name, case) {
            for (top, case) in self.texts(top_key, &case) {
                for (second, case) in self.texts(second_key, &case) {
                    let found = match (&map, &top, &second) {
                        (Some(map), Some(top), Some(second)) => self
                            .template
                            .mapping(map)
                            .and_then(|mapping| mapping.node.get(top))
                            .and_then(|level| level.get(second)),
                        _ => None,
                    };
                    match found {
                        Some(node) => outcomes.extend(self.eval(node, &case, false)),
                        None => outcomes.push(unknown(case)),
                    }
                }
            }
        }
        cap(outcomes)
    }

    fn sub(&self, argument: &'a Node, case: &Case<'a>) -> Vec<Outcome<'a>> {
        let (template_text, variables) = match (argument.as_str(), argument.as_sequence()) {
            (Some(text), _) => (Some(text), None),
            (None, Some([text, variables])) => (text.as_str(), Some(variables)),
            _ => (None, None),
        };
        let text_outcome = |value, case| Outcome {
            value,
            case,
            site: Span::default(),
            literal: false,
        };
        let Some(template_text) = template_text else {
            return vec![text_outcome(Value::Unknown, case.clone())];
        };
        let mut partial: Vec<(String, Case<'a>)> = vec![(String::new(), case.clone())];
        let mut rest = template_text;
        while let Some(start) = rest.find("${") {
            let literal = &rest[..start];
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(escaped) = name.strip_prefix('!') {
                // `${!Literal}` writes `${Literal}`.
                for (text, _) in &mut partial {
                    text.push_str(literal);
                    text.push_str("${");
                    text.push_str(escaped);
                    text.push('}');
                }
                continue;
            }
            let mut next = Vec::new();
            for (text, case) in partial {
                let values = match variables.and_then(|variables| variables.get(name)) {
                    Some(node) => self.texts(node, &case),
                    None if !name.contains('.') => self
                        .parameter(name, &case)
                        .into_iter()
                        .map(|outcome| (outcome.value.text().map(str::to_string), outcome.case))
                        .collect(),
                    None => vec![(None, case)],
                };
                for (value, case) in values {
                    match value {
                        Some(value) => next.push((format!("{text}{literal}{value}"), case)),
                        None => return vec![text_outcome(Value::Unknown, case)],
                    }
                }
            }
            partial = next;
            if partial.len() > MAX_OUTCOMES {
                return vec![text_outcome(Value::Unknown, case.clone())];
            }
        }
        partial
            .into_iter()
            .map(|(mut text, case)| {
                text.push_str(rest);
                text_outcome(Value::Text(text), case)
            })
            .collect()
    }

    fn join(&self, argument: &'a Node, case: &Case<'a>) -> Vec<Outcome<'a>> {
        let unknown = |case| Outcome {
            value: Value::Unknown,
            case,
            site: Span::default(),
            literal: false,
        };
        let (Some(delimiter), Some(items)) = (
            argument
                .as_sequence()
                .and_then(|items| items.first())
                .and_then(Node::as_str),
            argument
                .as_sequence()
                .and_then(|items| items.get(1))
                .and_then(Node::as_sequence),
        ) else {
            return vec![unknown(case.clone())];
        };
        let mut partial: Vec<(Vec<String>, Case<'a>)> = vec![(Vec::new(), case.clone())];
        for item in items {
            let mut next = Vec::new();
            for (parts, case) in partial {
                for (value, case) in self.texts(item, &case) {
                    let Some(value) = value else {
                        return vec![unknown(case)];
                    };
                    let mut parts = parts.clone();
                    parts.push(value);
                    next.push((parts, case));
                }
            }
            if next.len() > MAX_OUTCOMES {
                return vec![unknown(case.clone())];
            }
            partial = next;
        }
        partial
            .into_iter()
            .map(|(parts, case)| Outcome {
                value: Value::Text(parts.join(delimiter)),
                case,
                site: Span::default(),
                literal: false,
            })
            .collect()
    }

    fn select(&self, argument: &'a Node, case: &Case<'a>) -> Vec<Outcome<'a>> {
        let unknown = || {
            vec![Outcome {
                value: Value::Unknown,
                case: case.clone(),
                site: Span::default(),
                literal: false,
            }]
        };
        let Some([index, list]) = argument
            .as_sequence()
            .and_then(|items| <&[Node; 2]>::try_from(items).ok())
        else {
            return unknown();
        };
        let index = index
            .as_str()
            .and_then(|text| text.trim().parse::<usize>().ok());
        match (index, list.as_sequence()) {
            (Some(index), Some(items)) => match items.get(index) {
                Some(item) => self.eval(item, case, false),
                None => unknown(),
            },
            _ => unknown(),
        }
    }
}

fn cap(mut outcomes: Vec<Outcome<'_>>) -> Vec<Outcome<'_>> {
    if outcomes.len() > MAX_OUTCOMES {
        let site = outcomes
            .first()
            .map(|outcome| outcome.site)
            .unwrap_or_default();
        outcomes.clear();
        outcomes.push(Outcome {
            value: Value::Unknown,
            case: Case::default(),
            site,
            literal: false,
        });
    }
    outcomes
}
