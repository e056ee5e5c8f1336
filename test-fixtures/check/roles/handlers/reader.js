// Reads an item and writes it back: the managed policy grants only the read.
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require("@aws-sdk/client-dynamodb");

const db = new DynamoDBClient({});

exports.handler = async (event) => {
  const { Item } = await db.send(new GetItemCommand({ TableName: "items", Key: event.key }));  // iam(reader): dynamodb:GetItem table/items
  await db.send(new PutItemCommand({ TableName: "items", Item }));  // iam(reader): dynamodb:PutItem table/items; finding(reader): missing-permission dynamodb:PutItem arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/items severity=error
  return Item;
};
