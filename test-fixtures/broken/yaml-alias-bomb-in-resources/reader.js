const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async () => db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: {} }));
