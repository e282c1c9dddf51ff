//! Amazon EC2 Auto Scaling.

use super::shapes::ebs_block_devices;
use super::{Check, ItemFlag, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

const BLOCK_DEVICES: &[ItemFlag] = &[ebs_block_devices(&[
    Step::Key("BlockDeviceMappings"),
    Step::Each,
])];

pub const ASG001: Rule = Rule {
    meta: RuleMeta {
        id: "ASG001",
        name: "launch-configuration-ebs-encrypted",
        title: "Launch configuration EBS volumes should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::AutoScaling::LaunchConfiguration"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_8"],
            aws_config: &[],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "An Auto Scaling group gives every instance it launches the EBS volumes listed in \
its launch configuration's `BlockDeviceMappings`. An `Ebs` block without `Encrypted: true` yields \
plaintext volumes, for every instance the group ever starts, unless the account has EBS encryption \
by default turned on in that region or the volume is restored from an encrypted snapshot — neither \
of which the template shows. Mappings without an `Ebs` block (instance store, `NoDevice`) are \
skipped. Launch configurations are also a legacy feature: AWS recommends launch templates \
(see EC2003) for new groups.",
            remediation: "Add `Encrypted: true` to every `Ebs` block; the quick fix does so for all of them \
at once. A launch configuration cannot be modified, so CloudFormation creates a new one and points \
the group at it; running instances keep their volumes until they are replaced, which makes the fix \
safe to apply. Consider moving to an `AWS::EC2::LaunchTemplate` at the same time.",
            noncompliant: "Resources:
  WorkerConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: t3.micro
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs:
            VolumeSize: 30
",
            compliant: "Resources:
  WorkerConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: t3.micro
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs:
            VolumeSize: 30
            Encrypted: true
",
        },
    },
    check: Check::EveryItem {
        lists: BLOCK_DEVICES,
        message: "Launch configuration {resource} has {items}",
        one: "an unencrypted EBS volume",
        several: "unencrypted EBS volumes",
        fix: "Set Encrypted to true on every EBS volume",
    },
};

pub const RULES: &[Rule] = &[ASG001];
