//! Amazon Data Lifecycle Manager.

use super::{Check, ItemFlag, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

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
    check: Check::EveryItem {
        lists: &[SCHEDULE_COPIES, ACTION_COPIES],
        message: "Lifecycle policy {resource} has {items}",
        one: "a cross-region copy that is not encrypted",
        several: "cross-region copies that are not encrypted",
        fix: "Encrypt every cross-region copy",
    },
};

/// Copy rules of snapshot and AMI schedules: `Encrypted` is on the rule itself.
const SCHEDULE_COPIES: ItemFlag = ItemFlag {
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
const ACTION_COPIES: ItemFlag = ItemFlag {
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

pub const RULES: &[Rule] = &[DLM001];
