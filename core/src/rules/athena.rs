//! Amazon Athena.

use super::helpers::{unset, within};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::fix::NewValue;
use crate::template::Resource;

const WORKGROUPS: &[&str] = &["AWS::Athena::WorkGroup"];

const ENCRYPTION_OPTION: &[Step<'static>] = &[
    Step::Key("WorkGroupConfiguration"),
    Step::Key("ResultConfiguration"),
    Step::Key("EncryptionConfiguration"),
    Step::Key("EncryptionOption"),
];

const ENFORCE: &[Step<'static>] = &[
    Step::Key("WorkGroupConfiguration"),
    Step::Key("EnforceWorkGroupConfiguration"),
];

const MANAGED_RESULTS: &[Step<'static>] = &[
    Step::Key("WorkGroupConfiguration"),
    Step::Key("ManagedQueryResultsConfiguration"),
    Step::Key("Enabled"),
];

pub const ATH001: Rule = Rule {
    meta: RuleMeta {
        id: "ATH001",
        name: "athena-workgroup-result-encryption",
        title: "Athena workgroups should encrypt query results",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: WORKGROUPS,
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["athena-workgroup-encrypted-at-rest"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Every Athena query writes its full result set to S3, so the results bucket \
ends up holding extracts of whatever was queried. A workgroup with \
`ResultConfiguration.EncryptionConfiguration` has Athena encrypt each result file itself, with \
SSE-S3, SSE-KMS or client-side KMS, whichever bucket the results go to. Without it the results \
only get the bucket's default encryption (SSE-S3 for every bucket since January 2023), which the \
workgroup neither chooses nor guarantees, and never a KMS key of yours. Workgroups that keep their \
results in Athena managed storage (`ManagedQueryResultsConfiguration.Enabled: true`) are not \
reported: that storage is always encrypted. Because the results are encrypted at rest either way \
today, a finding is informational: it asks for an encryption the workgroup states and controls.",
            remediation: "Add `WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration` \
with an `EncryptionOption`: `SSE_S3` (the quick fix), or `SSE_KMS` / `CSE_KMS` with a `KmsKey`. \
Also keep `EnforceWorkGroupConfiguration` on (see ATH002), otherwise clients can override the \
setting per query. The change is applied in place and affects later queries.",
            noncompliant: "Resources:
  AnalystsWorkGroup:
    Type: AWS::Athena::WorkGroup
    Properties:
      Name: analysts
      WorkGroupConfiguration:
        EnforceWorkGroupConfiguration: true
        ResultConfiguration:
          OutputLocation: s3://example-athena-results/analysts/
",
            compliant: "Resources:
  AnalystsWorkGroup:
    Type: AWS::Athena::WorkGroup
    Properties:
      Name: analysts
      WorkGroupConfiguration:
        EnforceWorkGroupConfiguration: true
        ResultConfiguration:
          OutputLocation: s3://example-athena-results/analysts/
          EncryptionConfiguration:
            EncryptionOption: SSE_S3
",
        },
    },
    check: Check::Custom(result_encryption),
};

pub const ATH002: Rule = Rule {
    meta: RuleMeta {
        id: "ATH002",
        name: "athena-workgroup-enforce-configuration",
        title: "Athena workgroups should enforce their configuration on clients",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: WORKGROUPS,
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_82"],
            aws_config: &["athena-workgroup-enforce-workgroup-configuration"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "A workgroup's settings (result location, result encryption, engine \
version, bytes-scanned limits) are only defaults for its users when \
`EnforceWorkGroupConfiguration` is `false`: each query can then name its own output location and \
turn result encryption off. Athena enforces the workgroup's settings by default, so only an \
explicit `false` is reported.",
            remediation: "Remove `EnforceWorkGroupConfiguration: false` or set it to `true` (the \
quick fix). Queries that pass their own result location or encryption are then refused or \
overridden, so check that clients do not depend on it. The change is applied in place.",
            noncompliant: "Resources:
  AnalystsWorkGroup:
    Type: AWS::Athena::WorkGroup
    Properties:
      Name: analysts
      WorkGroupConfiguration:
        EnforceWorkGroupConfiguration: false
        ResultConfiguration:
          OutputLocation: s3://example-athena-results/analysts/
          EncryptionConfiguration:
            EncryptionOption: SSE_S3
",
            compliant: "Resources:
  AnalystsWorkGroup:
    Type: AWS::Athena::WorkGroup
    Properties:
      Name: analysts
      WorkGroupConfiguration:
        EnforceWorkGroupConfiguration: true
        ResultConfiguration:
          OutputLocation: s3://example-athena-results/analysts/
          EncryptionConfiguration:
            EncryptionOption: SSE_S3
",
        },
    },
    check: Check::NotFalse {
        path: ENFORCE,
        message: "Athena workgroup {resource} lets each query override its settings, result encryption included",
        fix: true,
    },
};

/// Results in Athena managed storage are encrypted by the service; only S3 result locations need
/// an encryption option.
fn result_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    workgroup: &Resource<'a>,
) -> Vec<Violation<'a>> {
    // An unknown switch may well turn managed storage on: such cases are not reported.
    let bad = within(
        &context.property(workgroup, MANAGED_RESULTS),
        |managed| *managed != Value::Unknown && managed.as_bool() != Some(true),
        unset(context.property(workgroup, ENCRYPTION_OPTION)),
    );
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        workgroup,
        "Athena workgroup {resource} does not encrypt its query results",
        ENCRYPTION_OPTION,
        bad,
    );
    found.fix = context.set_fix(
        workgroup,
        &[
            "WorkGroupConfiguration",
            "ResultConfiguration",
            "EncryptionConfiguration",
            "EncryptionOption",
        ],
        NewValue::Str("SSE_S3"),
        "Encrypt query results with SSE-S3",
    );
    vec![found]
}

pub const RULES: &[Rule] = &[ATH001, ATH002];
