//! AWS CloudTrail.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const CT001: Rule = Rule {
    meta: RuleMeta {
        id: "CT001",
        name: "cloudtrail-kms-encryption",
        title: "CloudTrail trails should encrypt log files with a KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::CloudTrail::Trail"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_35"],
            aws_config: &["cloud-trail-encryption-enabled"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A trail's log files record who did what in the account, and they are what \
an intruder most wants to read (to learn the environment) or hide. By default CloudTrail writes \
them with SSE-S3, so anyone who can read the bucket can read the logs. With `KMSKeyId` the files \
are encrypted with SSE-KMS: reading them also takes `kms:Decrypt` on that key, which lets you keep \
audit logs away from people who merely administer S3. The CIS AWS Foundations Benchmark asks for \
it.",
            remediation: "Create a customer managed KMS key whose key policy lets \
`cloudtrail.amazonaws.com` encrypt (`kms:GenerateDataKey*`, scoped to your trail's ARN) and lets \
your log readers decrypt, then set its ARN or alias in `KMSKeyId`. The key policy is a choice Ward \
cannot make, so there is no quick fix. The change is applied in place; earlier log files keep \
their encryption.",
            noncompliant: "Resources:
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: example-audit-logs
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
",
            compliant: "Parameters:
  TrailKeyArn:
    Type: String
Resources:
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: example-audit-logs
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
      KMSKeyId: !Ref TrailKeyArn
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("KMSKeyId")],
        message: "CloudTrail trail {resource} does not encrypt its log files with a KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[CT001];
