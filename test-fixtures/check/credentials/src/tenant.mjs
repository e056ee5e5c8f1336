import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const sts = new STSClient({});

export const handler = async (event) => {
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/tenant-access', RoleSessionName: event.tenant }));  // iam(Tenant): sts:AssumeRole role/tenant-access
  const ddb = new DynamoDBClient({
    credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken },
  });
  return ddb.send(new GetItemCommand({ TableName: 'tenant-data', Key: {} }));  // diag: assumed-credentials
};
