//! Amazon Data Lifecycle Manager.

use super::ec2::{Nested, Unencrypted, unencrypted_items};
use super::{Check, Rule, RuleContext, Violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;
use crate::template::Resource;

pub const DLM001: Rule = Rule {
    meta: RuleMeta {
        id: "DLM001",
        name: "dlm-cross-region-copy-encrypted",
        title: "Lifecycle policy cross-region snapshot copies should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::DLM::LifecyclePolicy"],
        references: References {
            cfn_nag: &["W81"],
            checkov: &[],
            aws_config: &[],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Data Lifecycle Manager can copy snapshots and AMIs to other regions, for disaster \
recovery. A copy of an unencrypted snapshot stays unencrypted unless the copy rule asks for \
encryption (or the target region happens to have EBS encryption by default turned on), so a policy \
meant to protect data can end up spreading plaintext copies of it. The rule checks the `Encrypted` \
flag of every schedule's `CrossRegionCopyRules` entry and the `EncryptionConfiguration.Encrypted` \
flag of every event-based `Actions[*].CrossRegionCopy` entry. Copies of snapshots that are already \
encrypted are encrypted whatever the flag says, but the policy cannot know that about every volume \
it targets, so the flag should be on.",
            remediation: "Set `Encrypted: true` in every cross-region copy rule (and \
`EncryptionConfiguration: {Encrypted: true}` in every cross-region copy action), optionally with \
`CmkArn` to choose the key in the target region. The quick fix sets the flag everywhere at once; it \
only affects copies made from then on and is safe to apply.",
            noncompliant: "Resources:
  NightlySnapshots:
    Type: AWS::DLM::LifecyclePolicy
    Properties:
      Description: Nightly EBS snapshots
      State: ENABLED
      ExecutionRoleArn: arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole
      PolicyDetails:
        ResourceTypes:
          - VOLUME
        TargetTags:
          - Key: backup
            Value: nightly
        Schedules:
          - Name: nightly
            CreateRule:
              Interval: 24
              IntervalUnit: HOURS
            RetainRule:
              Count: 7
            CrossRegionCopyRules:
              - TargetRegion: us-west-2
                Encrypted: false
                RetainRule:
                  Interval: 7
                  IntervalUnit: DAYS
",
            compliant: "Resources:
  NightlySnapshots:
    Type: AWS::DLM::LifecyclePolicy
    Properties:
      Description: Nightly EBS snapshots
      State: ENABLED
      ExecutionRoleArn: arn:aws:iam::123456789012:role/AWSDataLifecycleManagerDefaultRole
      PolicyDetails:
        ResourceTypes:
          - VOLUME
        TargetTags:
          - Key: backup
            Value: nightly
        Schedules:
          - Name: nightly
            CreateRule:
              Interval: 24
              IntervalUnit: HOURS
            RetainRule:
              Count: 7
            CrossRegionCopyRules:
              - TargetRegion: us-west-2
                Encrypted: true
                RetainRule:
                  Interval: 7
                  IntervalUnit: DAYS
",
        },
    },
    check: Check::Custom(cross_region_copies),
};

/// Copy rules of snapshot and AMI schedules: `Encrypted` is on the rule itself.
const SCHEDULE_COPIES: Nested = Nested {
    items: &[
        Step::Key("PolicyDetails"),
        Step::Key("Schedules"),
        Step::Each,
        Step::Key("CrossRegionCopyRules"),
        Step::Each,
    ],
    holder: &[],
    holder_optional: false,
    flag: "Encrypted",
    label: &["TargetRegion", "Target"],
};

/// Copy actions of event-based policies: `Encrypted` is in a required `EncryptionConfiguration`.
const ACTION_COPIES: Nested = Nested {
    items: &[
        Step::Key("PolicyDetails"),
        Step::Key("Actions"),
        Step::Each,
        Step::Key("CrossRegionCopy"),
        Step::Each,
    ],
    holder: &["EncryptionConfiguration"],
    holder_optional: false,
    flag: "Encrypted",
    label: &["Target"],
};

fn cross_region_copies<'a>(
    context: &RuleContext<'_, '_, 'a>,
    policy: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let mut found = Unencrypted::default();
    unencrypted_items(context, policy, &SCHEDULE_COPIES, &mut found);
    unencrypted_items(context, policy, &ACTION_COPIES, &mut found);
    let message = format!(
        "Lifecycle policy {{resource}} has {}",
        found.describe(
            "a cross-region copy that is not encrypted",
            "cross-region copies that are not encrypted"
        )
    );
    // The finding points at its first copy; its property names that copy's form.
    let first_is_schedule = found
        .outcomes
        .first()
        .is_some_and(|outcome| is_schedule_copy(policy, outcome.site));
    let path: &[Step<'_>] = if first_is_schedule {
        &[
            Step::Key("PolicyDetails"),
            Step::Key("Schedules"),
            Step::Each,
            Step::Key("CrossRegionCopyRules"),
            Step::Each,
            Step::Key("Encrypted"),
        ]
    } else {
        &[
            Step::Key("PolicyDetails"),
            Step::Key("Actions"),
            Step::Each,
            Step::Key("CrossRegionCopy"),
            Step::Each,
            Step::Key("EncryptionConfiguration"),
            Step::Key("Encrypted"),
        ]
    };
    found
        .into_violation(
            context,
            policy,
            &message,
            path,
            "Encrypt every cross-region copy",
        )
        .into_iter()
        .collect()
}

/// Whether a site lies inside the policy's `Schedules` list.
fn is_schedule_copy(policy: &Resource<'_>, site: crate::source::Span) -> bool {
    policy
        .property("PolicyDetails")
        .and_then(|details| details.get("Schedules"))
        .is_some_and(|schedules| {
            schedules.span.start <= site.start && site.end <= schedules.span.end
        })
}

pub const RULES: &[Rule] = &[DLM001];
