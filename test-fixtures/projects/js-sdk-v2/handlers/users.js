// ESM default import of v2 and the DocumentClient; an aliased, destructured client.
import AWS from 'aws-sdk';
import { TABLE } from '../lib/names';

const { DocumentClient } = AWS.DynamoDB;
const db = new DocumentClient();
const documents = db;

export async function main(event) {
  const user = await documents.get({ TableName: TABLE, Key: { id: event.id } }).promise(); // iam: dynamodb:GetItem table/users-table-${sls:stage}
  await db.update({ TableName: process.env['USERS_TABLE'], Key: { id: 1 } }).promise(); // iam: dynamodb:UpdateItem table/users-table-${sls:stage}
  await db.query({ TableName: TABLE, IndexName: 'byEmail' }).promise(); // iam: dynamodb:Query table/users-table-${sls:stage}/index/byEmail ; iam: dynamodb:Query table/users-table-${sls:stage}
  return user;
}
