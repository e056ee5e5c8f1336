const AWS = require('aws-sdk');
const db = new AWS.DynamoDB.DocumentClient();
exports.handler = async (e) => db.put({ TableName: process.env.TABLE, Item: e }).promise();  // iam(writer): dynamodb:PutItem table/gate-items
