'use strict';
const dynamoDb = require('../libs/dynamodb');

const params = { TableName: process.env.DYNAMODB_TABLE };

module.exports.create = async (event) => {
  await dynamoDb.call('put', { ...params, Item: JSON.parse(event.body) });
  return { statusCode: 200 };
};

module.exports.list = async () => {
  const result = await dynamoDb.call('scan', params);
  return { statusCode: 200, body: JSON.stringify(result.Items) };
};
