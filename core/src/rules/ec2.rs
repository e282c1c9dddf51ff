//! Amazon EC2: EBS volumes and launch templates.

use super::shapes::ebs_block_devices;
use super::{Absent, Check, ItemFlag, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

const VOLUMES: &[&str] = &["AWS::EC2::Volume"];
const LAUNCH_TEMPLATES: &[&str] = &["AWS::EC2::LaunchTemplate"];
const BLOCK_DEVICES: &[ItemFlag] = &[ebs_block_devices(&[
    Step::Key("LaunchTemplateData"),
    Step::Key("BlockDeviceMappings"),
    Step::Each,
])];

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
    check: Check::CustomerKey {
        path: &[Step::Key("KmsKeyId")],
        message: "EBS volume {resource} is not encrypted with a customer managed KMS key",
        encrypted: Some(&[Step::Key("Encrypted")]),
    },
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
    check: Check::EveryItem {
        lists: BLOCK_DEVICES,
        message: "Launch template {resource} has {items}",
        one: "an unencrypted EBS volume",
        several: "unencrypted EBS volumes",
        fix: "Set Encrypted to true on every EBS volume",
    },
};

pub const RULES: &[Rule] = &[EC2001, EC2002, EC2003];
