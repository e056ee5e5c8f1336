// A function that invokes itself by its deployed name.
const aws = require('aws-sdk');
const lambda = new aws.Lambda();

module.exports.handler = async (event) => {
  if (event.depth > 3) return 'done';
  await lambda.invoke({ // iam: lambda:InvokeFunction function:todos-${sls:stage}-recurse; edge(recurse): recurse lambda-invoke
    FunctionName: `todos-${process.env.STAGE || 'dev'}-recurse`,
    InvocationType: 'Event',
    Payload: JSON.stringify({ depth: event.depth + 1 }),
  }).promise();
  return 'again';
};
