const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.run = async () => s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'done', Body: '1' })); // iam(job): s3:PutObject imgs-${sls:stage}/done
