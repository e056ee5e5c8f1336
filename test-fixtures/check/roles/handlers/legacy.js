// Queues a job and announces it: the role sends to the queue but cannot publish.
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const { SNSClient, PublishCommand } = require("@aws-sdk/client-sns");

const sqs = new SQSClient({});
const sns = new SNSClient({});

exports.handler = async (event) => {
  await sqs.send(  // iam(legacy): sqs:SendMessage jobs
    new SendMessageCommand({
      QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
      MessageBody: JSON.stringify(event),
    }),
  );
  await sns.send(  // iam(legacy): sns:Publish jobs; finding(legacy): missing-permission sns:Publish arn:aws:sns:us-east-1:123456789012:jobs severity=error
    new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:123456789012:jobs", Message: "queued" }),
  );
};
