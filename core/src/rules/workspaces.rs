//! Amazon WorkSpaces.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

const WORKSPACES: &[&str] = &["AWS::WorkSpaces::Workspace"];

pub const WS001: Rule = Rule {
    meta: RuleMeta {
        id: "WS001",
        name: "workspace-user-volume-encrypted",
        title: "WorkSpaces user volumes should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: WORKSPACES,
        references: References {
            cfn_nag: &["F29"],
            checkov: &["CKV_AWS_155"],
            aws_config: &["workspaces-user-volume-encryption-enabled"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "The user volume (the `D:` drive on Windows, `/home` on Linux) holds the user's \
documents, downloads and profile. WorkSpaces leaves it unencrypted unless \
`UserVolumeEncryptionEnabled` is true. When encryption is on, WorkSpaces encrypts the volume and \
its snapshots with KMS: the key in `VolumeEncryptionKey`, or the AWS managed `aws/workspaces` key \
when none is given.",
            remediation: "Set `UserVolumeEncryptionEnabled: true`, and consider a customer managed key in \
`VolumeEncryptionKey` (symmetric keys only). Encryption cannot be turned on for an existing \
WorkSpace: the change replaces it, and files on its user volume are lost unless they are backed up \
first. The quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  AnalystDesktop:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: analyst
      RootVolumeEncryptionEnabled: true
",
            compliant: "Resources:
  AnalystDesktop:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: analyst
      RootVolumeEncryptionEnabled: true
      UserVolumeEncryptionEnabled: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("UserVolumeEncryptionEnabled")],
        message: "WorkSpace {resource} does not encrypt its user volume",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const WS002: Rule = Rule {
    meta: RuleMeta {
        id: "WS002",
        name: "workspace-root-volume-encrypted",
        title: "WorkSpaces root volumes should be encrypted",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: WORKSPACES,
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_156"],
            aws_config: &["workspaces-root-volume-encryption-enabled"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "The root volume (the `C:` drive on Windows, `/` on Linux) holds the operating \
system, installed applications, caches and temporary files, which routinely contain copies of user \
data and credentials. WorkSpaces leaves it unencrypted unless `RootVolumeEncryptionEnabled` is true. \
When encryption is on, the volume is encrypted with the key in `VolumeEncryptionKey`, or the AWS \
managed `aws/workspaces` key when none is given.",
            remediation: "Set `RootVolumeEncryptionEnabled: true`, and consider a customer managed key in \
`VolumeEncryptionKey`. Encryption cannot be turned on for an existing WorkSpace: the change replaces \
it and rebuilds the desktop from its bundle. The quick fix is unsafe for that reason.",
            noncompliant: "Resources:
  AnalystDesktop:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: analyst
      UserVolumeEncryptionEnabled: true
",
            compliant: "Resources:
  AnalystDesktop:
    Type: AWS::WorkSpaces::Workspace
    Properties:
      BundleId: wsb-0123456789
      DirectoryId: d-0123456789
      UserName: analyst
      UserVolumeEncryptionEnabled: true
      RootVolumeEncryptionEnabled: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("RootVolumeEncryptionEnabled")],
        message: "WorkSpace {resource} does not encrypt its root volume",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const RULES: &[Rule] = &[WS001, WS002];
