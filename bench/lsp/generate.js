'use strict';
// Generated CloudFormation templates for the language server benchmark: a mix of resource types,
// parameters, conditions (some resources only exist when a condition holds), intrinsic functions
// (Ref, GetAtt, Sub, If, Select) and cross-references, in YAML.

// Each kind: type, properties (YAML lines at 6 spaces), whether it gets a Condition.
const KINDS = [
  ['AWS::DynamoDB::Table', (n) => [
    'BillingMode: PAY_PER_REQUEST',
    'AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
    'KeySchema: [{AttributeName: id, KeyType: HASH}]',
    'SSESpecification:',
    `  SSEEnabled: ${n % 4 === 0 ? 'true' : 'false'}`,
  ]],
  ['AWS::S3::Bucket', (n) => [
    `BucketName: !Sub "data-\${Environment}-${n}"`,
    'VersioningConfiguration:',
    '  Status: Enabled',
  ]],
  ['AWS::SQS::Queue', (n) => [
    `QueueName: !Sub "queue-\${Environment}-${n}"`,
    'VisibilityTimeout: 60',
    'SqsManagedSseEnabled: !If [IsProd, true, false]',
  ]],
  ['AWS::EC2::Volume', () => [
    'Size: 100',
    'AvailabilityZone: !Select [0, !GetAZs ""]',
    'Encrypted: !Ref EncryptVolumes',
  ]],
  ['AWS::RDS::DBInstance', () => [
    'Engine: postgres',
    'DBInstanceClass: db.t3.micro',
    'AllocatedStorage: "20"',
    'StorageEncrypted: !If [IsProd, true, !Ref AWS::NoValue]',
    'KmsKeyId: !GetAtt Key0.Arn',
  ]],
  ['AWS::KMS::Key', (n) => [
    'EnableKeyRotation: true',
    `Description: key ${n}`,
  ]],
  ['AWS::SNS::Topic', (n) => [
    `TopicName: topic-${n}`,
    ...(n % 2 === 0 ? ['KmsMasterKeyId: !Ref Key0'] : []),
  ]],
  ['AWS::Logs::LogGroup', (n) => [
    `LogGroupName: !Sub "/ward/\${Environment}/${n}"`,
    'RetentionInDays: 30',
  ]],
  ['AWS::EFS::FileSystem', (n) => [
    `Encrypted: ${n % 3 === 0 ? 'false' : 'true'}`,
  ]],
  ['AWS::Kinesis::Stream', () => [
    'ShardCount: 1',
  ]],
];

/**
 * A YAML template with `resources` resources; `seed` varies names so different templates differ.
 * Returns { text, tables: [{ name, line }] } where line is the 0-based line of each DynamoDB
 * table's `SSEEnabled:` (its value starts at character 20).
 */
function generateYaml(resources, seed = 0) {
  const lines = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    `Description: Generated template ${seed} with ${resources} resources`,
    'Parameters:',
    '  Environment:',
    '    Type: String',
    '    Default: dev',
    '    AllowedValues: [dev, prod]',
    '  EncryptVolumes:',
    '    Type: String',
    '    Default: "true"',
    '    AllowedValues: ["true", "false"]',
    'Conditions:',
    '  IsProd: !Equals [!Ref Environment, prod]',
    '  IsDev: !Not [!Condition IsProd]',
    'Resources:',
    '  Key0:',
    '    Type: AWS::KMS::Key',
    '    Properties:',
    '      EnableKeyRotation: true',
  ];
  const tables = [];
  const names = [];
  for (let n = 1; n < resources; n++) {
    const [type, properties] = KINDS[(n + seed) % KINDS.length];
    const name = `${type.split('::')[1]}${type.split('::')[2]}${seed}x${n}`;
    names.push(name);
    lines.push(`  ${name}:`, `    Type: ${type}`);
    if (n % 7 === 0) lines.push(`    Condition: ${n % 2 ? 'IsProd' : 'IsDev'}`);
    if (n % 11 === 0 && names.length > 1) lines.push(`    DependsOn: ${names[names.length - 2]}`);
    lines.push('    Properties:');
    for (const p of properties(n)) {
      if (p.startsWith('  SSEEnabled:')) tables.push({ name, line: lines.length });
      lines.push('      ' + p);
    }
  }
  lines.push('Outputs:');
  for (let i = 0; i < Math.min(20, names.length); i++) {
    const name = names[i * Math.floor(names.length / 20)];
    lines.push(`  Out${i}:`, `    Value: !Ref ${name}`);
  }
  return { text: lines.join('\n') + '\n', tables };
}

module.exports = { generateYaml };

if (require.main === module) {
  const { text } = generateYaml(Number(process.argv[2] || 1000), Number(process.argv[3] || 0));
  process.stdout.write(text);
}
