const aws = require('aws-sdk');

module.exports.handler = (event, context, callback) => {
  const lambda = new aws.Lambda();
  lambda.invoke({ FunctionName: context.functionName, InvocationType: 'Event' }, callback); // iam: lambda:InvokeFunction function:wrappers-${sls:stage}-again; edge(again): again lambda-invoke
};
