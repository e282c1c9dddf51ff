//! Amazon DynamoDB Accelerator (DAX).

use super::{Absent, Check, Rule};
use crate::diagnostic::{Applicability, Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const DAX001: Rule = Rule {
    meta: RuleMeta {
        id: "DAX001",
        name: "dax-cluster-encrypted",
        title: "DAX clusters should be encrypted at rest",
        category: Category::EncryptionAtRest,
        severity: Severity::Error,
        resource_types: &["AWS::DAX::Cluster"],
        references: References {
            cfn_nag: &["W83"],
            checkov: &["CKV_AWS_47"],
            aws_config: &["dax-encryption-enabled"],
        },
        fix: Some(Applicability::Unsafe),
        docs: RuleDocs {
            rationale: "A DAX cluster caches items read from DynamoDB tables, which are always encrypted, \
but the cluster's own storage is not unless `SSESpecification.SSEEnabled` is true. Without it, \
cached items, query results and system logs sit unencrypted on the nodes' disks, undoing the \
protection the table has. With it, DAX encrypts that data with an AWS owned key.",
            remediation: "Set `SSESpecification.SSEEnabled: true`. Encryption at rest can only be chosen \
when the cluster is created, so CloudFormation replaces the cluster: its cache starts cold and its \
endpoint may change. The quick fix is unsafe for that reason; the cached data itself can always be \
read again from DynamoDB.",
            noncompliant: "Resources:
  SessionCache:
    Type: AWS::DAX::Cluster
    Properties:
      NodeType: dax.t3.small
      ReplicationFactor: 3
      IAMRoleARN: arn:aws:iam::123456789012:role/DaxAccess
",
            compliant: "Resources:
  SessionCache:
    Type: AWS::DAX::Cluster
    Properties:
      NodeType: dax.t3.small
      ReplicationFactor: 3
      IAMRoleARN: arn:aws:iam::123456789012:role/DaxAccess
      SSESpecification:
        SSEEnabled: true
",
        },
    },
    check: Check::True {
        path: &[Step::Key("SSESpecification"), Step::Key("SSEEnabled")],
        message: "DAX cluster {resource} is not encrypted at rest",
        absent: Absent::Violation,
        fix: true,
    },
};

pub const RULES: &[Rule] = &[DAX001];
