import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

export const put = (item) => db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: item })); // iam: dynamodb:PutItem table/odd-table
