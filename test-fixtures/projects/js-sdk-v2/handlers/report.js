// Queues and topics referenced through CloudFormation, the default event bus, an unknown method.
const AWS = require('aws-sdk');
const sqs = new AWS.SQS({ region: 'us-east-1' });
const sns = new AWS.SNS();
const events = new AWS.EventBridge();

module.exports.handler = async () => {
  await sqs.sendMessage({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x' }).promise(); // iam: sqs:SendMessage ReportQueue.QueueName
  await sns.publish({ TopicArn: process.env.TOPIC_ARN, Message: 'done' }).promise(); // iam: sns:Publish ${ReportTopic}
  await events.putEvents({ Entries: [{ Source: 'report', DetailType: 'done', Detail: '{}' }] }).promise(); // iam: events:PutEvents event-bus/default
  await sqs.frobnicate({}).promise(); // diag: unknown-operation
};
