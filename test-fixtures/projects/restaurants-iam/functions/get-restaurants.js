const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, ScanCommand } = require('@aws-sdk/lib-dynamodb');
const { defaultResults } = require('../lib/config');

const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient());
const tableName = process.env.restaurants_table;

const getRestaurants = async (count) => {
  const resp = await dynamodb.send(new ScanCommand({ TableName: tableName, Limit: count })); // iam: dynamodb:Scan ${RestaurantsTable}
  return resp.Items;
};

module.exports.handler = async () => {
  const restaurants = await getRestaurants(defaultResults);
  return { statusCode: 200, body: JSON.stringify(restaurants) };
};
