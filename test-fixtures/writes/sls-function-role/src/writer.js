const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async (e) =>
  db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: e.id } } }));  // iam(writer): dynamodb:PutItem table/${Items}
