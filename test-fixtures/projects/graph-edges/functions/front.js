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
  const prices = await axios.get(process.env.PRICES_URL, { headers: { 'x-api-key': process.env.API_KEY } });  // edge(front): prices http-api-key
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: 'x' })); // iam: sqs:SendMessage ${JobsQueue.QueueName}; edge(front): worker sqs
  await sns.send(new PublishCommand({ TopicArn: process.env.ALERTS_TOPIC, Message: 'x' })); // iam: sns:Publish ${AlertsTopic}; edge(front): alerting sns
  await bus.send(new PutEventsCommand({ Entries: [{ EventBusName: process.env.BUS, Source: 'shop', DetailType: 'order_placed', Detail: '{}' }] })); // iam: events:PutEvents event-bus/${Bus}; edge(front): on-order eventbridge
  await lambda.send(new InvokeCommand({ FunctionName: 'edges-${sls:stage}-prices', Payload: '{}' })); // iam: lambda:InvokeFunction function:edges-${sls:stage}-prices; edge(front): prices lambda-invoke
  await lambda.send(new InvokeCommand({ FunctionName: 'edges-${sls:stage}-worker', Qualifier: 'live' })); // iam: lambda:InvokeFunction function:edges-${sls:stage}-worker:live; edge(front): worker lambda-invoke
  await axios.get(process.env.SECURE_URL); // diag: unsigned-call; edge(front): secure http
  return prices.data;
};
