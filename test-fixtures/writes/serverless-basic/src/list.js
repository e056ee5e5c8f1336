const { DynamoDBClient, QueryCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});

exports.handler = async (event) =>
  db.send(new QueryCommand({ TableName: process.env.TABLE, KeyConditionExpression: 'pk = :c' }));  // iam(list): dynamodb:Query table/orders-${sls:stage}-orders
