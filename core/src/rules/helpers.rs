//! The building blocks of checks: what a rule sees, what it reports, how its outcomes are narrowed
//! by other properties, and how its fixes are made. The shapes built from them are in `shapes.rs`.

use crate::diagnostic::{Applicability, Edit, Fix, RuleMeta, Severity};
use crate::eval::{Case, Context, Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::source::SourceFile;
use crate::syntax::Node;
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

    /// A fix setting `path` (below `Properties`) to `value`; see [`RuleContext::fix_from`].
    pub fn set_fix(
        &self,
        resource: &Resource<'a>,
        path: &[&'static str],
        value: NewValue,
        title: impl Into<String>,
    ) -> Option<Fix> {
        self.fix_from(title, fix::set_property(self.file, resource, path, value))
    }

    /// A fix setting `path` below `node` (e.g. one item of a list) to `value`; see
    /// [`RuleContext::fix_from`].
    pub fn set_in_fix(
        &self,
        node: &Node,
        path: &[&'static str],
        value: NewValue,
        title: impl Into<String>,
    ) -> Option<Fix> {
        self.fix_from(title, fix::set_in(self.file, node, path, value))
    }

    /// A fix made of edits from [`fix::set_property`] or [`fix::set_in`], with the rule's
    /// applicability: none when the rule has no fix or the text cannot be edited, and unsafe when
    /// an edit replaces a function such as `!Ref` (someone's decision, often a parameter).
    pub fn fix_from(
        &self,
        title: impl Into<String>,
        edits: Option<(Vec<Edit>, bool)>,
    ) -> Option<Fix> {
        let applicability = self.meta.fix?;
        let (edits, replaced_function) = edits?;
        let safe = applicability == Applicability::Safe && !replaced_function;
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

/// The keys of a path, or `None` when it goes through list items (a fix cannot name one item).
pub fn keys(path: &[Step<'static>]) -> Option<Vec<&'static str>> {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => Some(*key),
            Step::Each => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Values.

/// Whether a boolean is `expected`, or not there at all (for a flag whose default is
/// `expected`). A null or a text that is not a boolean is a schema problem, not a finding.
pub fn bool_or_absent(value: &Value<'_>, expected: bool) -> bool {
    match value {
        Value::Absent => true,
        value => value.as_bool() == Some(expected),
    }
}

/// Whether a value fails a rule about its text: unset fails, a known text fails unless
/// `accepted`, and an unknown value never fails by itself (nor one that is not text at all,
/// which is a schema problem).
pub fn text_fails(value: &Value<'_>, accepted: impl Fn(&str) -> bool) -> bool {
    match value {
        Value::Unknown => false,
        value if value.is_unset() => true,
        value => value.text().is_some_and(|text| !accepted(text)),
    }
}

/// Whether `text` is one of `allowed`, ignoring ASCII case as CloudFormation enumerations do.
pub fn is_one_of(text: &str, allowed: &[&str]) -> bool {
    allowed.iter().any(|good| text.eq_ignore_ascii_case(good))
}

/// Whether a key value names a customer managed key. An AWS managed key, named by its alias
/// (`alias/aws/…`, also inside an alias ARN), does not: its policy cannot be edited, so it gives
/// none of the control a customer key exists for. An unknown value is given the benefit of the
/// doubt.
pub fn names_customer_key(value: &Value<'_>) -> bool {
    if value.is_unset() {
        return false;
    }
    match value.text() {
        Some(text) => {
            let text = text.trim().to_ascii_lowercase();
            !(text.starts_with("alias/aws/") || text.contains(":alias/aws/"))
        }
        None => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Outcomes and cases.

/// The outcomes that are unset (see [`Value::is_unset`]).
pub fn unset(outcomes: Vec<Outcome<'_>>) -> Vec<Outcome<'_>> {
    outcomes
        .into_iter()
        .filter(|outcome| outcome.value.is_unset())
        .collect()
}

/// Keeps only outcomes whose value is known: a rule that needs a literal uses this so that an
/// unknown value never produces a finding by itself.
pub fn never_unknown<'a>(outcomes: Vec<Outcome<'a>>) -> Vec<Outcome<'a>> {
    outcomes
        .into_iter()
        .filter(|outcome| outcome.value != Value::Unknown)
        .collect()
}

/// Adds an outcome unless it is already there: one value can come up through several pairings,
/// and a repeated case would read twice in the finding.
pub fn push_new<'a>(outcomes: &mut Vec<Outcome<'a>>, outcome: Outcome<'a>) {
    if !outcomes.contains(&outcome) {
        outcomes.push(outcome);
    }
}

/// Every pair of an outcome of `first` and one of `second` that can hold in the same deployment,
/// with the merged case (the assumptions of `first` read first). This is how a rule relates two
/// properties: each finding then says in which cases both values hold.
pub fn pairs<'o, 'a>(
    first: &'o [Outcome<'a>],
    second: &'o [Outcome<'a>],
) -> impl Iterator<Item = (&'o Outcome<'a>, &'o Outcome<'a>, Case<'a>)> {
    first.iter().flat_map(move |one| {
        second
            .iter()
            .filter_map(move |other| Some((one, other, one.case.merge(&other.case)?)))
    })
}

/// Keeps each violating outcome in the cases where another property makes the rule apply (a
/// key's spec, a function's environment, a cache being on), narrowed to those cases.
/// `applies` says whether one value of `gate` certainly makes the rule apply: an unknown gate
/// should answer false, so that it never yields a finding by itself.
///
/// The finding reads the violation's assumptions first; see [`within`] for the gate first.
pub fn gated<'a>(
    violating: Vec<Outcome<'a>>,
    gate: &[Outcome<'a>],
    applies: impl Fn(&Value<'a>) -> bool,
) -> Vec<Outcome<'a>> {
    let gate = applying(gate, applies);
    narrowed(pairs(&violating, &gate).map(|(outcome, _, case)| (outcome, case)))
}

/// [`gated`] read the other way round: the cases where `gate` applies come first, each with the
/// violating outcomes that can hold in it ("when the engine is ActiveMQ and …"). Both orders
/// exist because the order decides how a finding reads and where it points, and rules keep the
/// reading they were written with.
pub fn within<'a>(
    gate: &[Outcome<'a>],
    applies: impl Fn(&Value<'a>) -> bool,
    violating: Vec<Outcome<'a>>,
) -> Vec<Outcome<'a>> {
    let gate = applying(gate, applies);
    narrowed(pairs(&gate, &violating).map(|(_, outcome, case)| (outcome, case)))
}

/// The outcomes of a gate that make the rule apply.
fn applying<'a>(gate: &[Outcome<'a>], applies: impl Fn(&Value<'a>) -> bool) -> Vec<Outcome<'a>> {
    gate.iter()
        .filter(|outcome| applies(&outcome.value))
        .cloned()
        .collect()
}

/// Each outcome narrowed to its case, once.
fn narrowed<'o, 'a: 'o>(
    narrowings: impl Iterator<Item = (&'o Outcome<'a>, Case<'a>)>,
) -> Vec<Outcome<'a>> {
    let mut kept = Vec::new();
    for (outcome, case) in narrowings {
        push_new(
            &mut kept,
            Outcome {
                case,
                ..outcome.clone()
            },
        );
    }
    kept
}

/// The violating outcomes that can hold together with `outcome`, narrowed to its case (its
/// assumptions read first): the values below a mapping in one reading of it.
pub fn in_case_of<'a>(outcome: &Outcome<'a>, violating: Vec<Outcome<'a>>) -> Vec<Outcome<'a>> {
    within(std::slice::from_ref(outcome), |_| true, violating)
}

/// Drops each violating outcome for which some outcome of `exemptions` that can hold at the same
/// time exempts the resource, or might (`may_exempt`). For exemptions that hold when any item of
/// a list has a property, where [`gated`] would need every combination of items.
pub fn unless_any<'a>(
    violating: Vec<Outcome<'a>>,
    exemptions: &[Outcome<'a>],
    may_exempt: impl Fn(&Value<'a>) -> bool,
) -> Vec<Outcome<'a>> {
    violating
        .into_iter()
        .filter(|outcome| {
            !exemptions.iter().any(|exemption| {
                may_exempt(&exemption.value) && outcome.case.merge(&exemption.case).is_some()
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Fixes.

/// Whether `node` is written inside the resource, so that editing it edits the resource (and not,
/// say, a `Mappings` entry the value was looked up from).
pub fn inside(resource: &Resource<'_>, node: &Node) -> bool {
    resource.node.span.start <= node.span.start && node.span.end <= resource.node.span.end
}

/// Edits gathered from several places into one fix; the fix exists only if every place could be
/// edited, so that applying it leaves nothing to report.
#[derive(Debug, Default)]
pub struct Edits {
    edits: Vec<Edit>,
    incomplete: bool,
    /// An edit replaces a function or lands in a computed value: the fix deserves a look.
    needs_review: bool,
}

impl Edits {
    /// Adds the result of [`fix::set_property`] or [`fix::set_in`]; `None` makes the fix impossible.
    pub fn add(&mut self, result: Option<(Vec<Edit>, bool)>) {
        match result {
            Some((edits, replaced_function)) => {
                self.needs_review |= replaced_function;
                for edit in edits {
                    if !self.edits.contains(&edit) {
                        self.edits.push(edit);
                    }
                }
            }
            None => self.incomplete = true,
        }
    }

    /// Marks a place that cannot be edited.
    pub fn fail(&mut self) {
        self.incomplete = true;
    }

    /// Marks the fix unsafe whatever the rule says: an edit lands in a value the template
    /// computes (an `Fn::If` branch, a flag from a parameter), which a mechanical change can get
    /// wrong.
    pub fn needs_review(&mut self) {
        self.needs_review = true;
    }

    /// The fix, with the rule's applicability (see [`RuleContext::fix_from`]).
    pub fn into_fix(self, context: &RuleContext<'_, '_, '_>, title: &str) -> Option<Fix> {
        if self.incomplete {
            return None;
        }
        context.fix_from(title, Some((self.edits, self.needs_review)))
    }
}
