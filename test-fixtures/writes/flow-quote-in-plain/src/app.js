const { DynamoDB } = require('aws-sdk');
const db = new DynamoDB.DocumentClient();
exports.handler = async () => db.get({ TableName: process.env.TABLE, Key: {} }).promise();  // iam(Fn): dynamodb:GetItem table/orders
