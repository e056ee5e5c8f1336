const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const s3 = new S3Client({});
const sm = new SecretsManagerClient({});
exports.handler = async (e) => {
  await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET }));  // iam(reader): secretsmanager:GetSecretValue secret:app/key-??????
  return s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: e.key }));  // iam(reader): s3:GetObject inbox/*
};
