import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.idempotency_table }); // iam: dynamodb:GetItem ${IdempotencyTable} ; iam: dynamodb:PutItem ${IdempotencyTable} ; iam: dynamodb:UpdateItem ${IdempotencyTable} ; iam: dynamodb:DeleteItem ${IdempotencyTable}

export const handler = makeIdempotent(async (event) => ({ ok: event.id }), { persistenceStore });
