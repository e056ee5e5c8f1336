const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');

const db = new DynamoDBClient({});
const s3 = new S3Client({});

exports.handler = async (event) => {
  const item = await db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } })); // iam: dynamodb:GetItem table/orders-${sls:stage}
  const doc = await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'a.json' })); // iam: s3:GetObject orders-assets-${sls:stage}/a.json
  return { item, doc, token: process.env.TOKEN };
};
