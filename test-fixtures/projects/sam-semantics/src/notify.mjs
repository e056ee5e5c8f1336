import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { RDSDataClient, ExecuteStatementCommand, BeginTransactionCommand, CommitTransactionCommand } from '@aws-sdk/client-rds-data';

const sns = new SNSClient({});
const rds = new RDSDataClient({});
const cluster = { resourceArn: process.env.CLUSTER_ARN, secretArn: process.env.DB_SECRET };

export const handler = async (event) => {
  await sns.send(new PublishCommand({ PhoneNumber: event.phone, Message: 'code 1234' })); // iam: sns:Publish *
  const { transactionId } = await rds.send(new BeginTransactionCommand({ ...cluster, database: 'shop' })); // iam: rds-data:BeginTransaction cluster:shop-db; iam: secretsmanager:GetSecretValue "${DbSecret}"
  await rds.send(new ExecuteStatementCommand({ ...cluster, sql: 'SELECT 1', transactionId })); // iam: rds-data:ExecuteStatement cluster:shop-db; iam: secretsmanager:GetSecretValue "${DbSecret}"
  await rds.send(new CommitTransactionCommand({ ...cluster, transactionId })); // iam: rds-data:CommitTransaction cluster:shop-db; iam: secretsmanager:GetSecretValue "${DbSecret}"
};
