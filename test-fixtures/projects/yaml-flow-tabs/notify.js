const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');

const sns = new SNSClient({});

exports.handler = async () => {
  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: 'tick' })); // iam: sns:Publish alerts
};
