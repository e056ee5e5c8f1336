const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});

exports.getItem = async (id) => db.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: id } } })
