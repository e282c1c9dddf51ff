//! Amazon EC2: EBS volumes and launch templates.
//!
//! Also home of two shapes shared with other modules until they move to `helpers.rs`:
//! [`missing_customer_key`] (EC2002, RS002) and [`unencrypted_items`] (EC2003, ASG001, DLM001),
//! with the [`Edits`] accumulator for fixes that touch several places.

use super::{Absent, Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{
    Applicability, Category, Edit, Fix, References, RuleDocs, RuleMeta, Severity,
};
use crate::eval::{Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::syntax::Node;
use crate::template::Resource;

const VOLUMES: &[&str] = &["AWS::EC2::Volume"];
const LAUNCH_TEMPLATES: &[&str] = &["AWS::EC2::LaunchTemplate"];

pub const EC2001: Rule = Rule {
    meta: RuleMeta {
        id: "EC2001",
        name: "ebs-volume-encrypted",
        title: "EBS volumes should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: VOLUMES,
        references: References {
            cfn_nag: &["F1"],
            checkov: &["CKV_AWS_3"],
            aws_config: &["encrypted-volumes"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "An EBS volume created without `Encrypted: true` keeps its blocks, the snapshots taken \
from it and the volumes later restored from those snapshots in plaintext. An account can turn on \
*EBS encryption by default*, but that is a setting of each account in each region, off unless someone \
enabled it, and invisible to the template: the same template deployed elsewhere creates an unencrypted \
volume. With `Encrypted: true` the volume is encrypted with KMS (the account's default EBS key, \
normally `aws/ebs`, unless `KmsKeyId` names another) whatever the account settings are. A volume \
restored from an encrypted snapshot is encrypted anyway, but the template alone cannot show that.",
            remediation: "Set `Encrypted: true` on the volume, and optionally `KmsKeyId` (see EC2002). \
CloudFormation cannot encrypt a volume in place: changing `Encrypted` replaces the volume, and the \
data on the old one is lost unless you snapshot it first and create the new volume from the \
snapshot. That is why the quick fix is marked unsafe.",
            noncompliant: "Resources:
  DataVolume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: us-east-1a
      Size: 100
      VolumeType: gp3
",
            compliant: "Resources:
  DataVolume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: us-east-1a
      Size: 100
      VolumeType: gp3
      Encrypted: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("Encrypted")],
        message: "EBS volume {resource} is not encrypted",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const EC2002: Rule = Rule {
    meta: RuleMeta {
        id: "EC2002",
        name: "ebs-volume-customer-managed-key",
        title: "EBS volumes should be encrypted with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: VOLUMES,
        references: References {
            cfn_nag: &["W37"],
            checkov: &[],
            aws_config: &["encrypted-volumes"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Without `KmsKeyId`, an encrypted volume uses the account's default EBS key, which \
is the AWS managed key `aws/ebs` unless the account changed it. The policy of an AWS managed key \
cannot be edited, so anyone in the account allowed to use EC2 can have the volume's data decrypted, \
and snapshots encrypted with it cannot be shared with another account. A customer managed key puts \
decryption under a key policy you write, and lets you disable the key or share snapshots. The rule \
ignores volumes that are explicitly unencrypted: EC2001 reports those.",
            remediation: "Create an `AWS::KMS::Key` (or use an existing key) and give its ARN, id or alias \
in `KmsKeyId`, together with `Encrypted: true`. The key is a choice Ward cannot make, so there is no \
quick fix. Changing the key of an existing volume replaces it.",
            noncompliant: "Resources:
  DataVolume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: us-east-1a
      Size: 100
      Encrypted: true
",
            compliant: "Resources:
  VolumeKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  DataVolume:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: us-east-1a
      Size: 100
      Encrypted: true
      KmsKeyId: !Ref VolumeKey
",
        },
    },
    check: Check::Custom(volume_key),
};

pub const EC2003: Rule = Rule {
    meta: RuleMeta {
        id: "EC2003",
        name: "launch-template-ebs-encrypted",
        title: "Launch template EBS volumes should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: LAUNCH_TEMPLATES,
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["ec2-launch-templates-ebs-volume-encrypted"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Every instance launched from the template (by Auto Scaling, EC2 Fleet or by hand) \
gets the EBS volumes its `BlockDeviceMappings` describe. An `Ebs` block without `Encrypted: true` \
creates plaintext volumes unless the account happens to have EBS encryption by default turned on in \
that region, or the volume comes from an encrypted snapshot (`SnapshotId`); the template shows \
neither, so such blocks are reported too. Mappings without an `Ebs` block (instance store, \
`NoDevice`) have nothing to encrypt and are skipped.",
            remediation: "Add `Encrypted: true` to every `Ebs` block, optionally with `KmsKeyId`. The quick \
fix does this for each block at once. Updating a launch template creates a new version and touches \
no running instance, so the fix is safe; instances pick the encrypted volumes up when they are next \
launched from the new version.",
            noncompliant: "Resources:
  WebTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0abcdef1234567890
        InstanceType: t3.micro
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              VolumeType: gp3
",
            compliant: "Resources:
  WebTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0abcdef1234567890
        InstanceType: t3.micro
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              VolumeType: gp3
              Encrypted: true
",
        },
    },
    check: Check::Custom(launch_template),
};

fn volume_key<'a>(context: &RuleContext<'_, '_, 'a>, volume: &Resource<'a>) -> Vec<Violation<'a>> {
    let key = &[Step::Key("KmsKeyId")];
    let bad = missing_customer_key(context, volume, &[Step::Key("Encrypted")], key);
    if bad.is_empty() {
        return Vec::new();
    }
    vec![violation(
        volume,
        "EBS volume {resource} is not encrypted with a customer managed KMS key",
        key,
        bad,
    )]
}

const DEVICE_NAME: &[&str] = &["DeviceName"];

/// The EBS block devices of a launch template or launch configuration.
pub(super) fn ebs_devices(items: &'static [Step<'static>]) -> Nested {
    Nested {
        items,
        holder: &["Ebs"],
        holder_optional: true,
        flag: "Encrypted",
        label: DEVICE_NAME,
    }
}

fn launch_template<'a>(
    context: &RuleContext<'_, '_, 'a>,
    template: &Resource<'a>,
) -> Vec<Violation<'a>> {
    const ITEMS: &[Step<'static>] = &[
        Step::Key("LaunchTemplateData"),
        Step::Key("BlockDeviceMappings"),
        Step::Each,
    ];
    let mut found = Unencrypted::default();
    unencrypted_items(context, template, &ebs_devices(ITEMS), &mut found);
    let message = format!(
        "Launch template {{resource}} has {}",
        found.describe("an unencrypted EBS volume", "unencrypted EBS volumes")
    );
    found
        .into_violation(
            context,
            template,
            &message,
            &[
                Step::Key("LaunchTemplateData"),
                Step::Key("BlockDeviceMappings"),
                Step::Each,
                Step::Key("Ebs"),
                Step::Key("Encrypted"),
            ],
            "Set Encrypted to true on every EBS volume",
        )
        .into_iter()
        .collect()
}

pub const RULES: &[Rule] = &[EC2001, EC2002, EC2003];

// ---------------------------------------------------------------------------------------------
// Shared shapes.

/// Whether a key value names a customer managed key: an AWS managed alias (`alias/aws/…`) does
/// not, an unknown value is given the benefit of the doubt.
pub(super) fn names_customer_key(value: &Value<'_>) -> bool {
    if value.is_unset() {
        return false;
    }
    match value.text() {
        Some(text) => {
            let text = text.trim();
            !(text.starts_with("alias/aws/") || text.contains(":alias/aws/"))
        }
        None => true,
    }
}

/// The outcomes of `key` that name no customer managed key, in the cases where the boolean at
/// `flag` is not explicitly false (an explicitly unencrypted resource is another rule's finding).
pub(super) fn missing_customer_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    flag: &[Step<'_>],
    key: &[Step<'_>],
) -> Vec<Outcome<'a>> {
    let flags = context.property(resource, flag);
    let keys = context.property(resource, key);
    let mut bad: Vec<Outcome<'a>> = Vec::new();
    for flag in flags
        .iter()
        .filter(|flag| flag.value.as_bool() != Some(false))
    {
        for key in keys.iter().filter(|key| !names_customer_key(&key.value)) {
            if let Some(case) = flag.case.merge(&key.case) {
                let narrowed = Outcome {
                    case,
                    ..key.clone()
                };
                if !bad.contains(&narrowed) {
                    bad.push(narrowed);
                }
            }
        }
    }
    bad
}

/// Whether `node` is written inside the resource, so that editing it edits the resource (and not,
/// say, a `Mappings` entry the value was looked up from).
pub(super) fn inside(resource: &Resource<'_>, node: &Node) -> bool {
    resource.node.span.start <= node.span.start && node.span.end <= resource.node.span.end
}

/// Edits gathered from several places into one fix; the fix exists only if every place could be
/// edited, so that applying it leaves nothing to report.
#[derive(Debug, Default)]
pub(super) struct Edits {
    edits: Vec<Edit>,
    incomplete: bool,
    replaced_function: bool,
}

impl Edits {
    /// Adds the result of [`fix::set_property`] or [`fix::set_in`]; `None` makes the fix impossible.
    pub(super) fn add(&mut self, result: Option<(Vec<Edit>, bool)>) {
        match result {
            Some((edits, replaced_function)) => {
                self.replaced_function |= replaced_function;
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
    pub(super) fn fail(&mut self) {
        self.incomplete = true;
    }

    /// The fix, with the rule's applicability (unsafe when a function such as `!Ref` is replaced).
    pub(super) fn into_fix(self, context: &RuleContext<'_, '_, '_>, title: &str) -> Option<Fix> {
        let applicability = context.meta.fix?;
        if self.incomplete {
            return None;
        }
        let safe = applicability == Applicability::Safe && !self.replaced_function;
        fix::fix(title, safe, self.edits)
    }
}

/// A boolean that every item of a list must set to true, e.g. `Encrypted` in the `Ebs` block of
/// each block device mapping.
pub(super) struct Nested {
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

/// What [`unencrypted_items`] found, possibly over several lists.
#[derive(Debug, Default)]
pub(super) struct Unencrypted<'a> {
    pub outcomes: Vec<Outcome<'a>>,
    pub labels: Vec<String>,
    /// The items reported, by span (one item can come up in several cases).
    items: Vec<crate::source::Span>,
    pub edits: Edits,
}

impl<'a> Unencrypted<'a> {
    /// "an unencrypted EBS volume (/dev/xvda)" or "unencrypted EBS volumes (/dev/xvda, /dev/sdf)".
    pub(super) fn describe(&self, one: &str, several: &str) -> String {
        let noun = if self.items.len() > 1 { several } else { one };
        if self.labels.is_empty() {
            noun.to_string()
        } else {
            format!("{noun} ({})", self.labels.join(", "))
        }
    }

    /// One violation for the resource, with one fix editing every place, or `None`.
    pub(super) fn into_violation(
        self,
        context: &RuleContext<'_, '_, 'a>,
        resource: &Resource<'a>,
        message: &str,
        path: &[Step<'_>],
        fix_title: &str,
    ) -> Option<Violation<'a>> {
        if self.outcomes.is_empty() {
            return None;
        }
        let mut found = violation(resource, message, path, self.outcomes);
        found.fix = self.edits.into_fix(context, fix_title);
        Some(found)
    }
}

/// Finds the items of `spec` whose flag is absent or false, and the edits setting it to true.
pub(super) fn unencrypted_items<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
    spec: &Nested,
    found: &mut Unencrypted<'a>,
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
                        let unencrypted = match &flag.value {
                            Value::Absent => true,
                            value => value.as_bool() == Some(false),
                        };
                        if !unencrypted {
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

fn push_new<'a>(outcomes: &mut Vec<Outcome<'a>>, outcome: Outcome<'a>) {
    if !outcomes.contains(&outcome) {
        outcomes.push(outcome);
    }
}

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
fn holder_key_span(
    item: &Node,
    holder: &[&str],
    holder_node: &Node,
) -> Option<crate::source::Span> {
    let (last, parents) = holder.split_last()?;
    let mut node = item;
    for key in parents {
        node = node.get(key)?;
    }
    let entry = node.entry(last)?;
    std::ptr::eq(&entry.value, holder_node).then_some(entry.key_span)
}
