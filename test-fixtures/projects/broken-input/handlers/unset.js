import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const handler = async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.NOT_CONFIGURED, MessageBody: 'x' })); // iam: sqs:SendMessage :* ; diag: unresolved-resource
};
