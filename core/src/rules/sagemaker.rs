//! Amazon SageMaker AI.

use super::helpers::{gated, unless_any, unset};
use super::{Absent, Check, Rule, RuleContext, Violation, check_set, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Step, Value};
use crate::template::Resource;

pub const SGM001: Rule = Rule {
    meta: RuleMeta {
        id: "SGM001",
        name: "sagemaker-notebook-domain-customer-managed-key",
        title: "SageMaker notebook instances and domains should encrypt storage with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::SageMaker::NotebookInstance", "AWS::SageMaker::Domain"],
        references: References {
            cfn_nag: &["W1201"],
            checkov: &["CKV_AWS_187"],
            aws_config: &["sagemaker-notebook-instance-kms-key-configured"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A notebook instance keeps notebooks, data extracts and credentials on its ML storage \
volume; a SageMaker domain keeps its users' home directories on an EFS volume. SageMaker always encrypts \
both, but without `KmsKeyId` it uses a key that AWS manages, so the key policy cannot limit who may read \
the data and access cannot be revoked by disabling the key. With a customer managed key, reading the \
volume also requires permission on your key, and each use is logged in CloudTrail.",
            remediation: "Set `KmsKeyId` to the id or ARN of a customer managed KMS key that the SageMaker \
execution role may use. The key of a notebook instance or a domain cannot be changed in place: the \
resource is replaced, and a domain's EFS volume with it, so plan to move the data first. Which key to \
use is a choice Ward cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  ResearchNotebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sagemaker-notebook
      DirectInternetAccess: Disabled
      SubnetId: subnet-0a1b2c3d
      SecurityGroupIds:
        - sg-0a1b2c3d
",
            compliant: "Resources:
  NotebookKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  ResearchNotebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sagemaker-notebook
      DirectInternetAccess: Disabled
      SubnetId: subnet-0a1b2c3d
      SecurityGroupIds:
        - sg-0a1b2c3d
      KmsKeyId: !Ref NotebookKey
",
        },
    },
    check: Check::Custom(notebook_or_domain_key),
};

fn notebook_or_domain_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    resource: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let message = match resource.type_name {
        Some("AWS::SageMaker::Domain") => {
            "SageMaker domain {resource} does not encrypt its EFS volume with a customer managed KMS key"
        }
        _ => {
            "SageMaker notebook instance {resource} does not encrypt its storage volume with a customer managed KMS key"
        }
    };
    check_set(
        context,
        resource,
        &[Step::Key("KmsKeyId")],
        message,
        Absent::Violation,
        None,
    )
    .into_iter()
    .collect()
}

pub const SGM002: Rule = Rule {
    meta: RuleMeta {
        id: "SGM002",
        name: "sagemaker-endpoint-customer-managed-key",
        title: "SageMaker endpoint configurations should encrypt storage volumes with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::SageMaker::EndpointConfig"],
        references: References {
            cfn_nag: &["W1200"],
            checkov: &[],
            aws_config: &["sagemaker-endpoint-configuration-kms-key-configured"],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "The instances behind a SageMaker endpoint hold the model artifacts and whatever the \
inference container writes to disk on their ML storage volumes. Without `KmsKeyId`, SageMaker encrypts \
those volumes with a transient key that it discards right away: the data is protected, but you cannot \
audit, restrict or revoke access to it through KMS, and some compliance regimes require a key under your \
control.\n\n\
Endpoint configurations that cannot take a key are not reported: instance types with local NVMe storage \
(such as `ml.m5d`, `ml.g4dn`, `ml.g5` or `ml.p4d`), which SageMaker encrypts in hardware and for which it \
rejects `KmsKeyId`, and serverless variants, which have no storage volume of their own.",
            remediation: "Set `KmsKeyId` to a customer managed KMS key whose key policy lets the role of the \
endpoint use it. An endpoint configuration cannot be changed in place: CloudFormation creates a new one \
and the endpoint moves to it with a blue/green update. Which key to use is a choice Ward cannot make, so \
there is no quick fix.",
            noncompliant: "Resources:
  ModelEndpointConfig:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ProductionVariants:
        - VariantName: primary
          ModelName: churn-model
          InitialInstanceCount: 1
          InstanceType: ml.m5.large
          InitialVariantWeight: 1
",
            compliant: "Resources:
  EndpointKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  ModelEndpointConfig:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      KmsKeyId: !GetAtt EndpointKey.Arn
      ProductionVariants:
        - VariantName: primary
          ModelName: churn-model
          InitialInstanceCount: 1
          InstanceType: ml.m5.large
          InitialVariantWeight: 1
",
        },
    },
    check: Check::Custom(endpoint_key),
};

fn endpoint_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    config: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let path = &[Step::Key("KmsKeyId")];
    let missing = unset(context.property(config, path));
    if missing.is_empty() {
        return Vec::new();
    }
    let variants = |key| {
        context.property(
            config,
            &[Step::Key("ProductionVariants"), Step::Each, Step::Key(key)],
        )
    };
    // One variant that cannot take a key makes the whole configuration refuse it.
    let missing = unless_any(missing, &variants("InstanceType"), |value| {
        instance_type(value) != Some(false)
    });
    let missing = unless_any(missing, &variants("ServerlessConfig"), |value| {
        !(value.is_absent() || value.node().is_some_and(|node| node.is_null()))
    });
    if missing.is_empty() {
        return Vec::new();
    }
    vec![violation(
        config,
        "SageMaker endpoint configuration {resource} does not encrypt its storage volumes with a customer managed KMS key",
        path,
        missing,
    )]
}

pub const SGM003: Rule = Rule {
    meta: RuleMeta {
        id: "SGM003",
        name: "sagemaker-data-quality-job-customer-managed-key",
        title: "SageMaker data quality jobs should encrypt their output and volumes with customer managed KMS keys",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::SageMaker::DataQualityJobDefinition"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_367", "CKV_AWS_368"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A data quality monitoring job reads samples of the data an endpoint captured, computes \
statistics on the processing instance's storage volume and writes its reports to S3. Without keys of \
your own, the volume is encrypted with a transient key SageMaker discards, and the reports with the \
account's AWS managed key for S3, whose policy you cannot change. `DataQualityJobOutputConfig.KmsKeyId` \
and `JobResources.ClusterConfig.VolumeKmsKeyId` put both under a customer managed key, so that access \
follows your key policy and shows in CloudTrail.\n\n\
The volume key is not asked for instance types with local NVMe storage, which SageMaker encrypts in \
hardware and for which it rejects a volume key.",
            remediation: "Set `DataQualityJobOutputConfig.KmsKeyId` and `JobResources.ClusterConfig.VolumeKmsKeyId` \
to a customer managed KMS key that the job's role may use. The job definition is replaced when either \
changes, which only affects future monitoring runs. Which key to use is a choice Ward cannot make, so \
there is no quick fix.",
            noncompliant: "Resources:
  QualityJob:
    Type: AWS::SageMaker::DataQualityJobDefinition
    Properties:
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/model-monitor
      DataQualityAppSpecification:
        ImageUri: 156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer
      DataQualityJobInput:
        EndpointInput:
          EndpointName: churn-endpoint
          LocalPath: /opt/ml/processing/input
      DataQualityJobOutputConfig:
        MonitoringOutputs:
          - S3Output:
              S3Uri: s3://example-monitoring/reports
              LocalPath: /opt/ml/processing/output
      JobResources:
        ClusterConfig:
          InstanceCount: 1
          InstanceType: ml.m5.large
          VolumeSizeInGB: 20
",
            compliant: "Resources:
  MonitorKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  QualityJob:
    Type: AWS::SageMaker::DataQualityJobDefinition
    Properties:
      RoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/model-monitor
      DataQualityAppSpecification:
        ImageUri: 156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer
      DataQualityJobInput:
        EndpointInput:
          EndpointName: churn-endpoint
          LocalPath: /opt/ml/processing/input
      DataQualityJobOutputConfig:
        KmsKeyId: !GetAtt MonitorKey.Arn
        MonitoringOutputs:
          - S3Output:
              S3Uri: s3://example-monitoring/reports
              LocalPath: /opt/ml/processing/output
      JobResources:
        ClusterConfig:
          InstanceCount: 1
          InstanceType: ml.m5.large
          VolumeSizeInGB: 20
          VolumeKmsKeyId: !GetAtt MonitorKey.Arn
",
        },
    },
    check: Check::Custom(data_quality_keys),
};

const OUTPUT_KEY: &[Step<'static>] = &[
    Step::Key("DataQualityJobOutputConfig"),
    Step::Key("KmsKeyId"),
];
const VOLUME_KEY: &[Step<'static>] = &[
    Step::Key("JobResources"),
    Step::Key("ClusterConfig"),
    Step::Key("VolumeKmsKeyId"),
];

/// One finding for the job, naming what lacks a key.
fn data_quality_keys<'a>(
    context: &RuleContext<'_, '_, 'a>,
    job: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let output = unset(context.property(job, OUTPUT_KEY));
    let volume = unset(context.property(job, VOLUME_KEY));
    let instance = context.property(
        job,
        &[
            Step::Key("JobResources"),
            Step::Key("ClusterConfig"),
            Step::Key("InstanceType"),
        ],
    );
    let volume = gated(volume, &instance, |value| {
        instance_type(value) == Some(false)
    });
    let (message, path) = match (output.is_empty(), volume.is_empty()) {
        (true, true) => return Vec::new(),
        (false, false) => (
            "SageMaker data quality job definition {resource} encrypts neither its output nor its processing volume with a customer managed KMS key",
            OUTPUT_KEY,
        ),
        (false, true) => (
            "SageMaker data quality job definition {resource} does not encrypt its output with a customer managed KMS key",
            OUTPUT_KEY,
        ),
        (true, false) => (
            "SageMaker data quality job definition {resource} does not encrypt its processing volume with a customer managed KMS key",
            VOLUME_KEY,
        ),
    };
    let mut outcomes = output;
    outcomes.extend(volume);
    vec![violation(job, message, path, outcomes)]
}

/// For an `InstanceType` value: whether it has local NVMe storage, `None` when unknown. An absent
/// type (a serverless variant) has none.
fn instance_type(value: &Value<'_>) -> Option<bool> {
    match value {
        Value::Absent => Some(false),
        Value::Unknown => None,
        value => value.text().map(local_storage),
    }
}

/// Instance types with local NVMe storage, which SageMaker encrypts in hardware and for which it
/// refuses a volume key. EC2 names them with a `d` among the attributes after the generation
/// (`m5d`, `g4dn`, `p4de`, `c6id`); a few GPU and Trainium families have local storage without it.
fn local_storage(instance_type: &str) -> bool {
    let name = instance_type.trim().to_ascii_lowercase();
    let name = name.strip_prefix("ml.").unwrap_or(&name);
    let family = name.split('.').next().unwrap_or_default();
    let attributes = family
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(|c: char| c.is_ascii_digit());
    attributes.contains('d')
        || matches!(
            family,
            "g5" | "g6" | "g6e" | "gr6" | "p5" | "p5e" | "p5en" | "trn1" | "trn1n" | "trn2"
        )
}

pub const RULES: &[Rule] = &[SGM001, SGM002, SGM003];

#[cfg(test)]
mod tests {
    use super::local_storage;

    #[test]
    fn local_storage_families() {
        for local in [
            "ml.m5d.large",
            "ml.g4dn.xlarge",
            "ml.p4de.24xlarge",
            "ml.g5.2xlarge",
            "ml.c6id.large",
            "ml.trn1n.32xlarge",
        ] {
            assert!(local_storage(local), "{local}");
        }
        for ebs in [
            "ml.m5.large",
            "ml.t3.medium",
            "ml.inf2.xlarge",
            "ml.c7g.large",
            "ml.p3.2xlarge",
        ] {
            assert!(!local_storage(ebs), "{ebs}");
        }
    }
}
