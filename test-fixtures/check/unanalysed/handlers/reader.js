const { DynamoDBClient, GetItemCommand } = require("@aws-sdk/client-dynamodb");
const db = new DynamoDBClient({});
exports.handler = async (event) =>
  db.send(new GetItemCommand({ TableName: "unread-items", Key: { id: { S: event.id } } }));  // iam(reader): dynamodb:GetItem table/unread-items
