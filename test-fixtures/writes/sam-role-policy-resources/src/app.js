const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const s3 = new S3Client({});
const sm = new SecretsManagerClient({});
const sqs = new SQSClient({});
exports.handler = async (e) => {
  await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET }));  // iam(Reader): secretsmanager:GetSecretValue secret:app/key-??????
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE, MessageBody: e.key }));  // iam(Reader): sqs:SendMessage ${Jobs.QueueName}
  return s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: e.key }));  // iam(Reader): s3:GetObject inbox/*
};
