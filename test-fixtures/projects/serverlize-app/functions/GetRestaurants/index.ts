import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

export const config = {
  type: 'http',
  path: '/restaurants',
  method: 'get',
  environment: { TABLE: 'restaurants' },
};

export const handler = async () => {
  return db.send(new ScanCommand({ TableName: process.env.TABLE })); // iam: dynamodb:Scan table/restaurants
};
