const { read, store } = require('./a');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});

exports.main = async (event) => {
  await store.put(event);
  await s3.send(new PutObjectCommand({ Bucket: process.env.JOINED, Body: '' , Key: 'out' })); // iam: s3:PutObject */out ; diag: unresolved-resource
  return read(event.key);
};
