const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (e) => db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: e.key }));  // iam(get): dynamodb:GetItem table/orders
