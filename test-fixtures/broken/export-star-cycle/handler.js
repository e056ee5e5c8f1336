const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { missing, read } = require('./m0');

const s3 = new S3Client({});

exports.main = async () => {
  missing();
  await read(s3);
};
