import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

const db = new DynamoDBClient({});

export const handler = async () =>
  db.send(new ScanCommand({ TableName: process.env.TABLE_NAME })); // iam(WebFunction): dynamodb:Scan ${Table}
