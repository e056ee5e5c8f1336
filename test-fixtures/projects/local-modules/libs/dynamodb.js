// A wrapper every handler uses; the method is chosen by the caller.
const AWS = require('aws-sdk');

const client = new AWS.DynamoDB.DocumentClient();

const call = (action, params) => client[action](params).promise(); // iam(create): dynamodb:PutItem table/todos-${sls:stage} ; iam(list): dynamodb:Scan table/todos-${sls:stage}

function unused() {
  return client.delete({ TableName: 'never-called' }).promise();
}

module.exports = { call, unused };
