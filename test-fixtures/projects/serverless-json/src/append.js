// A serverless.json config (no serverless.yml): found and read like one.
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (event) =>
  db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id } } })); // iam: dynamodb:PutItem table/ledger-${sls:stage}
