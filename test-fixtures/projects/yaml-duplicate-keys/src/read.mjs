import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const ddb = new DynamoDBClient({});
const s3 = new S3Client({});

export const handler = async (event) => {
  const item = await ddb.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } })); // iam: dynamodb:GetItem table/${Orders}
  await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'latest.json' })); // iam: s3:GetObject reports/latest.json
  return item;
};
