// Forgets a websocket connection.
const { DynamoDBClient, DeleteItemCommand } = require("@aws-sdk/client-dynamodb");

const db = new DynamoDBClient({});

exports.handler = async (event) => {
  await db.send(  // iam(disconnect): dynamodb:DeleteItem table/gate-items
    new DeleteItemCommand({
      TableName: process.env.TABLE,
      Key: { id: { S: event.requestContext.connectionId } },
    }),
  );
  return { statusCode: 200 };
};
