const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({});

exports.enqueue = (id) =>
  sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/jobs', MessageBody: id })); // iam: sqs:SendMessage jobs
