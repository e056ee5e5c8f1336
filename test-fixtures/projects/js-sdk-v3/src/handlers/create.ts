import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ddbDocClient } from '../libs/ddbDocClient.js';

const TableName = process.env.ORDERS_TABLE!;

export const handler = async (event: { id: string }) => {
  await ddbDocClient.send(new PutCommand({ TableName, Item: { id: event.id } })); // iam: dynamodb:PutItem table/orders-orders-${sls:stage}
  await ddbDocClient.send( // iam: dynamodb:PutItem table/audit ; iam: dynamodb:UpdateItem table/audit ; iam: dynamodb:DeleteItem table/audit ; iam: dynamodb:ConditionCheckItem table/audit
    new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'audit', Item: {} } }] }),
  );
  return { statusCode: 201 };
};
