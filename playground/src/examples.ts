// The example templates, bundled from ../examples at build time (no request at run time).
import dynamodbIncident from '../../examples/dynamodb-incident.yaml?raw';
import dataPlatform from '../../examples/data-platform.json?raw';
import serverlessOrders from '../../examples/serverless-orders.yaml?raw';
import compliant from '../../examples/compliant.yaml?raw';

export interface Example {
  id: string;
  label: string;
  file: string;
  text: string;
}

export const EXAMPLES: readonly Example[] = [
  { id: 'dynamodb-incident', label: 'The DynamoDB incident (YAML)', file: 'dynamodb-incident.yaml', text: dynamodbIncident },
  { id: 'data-platform', label: 'A data platform (JSON)', file: 'data-platform.json', text: dataPlatform },
  { id: 'serverless-orders', label: 'A serverless application (SAM)', file: 'serverless-orders.yaml', text: serverlessOrders },
  { id: 'compliant', label: 'The incident, fixed (no findings)', file: 'compliant.yaml', text: compliant },
];
