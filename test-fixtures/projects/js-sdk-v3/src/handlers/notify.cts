// CommonJS TypeScript: destructured require, EventBridge on a named bus, Step Functions by ARN.
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');

const bus = new EventBridgeClient({});
const sfn = new SFNClient({});

module.exports.handler = async () => {
  const entry = { EventBusName: process.env.BUS_NAME, Source: 'orders', DetailType: 'placed', Detail: '{}' };
  await bus.send(new PutEventsCommand({ Entries: [entry] })); // iam: events:PutEvents event-bus/${OrdersBus}
  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.STATE_MACHINE, input: '{}' })); // iam: states:StartExecution ${Fulfilment.Arn}
};
