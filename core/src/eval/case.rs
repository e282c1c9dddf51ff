//! Cases: the assumptions under which an outcome holds, and how they read in a message.

use crate::source::Span;

use super::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterSource {
    /// Given on the command line, in a parameters file or in `ward.toml`.
    Configured,
    /// The parameter's `Default`.
    Default,
    /// One of the parameter's `AllowedValues` (it has no default).
    Allowed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assumption<'a> {
    Condition {
        name: &'a str,
        value: bool,
        /// The condition's name in the `Conditions` section.
        span: Span,
        configured: bool,
    },
    Parameter {
        name: &'a str,
        value: String,
        source: ParameterSource,
        /// The default or allowed value that was assumed, or the parameter's name.
        span: Span,
    },
}

impl Assumption<'_> {
    pub fn span(&self) -> Span {
        match self {
            Assumption::Condition { span, .. } | Assumption::Parameter { span, .. } => *span,
        }
    }

    /// How the assumption reads in a finding's message.
    pub fn describe(&self) -> String {
        match self {
            Assumption::Condition { name, value, .. } => {
                format!("condition {name} is {value}")
            }
            Assumption::Parameter {
                name,
                value,
                source,
                ..
            } => match source {
                ParameterSource::Configured => format!("parameter {name} is `{value}`"),
                ParameterSource::Default if value.is_empty() => {
                    format!("parameter {name} keeps its empty default value")
                }
                ParameterSource::Default => {
                    format!("parameter {name} keeps its default value `{value}`")
                }
                ParameterSource::Allowed => format!("parameter {name} is `{value}`"),
            },
        }
    }

    /// The note attached to the assumption's related location.
    pub fn related_message(&self) -> String {
        match self {
            Assumption::Condition { name, value, .. } => {
                format!("the finding holds when condition {name} is {value}")
            }
            Assumption::Parameter {
                name,
                source: ParameterSource::Default,
                ..
            } => format!("default value of parameter {name}"),
            Assumption::Parameter { name, value, .. } => {
                format!("value `{value}` of parameter {name}")
            }
        }
    }
}

/// A consistent set of assumptions. The empty case is "in every deployment".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Case<'a> {
    assumptions: Vec<Assumption<'a>>,
}

impl<'a> Case<'a> {
    pub fn assumptions(&self) -> &[Assumption<'a>] {
        &self.assumptions
    }

    pub fn is_empty(&self) -> bool {
        self.assumptions.is_empty()
    }

    pub fn condition(&self, name: &str) -> Option<bool> {
        self.assumptions
            .iter()
            .find_map(|assumption| match assumption {
                Assumption::Condition {
                    name: assumed,
                    value,
                    ..
                } if *assumed == name => Some(*value),
                _ => None,
            })
    }

    pub fn parameter(&self, name: &str) -> Option<Value<'a>> {
        self.assumptions
            .iter()
            .find_map(|assumption| match assumption {
                Assumption::Parameter {
                    name: assumed,
                    value,
                    ..
                } if *assumed == name => Some(Value::Text(value.clone())),
                _ => None,
            })
    }

    /// The case with one more assumption, or `None` when it contradicts one already made.
    pub fn with(&self, assumption: Assumption<'a>) -> Option<Case<'a>> {
        let contradicts = self
            .assumptions
            .iter()
            .any(|made| match (made, &assumption) {
                (
                    Assumption::Condition { name, value, .. },
                    Assumption::Condition {
                        name: new_name,
                        value: new_value,
                        ..
                    },
                ) => name == new_name && value != new_value,
                (
                    Assumption::Parameter { name, value, .. },
                    Assumption::Parameter {
                        name: new_name,
                        value: new_value,
                        ..
                    },
                ) => name == new_name && value != new_value,
                _ => false,
            });
        if contradicts {
            return None;
        }
        let mut case = self.clone();
        if !case.assumptions.contains(&assumption) {
            case.assumptions.push(assumption);
        }
        Some(case)
    }

    /// Both cases at once, or `None` when they contradict each other.
    pub fn merge(&self, other: &Case<'a>) -> Option<Case<'a>> {
        other
            .assumptions
            .iter()
            .try_fold(self.clone(), |case, assumption| {
                case.with(assumption.clone())
            })
    }

    /// The case without the assumptions that `other` makes too (e.g. the resource's own condition).
    pub fn without(&self, other: &Case<'a>) -> Case<'a> {
        Case {
            assumptions: self
                .assumptions
                .iter()
                .filter(|assumption| !other.assumptions.contains(assumption))
                .cloned()
                .collect(),
        }
    }

    /// Merges cases that differ only in the value of one condition ("IsProd is true" and "IsProd
    /// is false" with everything else equal) into the case without it, until nothing merges, and
    /// drops duplicates. A finding that holds in both branches then reads as unconditional.
    pub fn simplify(mut cases: Vec<Case<'a>>) -> Vec<Case<'a>> {
        loop {
            cases.dedup();
            let mut merged = None;
            'search: for (i, first) in cases.iter().enumerate() {
                for (j, second) in cases.iter().enumerate().skip(i + 1) {
                    if let Some(common) = first.complement(second) {
                        merged = Some((i, j, common));
                        break 'search;
                    }
                }
            }
            let Some((i, j, common)) = merged else {
                let mut unique: Vec<Case<'a>> = Vec::new();
                for case in cases {
                    if !unique.contains(&case) {
                        unique.push(case);
                    }
                }
                return unique;
            };
            cases.remove(j);
            cases[i] = common;
        }
    }

    /// The common part of two cases that differ exactly in one condition's value.
    fn complement(&self, other: &Case<'a>) -> Option<Case<'a>> {
        if self.assumptions.len() != other.assumptions.len() {
            return None;
        }
        let differing: Vec<&Assumption<'a>> = self
            .assumptions
            .iter()
            .filter(|assumption| !other.assumptions.contains(assumption))
            .collect();
        let [Assumption::Condition { name, value, .. }] = differing.as_slice() else {
            return None;
        };
        if other.condition(name) != Some(!value) {
            return None;
        }
        Some(Case {
            assumptions: self
                .assumptions
                .iter()
                .filter(|assumption| {
                    !matches!(assumption, Assumption::Condition { name: other_name, .. } if other_name == name)
                })
                .cloned()
                .collect(),
        })
    }

    /// "when condition IsProd is false and parameter Env keeps its default value `dev`".
    /// Conditions come first; a parameter that only decides a named condition still reads.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .assumptions
            .iter()
            .filter(|assumption| matches!(assumption, Assumption::Condition { .. }))
            .map(Assumption::describe)
            .collect();
        parts.extend(
            self.assumptions
                .iter()
                .filter(|assumption| matches!(assumption, Assumption::Parameter { .. }))
                .map(Assumption::describe),
        );
        match parts.as_slice() {
            [] => String::new(),
            [only] => format!("when {only}"),
            [init @ .., last] => format!("when {} and {last}", init.join(", ")),
        }
    }
}
