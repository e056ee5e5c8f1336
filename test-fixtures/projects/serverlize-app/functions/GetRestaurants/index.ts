import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';  // auth(GetRestaurants): aws_iam -> aws_iam

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
