const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient();

exports.handler = async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: '{}' })); // iam: sqs:SendMessage ${construct:jobs.queueArn}; edge(produce): jobsWorker sqs
};
