import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';

const ddb = new DynamoDBClient({});
const s3 = new S3Client({});

export const handler = async () => {
  await ddb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: '1' } } })); // iam(Put): dynamodb:PutItem table/orders
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'orders/1.json', Body: '{}' })); // iam(Put): s3:PutObject archive/orders/1.json
};
