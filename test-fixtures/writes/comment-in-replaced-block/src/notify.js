const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const sns = new SNSClient({});

exports.handler = async () =>
  sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:news', Message: 'hi' }));  // iam(notify): sns:Publish news
