const axios = require('axios');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');

const sqs = new SQSClient();
const sns = new SNSClient();
const bus = new EventBridgeClient();
const lambda = new LambdaClient();

exports.handler = async () => {
  const prices = await axios.get(process.env.PRICES_URL, { headers: { 'x-api-key': process.env.API_KEY } });
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: 'x' })); // iam: sqs:SendMessage ${JobsQueue.QueueName}
  await sns.send(new PublishCommand({ TopicArn: process.env.ALERTS_TOPIC, Message: 'x' })); // iam: sns:Publish ${AlertsTopic}
  await bus.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.BUS, Source: 'shop', DetailType: 'order_placed', Detail: '{}' }] })); // iam: events:PutEvents event-bus/${Bus}
  await lambda.send(new InvokeCommand({ FunctionName: 'edges-${sls:stage}-prices', Payload: '{}' })); // iam: lambda:InvokeFunction function:edges-${sls:stage}-prices
  await lambda.send(new InvokeCommand({ FunctionName: 'edges-${sls:stage}-worker', Qualifier: 'live' })); // iam: lambda:InvokeFunction function:edges-${sls:stage}-worker:live
  await axios.get(process.env.SECURE_URL); // diag: unsigned-call
  return prices.data;
};
