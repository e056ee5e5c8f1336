// A .cjs handler with a callback-style call and a waiter.
const { DynamoDB } = require('aws-sdk');

const ddb = new DynamoDB();

exports.handler = (event, context, callback) => {
  ddb.waitFor('tableExists', { TableName: 'audit' }, () => { // iam: dynamodb:DescribeTable table/audit
    ddb.putItem({ TableName: 'audit', Item: {} }, callback); // iam: dynamodb:PutItem table/audit
  });
};
