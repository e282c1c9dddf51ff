//! The shapes rules share: "this boolean must be true", "this key must be set", "this key must
//! name a customer managed key", "every item of this list must set this flag" … Each
//! [`Check`](super::Check) variant runs one of them; custom checks call them too.

use super::helpers::{
    Absent, Edits, RuleContext, SetFix, Violation, bool_or_absent, gated, inside, keys,
    names_customer_key, push_new, text_fails, violation, within,
};
use crate::diagnostic::Severity;
use crate::eval::{Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::source::Span;
use crate::syntax::Node;
use crate::template::Resource;

/// The outcomes at `path` that are `bad`, as a violation without a fix.
fn find<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &[Step<'_>],
    message: &str,
    bad: impl Fn(&Value<'a>) -> bool,
) -> Option<Violation<'a>> {
    let bad: Vec<Outcome<'a>> = context
        .property(resource, path)
        .into_iter()
        .filter(|outcome| bad(&outcome.value))
        .collect();
    (!bad.is_empty()).then(|| violation(resource, message, path, bad))
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

/// The fix writing `value` to the boolean at `path`, titled "Set Name to value".
fn flag_fix<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &[Step<'static>],
    value: bool,
) -> Option<crate::diagnostic::Fix> {
    let keys = keys(path)?;
    let name = keys.last().copied().unwrap_or_default();
    context.set_fix(
        resource,
        &keys,
        NewValue::Bool(value),
        format!("Set {name} to {value}"),
    )
}

/// The fix writing a [`SetFix`]'s value at `path`.
fn value_fix<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &[Step<'static>],
    fix: Option<SetFix>,
) -> Option<crate::diagnostic::Fix> {
    let ((title, value), keys) = (fix?, keys(path)?);
    context.set_fix(resource, &keys, value(), title)
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
    let mut found = find(context, resource, path, message, |value| {
        bool_or_absent(value, false)
    })?;
    if fix {
        found.fix = flag_fix(context, resource, path, true);
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
    let mut found = find(context, resource, path, message, Value::is_unset)?;
    found.fix = value_fix(context, resource, path, fix);
    Some(grade(found, absent))
}

/// The boolean at `path` must not be `forbidden`; absent is fine (`EncryptionDisabled` must not
/// be true, `EnforceWorkGroupConfiguration` must not be false).
pub fn check_not<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    forbidden: bool,
    fix: bool,
) -> Option<Violation<'a>> {
    let mut found = find(context, resource, path, message, |value| {
        value.as_bool() == Some(forbidden)
    })?;
    if fix {
        found.fix = flag_fix(context, resource, path, !forbidden);
    }
    Some(found)
}

/// The text at `path` must be `accepted`; unset is not (see [`text_fails`]).
pub fn check_text<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    absent: Absent,
    fix: Option<SetFix>,
    accepted: impl Fn(&str) -> bool,
) -> Option<Violation<'a>> {
    let mut found = find(context, resource, path, message, |value| {
        text_fails(value, &accepted)
    })?;
    found.fix = value_fix(context, resource, path, fix);
    Some(grade(found, absent))
}

/// The key at `path` must name a customer managed KMS key (see [`names_customer_key`]). With
/// `encrypted`, only where that boolean is not explicitly false: an explicitly unencrypted
/// resource is another rule's finding.
pub fn check_customer_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    encrypted: Option<&'static [Step<'static>]>,
) -> Option<Violation<'a>> {
    let missing: Vec<Outcome<'a>> = context
        .property(resource, path)
        .into_iter()
        .filter(|outcome| !names_customer_key(&outcome.value))
        .collect();
    let missing = match encrypted {
        None => missing,
        Some(flag) => within(
            &context.property(resource, flag),
            |value| value.as_bool() != Some(false),
            missing,
        ),
    };
    (!missing.is_empty()).then(|| violation(resource, message, path, missing))
}

// ---------------------------------------------------------------------------------------------
// Exemptions: many resources take their encryption from somewhere else (a cluster, a snapshot, a
// source database) or cannot have it, and only the cases where no such reason applies are
// findings.

/// A property that, when in force, exempts a resource from a rule.
#[derive(Clone, Copy)]
pub enum Exempt {
    /// The property is set, to anything (an unknown value counts as set).
    WhenSet(&'static str),
    /// The property's text satisfies the predicate; an unknown value may, so it exempts too.
    WhenText(&'static str, fn(&str) -> bool),
}

impl Exempt {
    fn key(self) -> &'static str {
        match self {
            Exempt::WhenSet(key) | Exempt::WhenText(key, _) => key,
        }
    }

    /// Whether the value certainly does not exempt the resource.
    fn lifted_by(self, value: &Value<'_>) -> bool {
        match self {
            Exempt::WhenSet(_) => value.is_unset(),
            Exempt::WhenText(_, applies) => match value {
                Value::Absent => true,
                value => value.text().is_some_and(|text| !applies(text)),
            },
        }
    }
}

/// Clusters restored from a snapshot or cloned from another cluster take the source's encryption:
/// the exemptions of the RDS cluster API that DocumentDB and Neptune share.
pub const RESTORED_CLUSTER: &[Exempt] = &[
    Exempt::WhenSet("SnapshotIdentifier"),
    Exempt::WhenSet("SourceDBClusterIdentifier"),
];

/// Keeps the outcomes of `bad` in the cases where none of the exemptions is in force, each
/// narrowed to those cases (so the finding says "when condition IsRestore is false").
pub fn unless_exempt<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    bad: Vec<Outcome<'a>>,
    exemptions: &[Exempt],
) -> Vec<Outcome<'a>> {
    let mut kept = bad;
    for exemption in exemptions {
        if kept.is_empty() {
            break;
        }
        let values = context.property(resource, &[Step::Key(exemption.key())]);
        kept = gated(kept, &values, |value| exemption.lifted_by(value));
    }
    kept
}

/// [`check_true`] (with its fix) restricted to the cases where no exemption applies.
pub fn check_true_unless<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    path: &'static [Step<'static>],
    message: &str,
    exemptions: &[Exempt],
) -> Option<Violation<'a>> {
    let mut found = check_true(context, resource, path, message, Absent::Violation, true)?;
    found.outcomes = unless_exempt(context, resource, found.outcomes, exemptions);
    (!found.outcomes.is_empty()).then_some(found)
}

/// Splits a violation between the cases where the service's default protects the resource anyway
/// (`by_default`: reported at info severity with `message`, since the finding is about stating
/// the intent) and the others (`found`, as it is). Either part is left out when it has no case.
pub fn relies_on_default<'a>(
    resource: &Resource<'a>,
    found: Violation<'a>,
    by_default: Vec<Outcome<'a>>,
    message: &str,
) -> Vec<Violation<'a>> {
    let mut violations = Vec::new();
    if !by_default.is_empty() {
        violations.push(Violation {
            message: message.replace("{resource}", resource.logical_id),
            outcomes: by_default,
            severity: Some(Severity::Info),
            ..found.clone()
        });
    }
    if !found.outcomes.is_empty() {
        violations.push(found);
    }
    violations
}

// ---------------------------------------------------------------------------------------------
// A flag every item of a list must set: `Encrypted` on each EBS block device, on each
// cross-region copy … One finding per resource, naming the items, with one fix for all of them.

/// A boolean that every item of a list must set to true, e.g. `Encrypted` in the `Ebs` block of
/// each block device mapping.
pub struct ItemFlag {
    /// The items, below `Properties` (ending with [`Step::Each`]).
    pub items: &'static [Step<'static>],
    /// The mapping inside each item that holds the flag; empty for the item itself.
    pub holder: &'static [&'static str],
    /// Items without the holder have nothing to encrypt and are skipped; otherwise a missing
    /// holder is reported and the fix creates it.
    pub holder_optional: bool,
    pub flag: &'static str,
    /// Keys of the item that name it in messages (the first one with a known text wins).
    pub label: &'static [&'static str],
}

/// The EBS block devices of a launch template or launch configuration: mappings without an `Ebs`
/// block (instance store, `NoDevice`) have nothing to encrypt.
pub const fn ebs_block_devices(items: &'static [Step<'static>]) -> ItemFlag {
    ItemFlag {
        items,
        holder: &["Ebs"],
        holder_optional: true,
        flag: "Encrypted",
        label: &["DeviceName"],
    }
}

/// Every list must set its flag on every item. The message's `{items}` becomes `one` or
/// `several` ("an unencrypted EBS volume", "unencrypted EBS volumes") with the items' labels; the
/// property named is the flag of the first list with a failing item.
pub fn check_every_item<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    lists: &[ItemFlag],
    message: &str,
    (one, several): (&str, &str),
    fix_title: &str,
) -> Option<Violation<'a>> {
    let mut found = FailingItems::default();
    let mut first = None;
    for list in lists {
        failing_items(context, resource, list, &mut found);
        if first.is_none() && !found.outcomes.is_empty() {
            first = Some(list);
        }
    }
    let list = first?;
    let mut path = list.items.to_vec();
    path.extend(list.holder.iter().map(|key| Step::Key(key)));
    path.push(Step::Key(list.flag));
    let message = message.replace("{items}", &found.describe(one, several));
    let mut failing = violation(resource, &message, &path, found.outcomes);
    failing.fix = found.edits.into_fix(context, fix_title);
    Some(failing)
}

/// What [`failing_items`] found, possibly over several lists.
#[derive(Debug, Default)]
struct FailingItems<'a> {
    outcomes: Vec<Outcome<'a>>,
    labels: Vec<String>,
    /// The items reported, by span (one item can come up in several cases).
    items: Vec<Span>,
    edits: Edits,
}

impl FailingItems<'_> {
    /// "an unencrypted EBS volume (/dev/xvda)" or "unencrypted EBS volumes (/dev/xvda, /dev/sdf)".
    fn describe(&self, one: &str, several: &str) -> String {
        let noun = if self.items.len() > 1 { several } else { one };
        if self.labels.is_empty() {
            noun.to_string()
        } else {
            format!("{noun} ({})", self.labels.join(", "))
        }
    }
}

/// Finds the items of `spec` whose flag is absent or false, and the edits setting it to true.
fn failing_items<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    spec: &ItemFlag,
    found: &mut FailingItems<'a>,
) {
    let holder_steps: Vec<Step<'static>> = spec.holder.iter().map(|key| Step::Key(key)).collect();
    let mut flag_path: Vec<&'static str> = spec.holder.to_vec();
    flag_path.push(spec.flag);
    for item in context.property(resource, spec.items) {
        let Value::Node(item_node) = item.value else {
            continue;
        };
        if item_node.as_mapping().is_none() {
            continue;
        }
        let mut item_bad = false;
        for holder in context.eval.walk(vec![item.clone()], &holder_steps, None) {
            match holder.value {
                Value::Absent if spec.holder_optional => {}
                Value::Absent => {
                    item_bad = true;
                    edit_at(context, resource, item_node, &flag_path, &mut found.edits);
                    push_new(&mut found.outcomes, holder);
                }
                Value::Node(holder_node) if holder_node.as_mapping().is_some() => {
                    let flag_steps = [Step::Key(spec.flag)];
                    for mut flag in context.eval.walk(vec![holder.clone()], &flag_steps, None) {
                        if !bool_or_absent(&flag.value, false) {
                            continue;
                        }
                        item_bad = true;
                        if flag.value.is_absent()
                            && flag.site == holder_node.span
                            && let Some(key_span) =
                                holder_key_span(item_node, spec.holder, holder_node)
                        {
                            flag.site = key_span;
                        }
                        edit_at(
                            context,
                            resource,
                            holder_node,
                            &[spec.flag],
                            &mut found.edits,
                        );
                        push_new(&mut found.outcomes, flag);
                    }
                }
                // Unknown, or a value of the wrong shape: nothing to say.
                _ => {}
            }
        }
        if item_bad && !found.items.contains(&item_node.span) {
            found.items.push(item_node.span);
            let label = spec.label.iter().find_map(|key| {
                context
                    .eval
                    .walk(vec![item.clone()], &[Step::Key(key)], None)
                    .into_iter()
                    .find_map(|outcome| outcome.value.text().map(str::to_string))
            });
            if let Some(label) = label
                && !found.labels.contains(&label)
            {
                found.labels.push(label);
            }
        }
    }
}

/// Sets the flag to true below `node`, if `node` is the resource's own text.
fn edit_at(
    context: &RuleContext<'_, '_, '_>,
    resource: &Resource<'_>,
    node: &Node,
    path: &[&'static str],
    edits: &mut Edits,
) {
    if inside(resource, node) {
        edits.add(fix::set_in(context.file, node, path, NewValue::Bool(true)));
    } else {
        edits.fail();
    }
}

/// The key of the holder mapping inside the item (e.g. `Ebs:`), when written literally: a
/// missing flag is reported there rather than on the whole block.
fn holder_key_span(item: &Node, holder: &[&str], holder_node: &Node) -> Option<Span> {
    let (last, parents) = holder.split_last()?;
    let mut node = item;
    for key in parents {
        node = node.get(key)?;
    }
    let entry = node.entry(last)?;
    std::ptr::eq(&entry.value, holder_node).then_some(entry.key_span)
}
