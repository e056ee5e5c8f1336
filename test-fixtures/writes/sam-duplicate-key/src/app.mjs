import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const ddb = new DynamoDBClient({});

export const handler = async () =>
  ddb.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: '1' } } })); // iam(Get): dynamodb:GetItem table/orders
