// A client in a helper that returns it; a table name built at run time (widened, with a warning).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';

function makeClient(region: string) {
  return new DynamoDBClient({ region });
}

export const handler = async (event: { tenant: string }) => {
  const db = makeClient('eu-west-1');
  const res = await db.send(new GetItemCommand({ TableName: `${event.tenant}-settings`, Key: {} })); // iam: dynamodb:GetItem table/*-settings ; diag: unresolved-resource
  const docs = DynamoDBDocument.from(db);
  await docs.get({ TableName: 'tenants', Key: { id: event.tenant } }); // iam: dynamodb:GetItem table/tenants
  return res.Item;
};
