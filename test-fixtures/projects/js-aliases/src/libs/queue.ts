import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export const notify = (order: unknown) =>
  sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/orders', MessageBody: JSON.stringify(order) })); // iam: sqs:SendMessage orders
