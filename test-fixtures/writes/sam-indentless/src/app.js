const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const s3 = new S3Client();
const sqs = new SQSClient();
exports.handler = async () => {
  await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'a' }));  // iam(F): s3:GetObject ${B}/a
  await sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'x' }));  // iam(F): sqs:SendMessage q
};
