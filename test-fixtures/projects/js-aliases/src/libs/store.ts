import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

export const readOrder = (id: string) =>
  db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: id } } })); // iam: dynamodb:GetItem table/orders-${sls:stage}
