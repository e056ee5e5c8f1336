import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const s3 = new S3Client({});
const ddb = new DynamoDBClient({});

export const handler = async (event: { sku: string }) => {
  await s3.send(new GetObjectCommand({ Bucket: process.env.ASSETS, Key: `images/${event.sku}.png` })); // iam: s3:GetObject ${AssetsBucket}/images/*.png
  await ddb.send(new GetItemCommand({ TableName: process.env.PRICES_ARN, Key: {} })); // iam: dynamodb:GetItem table/prices-${Stage}
};
