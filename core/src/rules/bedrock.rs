//! Amazon Bedrock.

use super::{Absent, Check, Rule};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::Step;

pub const BDR001: Rule = Rule {
    meta: RuleMeta {
        id: "BDR001",
        name: "bedrock-agent-customer-managed-key",
        title: "Bedrock agents should encrypt their data with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Bedrock::Agent"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_373"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "A Bedrock agent stores its configuration and, while it runs, session data: the user's \
requests, the intermediate reasoning and the results of the actions it calls. Bedrock encrypts all of \
it at rest with a key that AWS owns unless `CustomerEncryptionKeyArn` names a KMS key of yours. With \
your own key, the key policy decides which principals may have agent data decrypted, every use appears \
in CloudTrail, and disabling the key stops access to it.",
            remediation: "Set `CustomerEncryptionKeyArn` to the ARN of a symmetric customer managed KMS key and \
allow the agent's service role (and the principals that invoke the agent) to use it. The key is applied \
in place. Which key to use is a choice Ward cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  SupportAgent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: support-agent
      AgentResourceRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/bedrock-agent
      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0
      Instruction: Answer questions about orders using the order lookup action group.
",
            compliant: "Resources:
  AgentKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  SupportAgent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: support-agent
      AgentResourceRoleArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/bedrock-agent
      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0
      Instruction: Answer questions about orders using the order lookup action group.
      CustomerEncryptionKeyArn: !GetAtt AgentKey.Arn
",
        },
    },
    check: Check::Set {
        path: &[Step::Key("CustomerEncryptionKeyArn")],
        message: "Bedrock agent {resource} is not encrypted with a customer managed KMS key",
        absent: Absent::Violation,
        fix: None,
    },
};

pub const RULES: &[Rule] = &[BDR001];
