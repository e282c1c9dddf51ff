//! The shapes rules share: "this boolean must be true", "this key must be set" …

use crate::diagnostic::{Fix, RuleMeta, Severity};
use crate::eval::{Context, Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::source::SourceFile;
use crate::template::Resource;

/// What a rule sees: the evaluator, the file (for fixes) and its own metadata.
pub struct RuleContext<'c, 't, 'a> {
    pub eval: &'c Context<'t, 'a>,
    pub file: &'c SourceFile,
    pub meta: &'static RuleMeta,
}

impl<'a> RuleContext<'_, '_, 'a> {
    pub fn property(&self, resource: &Resource<'a>, path: &[Step<'_>]) -> Vec<Outcome<'a>> {
        self.eval.property(resource, path)
    }

    /// A fix setting `path` to `value`, with the rule's applicability (unsafe when it replaces a
    /// function such as `!Ref`).
    pub fn set_fix(
        &self,
        resource: &Resource<'a>,
        path: &[&'static str],
        value: NewValue,
        title: impl Into<String>,
    ) -> Option<Fix> {
        let applicability = self.meta.fix?;
        let (edits, replaced_function) = fix::set_property(self.file, resource, path, value)?;
        let safe = applicability == crate::diagnostic::Applicability::Safe && !replaced_function;
        fix::fix(title, safe, edits)
    }
}

/// A fix that writes a value: its title, and the value.
pub type SetFix = (&'static str, fn() -> NewValue);

/// How a rule treats a property that is not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// A finding with the rule's severity.
    Violation,
    /// A finding with this severity instead: AWS applies a secure default, so the finding is
    /// about explicit intent, not exposure.
    Graded(Severity),
}

/// A problem a check found on one resource, before it becomes a finding.
#[derive(Debug, Clone)]
pub struct Violation<'a> {
    /// What is wrong, naming the resource; the runner appends the cases ("when …").
    pub message: String,
    /// The property path, dotted (`SSESpecification.SSEEnabled`).
    pub property: Option<String>,
    /// The outcomes that violate: their sites and cases locate and qualify the finding.
    pub outcomes: Vec<Outcome<'a>>,
    pub fix: Option<Fix>,
    /// A severity other than the rule's default for this finding (see [`Absent::Graded`]).
    pub severity: Option<Severity>,
}

/// A violation with the rule's severity and no fix.
pub fn violation<'a>(
    resource: &Resource<'a>,
    message: &str,
    path: &[Step<'_>],
    outcomes: Vec<Outcome<'a>>,
) -> Violation<'a> {
    Violation {
        message: message.replace("{resource}", resource.logical_id),
        property: Some(dotted(path)),
        outcomes,
        fix: None,
        severity: None,
    }
}

/// The same violation with a fix.
pub fn fixed<'a>(mut violation: Violation<'a>, fix: Option<Fix>) -> Violation<'a> {
    violation.fix = fix;
    violation
}

pub fn dotted(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Each => out.push_str("[*]"),
        }
    }
    out
}

fn keys(path: &[Step<'static>]) -> Option<Vec<&'static str>> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => Some(*key),
            Step::Each => None,
        })
        .collect()
}

/// Grades a violation whose outcomes are all "absent".
fn grade(mut violation: Violation<'_>, absent: Absent) -> Violation<'_> {
    if let Absent::Graded(severity) = absent
        && violation
            .outcomes
            .iter()
            .all(|outcome| outcome.value.is_absent())
    {
        violation.severity = Some(severity);
    }
    violation
}

/// The boolean at `path` must be true; absent means false.
pub fn check_true<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    absent: Absent,
    fix: bool,
) -> Option<Violation<'a>> {
    let bad: Vec<Outcome<'a>> = context
        .property(resource, path)
        .into_iter()
        .filter(|outcome| match &outcome.value {
            Value::Absent => true,
            value => value.as_bool() == Some(false),
        })
        .collect();
    if bad.is_empty() {
        return None;
    }
    let mut found = violation(resource, message, path, bad);
    if fix && let Some(keys) = keys(path) {
        let name = keys.last().copied().unwrap_or_default();
        found.fix = context.set_fix(resource, &keys, NewValue::Bool(true), format!("Set {name} to true"));
    }
    Some(grade(found, absent))
}

/// The property at `path` must be set.
pub fn check_set<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    absent: Absent,
    fix: Option<SetFix>,
) -> Option<Violation<'a>> {
    let bad: Vec<Outcome<'a>> = context
        .property(resource, path)
        .into_iter()
        .filter(|outcome| outcome.value.is_unset())
        .collect();
    if bad.is_empty() {
        return None;
    }
    let mut found = violation(resource, message, path, bad);
    if let (Some((title, value)), Some(keys)) = (fix, keys(path)) {
        found.fix = context.set_fix(resource, &keys, value(), title);
    }
    Some(grade(found, absent))
}

/// The boolean at `path` must not be true; absent is fine.
pub fn check_not_true<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    fix: bool,
) -> Option<Violation<'a>> {
    let bad: Vec<Outcome<'a>> = context
        .property(resource, path)
        .into_iter()
        .filter(|outcome| outcome.value.as_bool() == Some(true))
        .collect();
    if bad.is_empty() {
        return None;
    }
    let mut found = violation(resource, message, path, bad);
    if fix && let Some(keys) = keys(path) {
        let name = keys.last().copied().unwrap_or_default();
        found.fix = context.set_fix(resource, &keys, NewValue::Bool(false), format!("Set {name} to false"));
    }
    Some(found)
}

/// Keeps only outcomes whose value is known: a rule that needs a literal uses this so that an
/// unknown value never produces a finding by itself.
pub fn never_unknown<'a>(outcomes: Vec<Outcome<'a>>) -> Vec<Outcome<'a>> {
    outcomes
        .into_iter()
        .filter(|outcome| outcome.value != Value::Unknown)
        .collect()
}
