//! AWS Lambda.

use super::helpers::{gated, unset};
use super::{Check, Rule, RuleContext, Violation, violation};
use crate::diagnostic::{Category, References, RuleDocs, RuleMeta, Severity};
use crate::eval::{Outcome, Step, Value};
use crate::template::Resource;

pub const LMB001: Rule = Rule {
    meta: RuleMeta {
        id: "LMB001",
        name: "lambda-environment-customer-managed-key",
        title: "Lambda functions with environment variables should encrypt them with a customer managed KMS key",
        category: Category::EncryptionAtRest,
        severity: Severity::Info,
        resource_types: &["AWS::Lambda::Function", "AWS::Serverless::Function"],
        references: References {
            cfn_nag: &[],
            checkov: &["CKV_AWS_173"],
            aws_config: &[],
        },
        fix: None,
        docs: RuleDocs {
            rationale: "Lambda always encrypts a function's environment variables at rest. Without `KmsKeyArn` \
it uses the AWS managed key `aws/lambda`, whose key policy you cannot change: anyone in the account who \
may read the function's configuration sees the values in clear text, and no key policy or grant can \
narrow that down. Environment variables often carry connection strings or tokens; with a customer \
managed key, reading them also requires `kms:Decrypt` on your key, every decryption is logged in \
CloudTrail, and disabling the key cuts off access.\n\n\
Functions without environment variables are not reported. For SAM functions, `Globals.Function` \
supplies `Environment` and `KmsKeyArn` where the function does not.",
            remediation: "Create an `AWS::KMS::Key` (or use an existing one) whose key policy lets the \
principals that deploy and inspect the function use it, and give its ARN in `KmsKeyArn`; Lambda gives \
itself a grant to decrypt the variables at run time. Better still, keep secrets out of \
environment variables and read them from Secrets Manager or Parameter Store at run time. Which key to \
use is a choice Ward cannot make, so there is no quick fix.",
            noncompliant: "Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/worker
      Code:
        ZipFile: |
          def handler(event, context):
              return event
      Environment:
        Variables:
          TABLE_NAME: orders
",
            compliant: "Resources:
  FunctionKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/worker
      Code:
        ZipFile: |
          def handler(event, context):
              return event
      KmsKeyArn: !GetAtt FunctionKey.Arn
      Environment:
        Variables:
          TABLE_NAME: orders
",
        },
    },
    check: Check::Custom(environment_key),
};

/// Only functions that do have environment variables need a key for them.
fn environment_key<'a>(
    context: &RuleContext<'_, '_, 'a>,
    function: &Resource<'a>,
) -> Vec<Violation<'a>> {
    let key_path = &[Step::Key("KmsKeyArn")];
    let missing = unset(context.property(function, key_path));
    if missing.is_empty() {
        return Vec::new();
    }
    let variables_path = &[Step::Key("Environment"), Step::Key("Variables")];
    let mut variables = context.property(function, variables_path);
    variables.extend(global_variables(context, function));
    let missing = gated(missing, &variables, |value| {
        value
            .node()
            .and_then(|node| node.as_mapping())
            .is_some_and(|entries| !entries.is_empty())
    });
    if missing.is_empty() {
        return Vec::new();
    }
    vec![violation(
        function,
        "Lambda function {resource} keeps environment variables without a customer managed KMS key",
        key_path,
        missing,
    )]
}

/// SAM merges `Globals.Function.Environment.Variables` into a function's own variables; the
/// evaluator's Globals fallback only covers a function without `Environment`.
fn global_variables<'a>(
    context: &RuleContext<'_, '_, 'a>,
    function: &Resource<'a>,
) -> Vec<Outcome<'a>> {
    let Some(globals) = function
        .type_name
        .filter(|_| function.is_sam())
        .and_then(|type_name| context.eval.template.globals_for(type_name))
    else {
        return Vec::new();
    };
    if function.property("Environment").is_none() {
        return Vec::new();
    }
    let start: Vec<Outcome<'a>> = context
        .eval
        .resource_cases(function)
        .into_iter()
        .map(|case| Outcome {
            value: Value::Node(globals),
            case,
            site: globals.span,
            literal: false,
        })
        .collect();
    context.eval.walk(
        start,
        &[Step::Key("Environment"), Step::Key("Variables")],
        None,
    )
}

pub const RULES: &[Rule] = &[LMB001];
