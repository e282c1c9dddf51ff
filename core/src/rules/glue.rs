//! AWS Glue.

use super::helpers::{is_one_of, text_fails};
use super::{Absent, Check, Rule, RuleContext, Violation, check_set, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::template::Resource;

const CATALOG_MODE: &[Step<'static>] = &[
    Step::Key("DataCatalogEncryptionSettings"),
    Step::Key("EncryptionAtRest"),
    Step::Key("CatalogEncryptionMode"),
];
const CATALOG_PASSWORDS: &[Step<'static>] = &[
    Step::Key("DataCatalogEncryptionSettings"),
    Step::Key("ConnectionPasswordEncryption"),
    Step::Key("ReturnConnectionPasswordEncrypted"),
];
const S3_ENCRYPTIONS: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("S3Encryptions"),
];
const CLOUDWATCH_MODE: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("CloudWatchEncryption"),
    Step::Key("CloudWatchEncryptionMode"),
];
const BOOKMARKS_MODE: &[Step<'static>] = &[
    Step::Key("EncryptionConfiguration"),
    Step::Key("JobBookmarksEncryption"),
    Step::Key("JobBookmarksEncryptionMode"),
];
const ML_MODE: &[Step<'static>] = &[
    Step::Key("TransformEncryption"),
    Step::Key("MLUserDataEncryption"),
    Step::Key("MLUserDataEncryptionMode"),
];

pub const GLUE001: Rule = Rule {
    meta: RuleMeta {
        id: "GLUE001",
        name: "glue-data-catalog-encryption",
        title: "The Glue Data Catalog should encrypt metadata and connection passwords with KMS",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::Glue::DataCatalogEncryptionSettings"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_94"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "The Data Catalog describes every table of the data lake (locations, \
schemas, partitions) and its connections hold JDBC user names and passwords. Unless \
`EncryptionAtRest.CatalogEncryptionMode` is `SSE-KMS` (or `SSE-KMS-WITH-SERVICE-ROLE`), Glue does \
not encrypt catalog objects with a KMS key of yours; unless \
`ConnectionPasswordEncryption.ReturnConnectionPasswordEncrypted` is `true`, `GetConnection` hands \
connection passwords back in clear to anyone allowed to call it. Ward reports one finding per \
settings resource, naming what is missing.",
            remediation: "Set `CatalogEncryptionMode: SSE-KMS` with `SseAwsKmsKeyId`, and \
`ReturnConnectionPasswordEncrypted: true` with a `KmsKeyId`. Every role that reads the catalog \
(Glue jobs, crawlers, Athena users) then also needs `kms:Decrypt` on those keys, so the keys and \
their policies are a choice Ward cannot make for you: there is no quick fix. The settings apply \
in place, to the whole catalog of the account and region.",
            noncompliant: "Resources:
  CatalogEncryption:
    Type: AWS::Glue::DataCatalogEncryptionSettings
    Properties:
      CatalogId: !Ref AWS::AccountId
      DataCatalogEncryptionSettings:
        EncryptionAtRest:
          CatalogEncryptionMode: DISABLED
        ConnectionPasswordEncryption:
          ReturnConnectionPasswordEncrypted: false
",
            compliant: "Parameters:
  CatalogKeyArn:
    Type: String
Resources:
  CatalogEncryption:
    Type: AWS::Glue::DataCatalogEncryptionSettings
    Properties:
      CatalogId: !Ref AWS::AccountId
      DataCatalogEncryptionSettings:
        EncryptionAtRest:
          CatalogEncryptionMode: SSE-KMS
          SseAwsKmsKeyId: !Ref CatalogKeyArn
        ConnectionPasswordEncryption:
          ReturnConnectionPasswordEncrypted: true
          KmsKeyId: !Ref CatalogKeyArn
",
        },
    },
    check: Check::Custom(catalog_encryption),
};

pub const GLUE002: Rule = Rule {
    meta: RuleMeta {
        id: "GLUE002",
        name: "glue-security-configuration-encryption",
        title: "Glue security configurations should encrypt S3 data, CloudWatch logs and job bookmarks",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::Glue::SecurityConfiguration"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_99"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A security configuration decides how the jobs, crawlers and development \
endpoints that use it encrypt what they write: data written to S3 (`S3Encryptions`), the logs \
they send to CloudWatch (`CloudWatchEncryption`) and job bookmarks, which record what each job \
has already processed (`JobBookmarksEncryption`). Each of the three is off when its mode is \
`DISABLED` or missing. Ward reports one finding per configuration, naming the parts left \
unencrypted.",
            remediation: "Give each part a mode: `S3EncryptionMode: SSE-KMS` (or `SSE-S3`), \
`CloudWatchEncryptionMode: SSE-KMS` and `JobBookmarksEncryptionMode: CSE-KMS`, each KMS mode with \
a `KmsKeyArn`. The key for CloudWatch also needs a key policy that lets CloudWatch Logs use it. \
Keys and policies are choices Ward cannot make for you, so there is no quick fix. A security \
configuration cannot be changed in place: CloudFormation replaces it, which needs a new `Name`, \
and the jobs and crawlers that reference it must be pointed at that name.",
            noncompliant: "Resources:
  EtlSecurity:
    Type: AWS::Glue::SecurityConfiguration
    Properties:
      Name: etl
      EncryptionConfiguration:
        S3Encryptions:
          - S3EncryptionMode: SSE-S3
        CloudWatchEncryption:
          CloudWatchEncryptionMode: DISABLED
        JobBookmarksEncryption:
          JobBookmarksEncryptionMode: DISABLED
",
            compliant: "Parameters:
  EtlKeyArn:
    Type: String
Resources:
  EtlSecurity:
    Type: AWS::Glue::SecurityConfiguration
    Properties:
      Name: etl
      EncryptionConfiguration:
        S3Encryptions:
          - S3EncryptionMode: SSE-S3
        CloudWatchEncryption:
          CloudWatchEncryptionMode: SSE-KMS
          KmsKeyArn: !Ref EtlKeyArn
        JobBookmarksEncryption:
          JobBookmarksEncryptionMode: CSE-KMS
          KmsKeyArn: !Ref EtlKeyArn
",
        },
    },
    check: Check::Custom(security_configuration_encryption),
};

pub const GLUE003: Rule = Rule {
    meta: RuleMeta {
        id: "GLUE003",
        name: "glue-security-configuration-attached",
        title: "Glue jobs, crawlers and development endpoints should use a security configuration",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &[
            "AWS::Glue::Job",
            "AWS::Glue::Crawler",
            "AWS::Glue::DevEndpoint",
        ],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_195"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Glue jobs, crawlers and development endpoints encrypt what they write (S3 \
output, CloudWatch logs, job bookmarks) only as a security configuration tells them. Without \
`SecurityConfiguration` (`CrawlerSecurityConfiguration` on a crawler) none of it is encrypted by \
Glue with your keys: output relies on the bucket's default encryption, logs on CloudWatch's, and \
bookmarks are not encrypted by you at all.",
            remediation: "Create an `AWS::Glue::SecurityConfiguration` that encrypts S3 data, \
CloudWatch logs and job bookmarks (see GLUE002), and reference its name in `SecurityConfiguration` \
(jobs and development endpoints) or `CrawlerSecurityConfiguration` (crawlers). Which \
configuration applies is a choice Ward cannot make for you, so there is no quick fix. Jobs and \
crawlers are updated in place; a development endpoint is replaced.",
            noncompliant: "Resources:
  NightlyJob:
    Type: AWS::Glue::Job
    Properties:
      Role: arn:aws:iam::123456789012:role/glue-etl
      GlueVersion: '4.0'
      Command:
        Name: glueetl
        ScriptLocation: s3://example-glue-scripts/nightly.py
",
            compliant: "Resources:
  NightlyJob:
    Type: AWS::Glue::Job
    Properties:
      Role: arn:aws:iam::123456789012:role/glue-etl
      GlueVersion: '4.0'
      SecurityConfiguration: etl
      Command:
        Name: glueetl
        ScriptLocation: s3://example-glue-scripts/nightly.py
",
        },
    },
    check: Check::Custom(security_configuration_attached),
};

pub const GLUE004: Rule = Rule {
    meta: RuleMeta {
        id: "GLUE004",
        name: "glue-ml-transform-encryption",
        title: "Glue ML transforms should encrypt their user data with KMS",
        category: Category::EncryptionAtRest,
        severity: Severity::Warning,
        resource_types: &["AWS::Glue::MLTransform"],
        references: References {
            cfn_nag: &[],
            checkov: &[],
            aws_config: &["glue-ml-transform-encrypted-at-rest"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A machine learning transform (such as FindMatches) keeps the labels you \
teach it and the artifacts it learns from your records, which reflect the data itself: names, \
addresses, identifiers. That user data is encrypted with a KMS key only when \
`TransformEncryption.MLUserDataEncryption.MLUserDataEncryptionMode` is `SSE-KMS`; it is \
`DISABLED` when the mode is missing.",
            remediation: "Set `TransformEncryption.MLUserDataEncryption` to \
`MLUserDataEncryptionMode: SSE-KMS` with a `KmsKeyId`, and let the transform's role use that key. \
The key is a choice Ward cannot make for you, so there is no quick fix. The change is applied in \
place.",
            noncompliant: "Resources:
  DedupTransform:
    Type: AWS::Glue::MLTransform
    Properties:
      Name: dedup-customers
      Role: arn:aws:iam::123456789012:role/glue-ml
      InputRecordTables:
        GlueTables:
          - DatabaseName: crm
            TableName: customers
      TransformParameters:
        TransformType: FIND_MATCHES
        FindMatchesParameters:
          PrimaryKeyColumnName: customer_id
",
            compliant: "Parameters:
  TransformKeyArn:
    Type: String
Resources:
  DedupTransform:
    Type: AWS::Glue::MLTransform
    Properties:
      Name: dedup-customers
      Role: arn:aws:iam::123456789012:role/glue-ml
      InputRecordTables:
        GlueTables:
          - DatabaseName: crm
            TableName: customers
      TransformParameters:
        TransformType: FIND_MATCHES
        FindMatchesParameters:
          PrimaryKeyColumnName: customer_id
      TransformEncryption:
        MLUserDataEncryption:
          MLUserDataEncryptionMode: SSE-KMS
          KmsKeyId: !Ref TransformKeyArn
",
        },
    },
    check: Check::OneOf {
        path: ML_MODE,
        allowed: &["SSE-KMS"],
        message: "Glue ML transform {resource} does not encrypt its user data with KMS",
        absent: Absent::Violation,
        fix: None,
    },
};

/// A mode that is missing or `DISABLED`; an unknown mode is given the benefit of the doubt.
fn off(outcome: &Outcome<'_>) -> bool {
    text_fails(&outcome.value, |mode| {
        !mode.eq_ignore_ascii_case("DISABLED")
    })
}

/// "a", "a or b", "a, b or c": the parts a negative message lists.
fn listed(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [only] => (*only).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// One violation naming every part that is off; it points at the first one.
fn combined<'a>(
    resource: &Resource<'a>,
    message: impl Fn(&str) -> String,
    parts: Vec<(&str, &[Step<'static>], Vec<Outcome<'a>>)>,
    common: &[Step<'static>],
) -> Vec<Violation<'a>> {
    let failing: Vec<_> = parts
        .into_iter()
        .filter(|(_, _, outcomes)| !outcomes.is_empty())
        .collect();
    let path = match failing.as_slice() {
        [] => return Vec::new(),
        [(_, path, _)] => *path,
        _ => common,
    };
    let names: Vec<&str> = failing.iter().map(|(name, _, _)| *name).collect();
    let outcomes = failing
        .into_iter()
        .flat_map(|(_, _, outcomes)| outcomes)
        .collect();
    vec![violation(
        resource,
        &message(&listed(&names)),
        path,
        outcomes,
    )]
}

fn catalog_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    settings: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let modes: Vec<_> = context
        .property(settings, CATALOG_MODE)
        .into_iter()
        .filter(|mode| {
            text_fails(&mode.value, |mode| {
                is_one_of(mode, &["SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE"])
            })
        })
        .collect();
    let passwords: Vec<_> = context
        .property(settings, CATALOG_PASSWORDS)
        .into_iter()
        .filter(|flag| match &flag.value {
            Value::Unknown => false,
            value => value.is_unset() || value.as_bool() == Some(false),
        })
        .collect();
    combined(
        settings,
        |parts| format!("Glue Data Catalog settings {{resource}} do not encrypt {parts} with KMS"),
        vec![
            ("catalog metadata", CATALOG_MODE, modes),
            ("connection passwords", CATALOG_PASSWORDS, passwords),
        ],
        &CATALOG_MODE[..1],
    )
}

fn security_configuration_encryption<'a>(
    context: &RuleContext<'_, '_, 'a>,
    configuration: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let mode = [Step::Key("S3EncryptionMode")];
    let mut s3 = Vec::new();
    for list in context.property(configuration, S3_ENCRYPTIONS) {
        let node = list.value.node();
        if node
            .and_then(|node| node.as_sequence())
            .is_some_and(|items| !items.is_empty())
        {
            let items = context.eval.walk(vec![list], &[Step::Each], None);
            s3.extend(
                context
                    .eval
                    .walk(items, &mode, None)
                    .into_iter()
                    .filter(off),
            );
        } else if node.and_then(|node| node.as_mapping()).is_some() {
            // Older templates give a single S3Encryption mapping instead of a list.
            s3.extend(
                context
                    .eval
                    .walk(vec![list], &mode, None)
                    .into_iter()
                    .filter(off),
            );
        } else if list.value.is_unset() || node.and_then(|node| node.as_sequence()).is_some() {
            s3.push(list);
        }
    }
    let cloudwatch = context
        .property(configuration, CLOUDWATCH_MODE)
        .into_iter()
        .filter(off)
        .collect();
    let bookmarks = context
        .property(configuration, BOOKMARKS_MODE)
        .into_iter()
        .filter(off)
        .collect();
    combined(
        configuration,
        |parts| format!("Glue security configuration {{resource}} does not encrypt {parts}"),
        vec![
            ("S3 data", S3_ENCRYPTIONS, s3),
            ("CloudWatch logs", CLOUDWATCH_MODE, cloudwatch),
            ("job bookmarks", BOOKMARKS_MODE, bookmarks),
        ],
        &S3_ENCRYPTIONS[..1],
    )
}

fn security_configuration_attached<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
) -> Vec<Violation<'a>> {
    const CRAWLER: &[Step<'static>] = &[Step::Key("CrawlerSecurityConfiguration")];
    const OTHERS: &[Step<'static>] = &[Step::Key("SecurityConfiguration")];
    let (path, message) = match resource.type_name {
        Some("AWS::Glue::Crawler") => (
            CRAWLER,
            "Glue crawler {resource} has no security configuration",
        ),
        Some("AWS::Glue::Job") => (OTHERS, "Glue job {resource} has no security configuration"),
        _ => (
            OTHERS,
            "Glue development endpoint {resource} has no security configuration",
        ),
    };
    check_set(context, resource, path, message, Absent::Violation, None)
        .into_iter()
        .collect()
}

pub const RULES: &[Rule] = &[GLUE001, GLUE002, GLUE003, GLUE004];
