const AWS = require('aws-sdk');
const db = new AWS.DynamoDB.DocumentClient();
exports.handler = async (e) => db.get({ TableName: process.env.TABLE, Key: { id: e.id } }).promise();  // iam(reader): dynamodb:GetItem table/gate-items
