//! AWS CodeBuild.

use super::helpers::{Edits, gated};
use super::{Absent, Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::fix::{self, NewValue};
use crate::template::Resource;

const PROJECTS: &[&str] = &["AWS::CodeBuild::Project"];

pub const CB001: Rule = Rule {
    meta: RuleMeta {
        id: "CB001",
        name: "codebuild-project-kms-key",
        title: "CodeBuild projects should name the KMS key that encrypts their artifacts",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: PROJECTS,
        references: References {
            cfn_nag: &["W32"],
            checkov: &[],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "CodeBuild encrypts build output artifacts (and the S3 cache and logs) with \
a KMS key. Without `EncryptionKey` it uses the AWS managed key `aws/s3`, which every principal of \
the account allowed to read the artifact bucket can use. Build artifacts are often deployable \
packages with configuration baked in; a customer managed key in `EncryptionKey` lets a key policy \
decide who can read them and lets another account (a deployment account) decrypt them.",
            remediation: "Create a customer managed KMS key whose key policy allows the project's \
service role to use it, and set its ARN or alias in `EncryptionKey`. The key is a choice Ward \
cannot make for you, so there is no quick fix. The change is applied in place and affects builds \
that run afterwards.",
            noncompliant: "Resources:
  BuildProject:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      Source:
        Type: CODEPIPELINE
      Artifacts:
        Type: CODEPIPELINE
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
",
            compliant: "Parameters:
  ArtifactKeyArn:
    Type: String
Resources:
  BuildProject:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      EncryptionKey: !Ref ArtifactKeyArn
      Source:
        Type: CODEPIPELINE
      Artifacts:
        Type: CODEPIPELINE
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("EncryptionKey")],
        message: "CodeBuild project {resource} does not name a KMS key for its artifacts",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const CB002: Rule = Rule {
    meta: RuleMeta {
        id: "CB002",
        name: "codebuild-artifact-encryption",
        title: "CodeBuild S3 artifacts should not have encryption disabled",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: PROJECTS,
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_78"],
            aws_config: &["codebuild-project-artifact-encryption"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "CodeBuild encrypts the artifacts it uploads to S3 with the project's KMS \
key unless an artifact says `EncryptionDisabled: true`. Disabling it is meant for static content \
that must be served straight from a bucket; for anything else it drops the KMS layer, so anyone \
who can read the bucket can read the build output. The setting exists on `Artifacts` and on each \
entry of `SecondaryArtifacts`, and only applies to artifacts of type `S3`.",
            remediation: "Remove `EncryptionDisabled` or set it to `false` on every S3 artifact \
(the quick fix sets it to `false`). The change is applied in place and affects later builds. If \
the artifacts really are public web content, suppress the finding with a reason instead.",
            noncompliant: "Resources:
  SiteBuild:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      EncryptionKey: alias/build-artifacts
      Source:
        Type: GITHUB
        Location: https://github.com/example/site.git
      Artifacts:
        Type: S3
        Location: example-build-output
        EncryptionDisabled: true
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
",
            compliant: "Resources:
  SiteBuild:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      EncryptionKey: alias/build-artifacts
      Source:
        Type: GITHUB
        Location: https://github.com/example/site.git
      Artifacts:
        Type: S3
        Location: example-build-output
        EncryptionDisabled: false
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
",
        },
    },
    check: Check::Custom(artifact_encryption),
};

pub const CB003: Rule = Rule {
    meta: RuleMeta {
        id: "CB003",
        name: "codebuild-s3-logs-encryption",
        title: "CodeBuild S3 logs should not have encryption disabled",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: PROJECTS,
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["codebuild-project-s3-logs-encrypted"],
        },
        fix: Some(Applicability::Safe),
        docs: RuleDocs {
            rationale: "Build logs hold whatever the build printed: environment dumps, dependency \
URLs with tokens, test output with customer data. When a project sends its logs to S3 \
(`LogsConfig.S3Logs`), CodeBuild encrypts them with the project's KMS key unless \
`EncryptionDisabled` is `true`, in which case they are readable by anyone who can read the bucket. \
Projects whose S3 logs are `DISABLED` are not reported.",
            remediation: "Remove `LogsConfig.S3Logs.EncryptionDisabled` or set it to `false` (the \
quick fix). The change is applied in place and affects later builds.",
            noncompliant: "Resources:
  BuildProject:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      EncryptionKey: alias/build-artifacts
      Source:
        Type: CODEPIPELINE
      Artifacts:
        Type: CODEPIPELINE
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
      LogsConfig:
        S3Logs:
          Status: ENABLED
          Location: example-build-logs/orders
          EncryptionDisabled: true
",
            compliant: "Resources:
  BuildProject:
    Type: AWS::CodeBuild::Project
    Properties:
      ServiceRole: arn:aws:iam::123456789012:role/codebuild-service
      EncryptionKey: alias/build-artifacts
      Source:
        Type: CODEPIPELINE
      Artifacts:
        Type: CODEPIPELINE
      Environment:
        Type: LINUX_CONTAINER
        ComputeType: BUILD_GENERAL1_SMALL
        Image: aws/codebuild/standard:7.0
      LogsConfig:
        S3Logs:
          Status: ENABLED
          Location: example-build-logs/orders
",
        },
    },
    check: Check::Custom(s3_logs_encryption),
};

/// The `EncryptionDisabled: true` outcomes below `parent` that apply, each in the case where the
/// sibling key `gate` does not exempt it.
fn disabled_unless<'a>(
    context: &RuleContext<'_, '_, 'a>,
    parent: &Outcome<'a>,
    gate: &str,
    exempt: fn(&str) -> bool,
) -> Vec<Outcome<'a>> {
    let gates = context
        .eval
        .walk(vec![parent.clone()], &[Step::Key(gate)], None);
    let flags = context.eval.walk(
        vec![parent.clone()],
        &[Step::Key("EncryptionDisabled")],
        None,
    );
    let disabled = flags
        .into_iter()
        .filter(|flag| flag.value.as_bool() == Some(true))
        .collect();
    gated(disabled, &gates, |gate| !gate.text().is_some_and(exempt))
}

/// `EncryptionDisabled` is only accepted on S3 artifacts; other types fail to deploy with it.
fn not_s3(kind: &str) -> bool {
    !kind.eq_ignore_ascii_case("S3")
}

fn artifact_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    project: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let primary = context.property(project, &[Step::Key("Artifacts")]);
    let primary_count = primary.len();
    let mut artifacts = primary;
    artifacts.extend(context.property(project, &[Step::Key("SecondaryArtifacts"), Step::Each]));
    let mut bad = Vec::new();
    let mut primary_bad = false;
    let mut edits = Edits::default();
    let mut edited = Vec::new();
    for (index, artifact) in artifacts.iter().enumerate() {
        let Value::Node(node) = artifact.value else {
            continue;
        };
        let found = disabled_unless(context, artifact, "Type", not_s3);
        if found.is_empty() {
            continue;
        }
        primary_bad |= index < primary_count;
        bad.extend(found);
        // The same artifact mapping shows up once per case; edit it once.
        if edited.contains(&node.span) {
            continue;
        }
        edited.push(node.span);
        edits.add(fix::set_in(
            context.file,
            node,
            &["EncryptionDisabled"],
            NewValue::Bool(false),
        ));
        // An artifact written in an `Fn::If` branch deserves a look.
        if !artifact.literal {
            edits.needs_review();
        }
    }
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        project,
        "CodeBuild project {resource} uploads artifacts to S3 with encryption disabled",
        if primary_bad {
            &[Step::Key("Artifacts"), Step::Key("EncryptionDisabled")]
        } else {
            &[
                Step::Key("SecondaryArtifacts"),
                Step::Each,
                Step::Key("EncryptionDisabled"),
            ]
        },
        bad,
    );
    found.fix = edits.into_fix(context, "Set EncryptionDisabled to false");
    vec![found]
}

fn s3_logs_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    project: &Resource<'a>,
) -> Vec<Violation<'a>> {
    const PATH: &[Step<'static>] = &[
        Step::Key("LogsConfig"),
        Step::Key("S3Logs"),
        Step::Key("EncryptionDisabled"),
    ];
    let mut bad = Vec::new();
    for logs in context.property(project, &PATH[..2]) {
        if matches!(logs.value, Value::Node(_)) {
            bad.extend(disabled_unless(context, &logs, "Status", |status| {
                status.eq_ignore_ascii_case("DISABLED")
            }));
        }
    }
    if bad.is_empty() {
        return Vec::new();
    }
    let mut found = violation(
        project,
        "CodeBuild project {resource} writes build logs to S3 with encryption disabled",
        PATH,
        bad,
    );
    found.fix = context.set_fix(
        project,
        &["LogsConfig", "S3Logs", "EncryptionDisabled"],
        NewValue::Bool(false),
        "Set EncryptionDisabled to false",
    );
    vec![found]
}

pub const RULES: &[Rule] = &[CB001, CB002, CB003];
