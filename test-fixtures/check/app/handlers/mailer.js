const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const sns = new SNSClient({});
exports.handler = async () => sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:mail', Message: 'x' }));  // iam(mailer): sns:Publish mail; finding(mailer): missing-permission sns:Publish arn:aws:sns:us-east-1:123456789012:mail severity=error
