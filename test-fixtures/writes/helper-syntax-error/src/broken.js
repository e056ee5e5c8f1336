const { getItem } = require('./lib/db');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});

exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs', MessageBody: 'x' }));  // iam(broken): sqs:SendMessage jobs
  return getItem(event.id);
};
