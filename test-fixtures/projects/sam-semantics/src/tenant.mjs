import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import AWS from 'aws-sdk';

const sts = new STSClient({});

export const handler = async (event) => {
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/tenant-access', RoleSessionName: event.tenant })); // iam: sts:AssumeRole role/tenant-access
  const credentials = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
  const ddb = new DynamoDBClient({ credentials });
  await ddb.send(new GetItemCommand({ TableName: 'tenant-data', Key: {} })); // diag: assumed-credentials
  const s3v2 = new AWS.S3({ accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey });
  await s3v2.getObject({ Bucket: 'tenant-files', Key: 'a' }).promise(); // diag: assumed-credentials
  const upload = new Upload({ client: new S3Client({ credentials }), params: { Bucket: 'tenant-files', Key: 'b', Body: 'x' } }); // diag: assumed-credentials
  await upload.done();
  // Credentials handed over by an authorizer, wrapped by the document client.
  const { accessKey, secretKey, sessionToken } = event.requestContext.authorizer;
  const tenantClient = new DynamoDBClient({ credentials: { accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken } });
  await DynamoDBDocumentClient.from(tenantClient).send(new PutCommand({ TableName: 'tenant-data', Item: {} })); // diag: assumed-credentials
  await DynamoDBDocumentClient.from(new DynamoDBClient({})).send(new PutCommand({ TableName: 'own-data', Item: {} })); // iam: dynamodb:PutItem table/own-data
};
