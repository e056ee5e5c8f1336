// Per-client module, X-Ray wrapper, a client made inside the handler, S3 copy and list.
const AWSXRay = require('aws-xray-sdk-core');
const S3 = require('aws-sdk/clients/s3');
const AWS = AWSXRay.captureAWS(require('aws-sdk'));

exports.handler = async (event) => {
  const s3 = new S3();
  const listing = await s3.listObjectsV2({ Bucket: process.env.BUCKET, Prefix: 'raw/' }).promise(); // iam: s3:ListBucket arn:aws:s3:::photos-${sls:stage}
  for (const item of listing.Contents) {
    await s3.copyObject({ // iam: s3:PutObject "arn:aws:s3:::${env:THUMBS_BUCKET, 'photos-thumbs'}/*" ; iam: s3:GetObject arn:aws:s3:::photos-${sls:stage}/raw/*
      CopySource: `${process.env.BUCKET}/raw/${item.Key}`,
      Bucket: process.env.THUMBS_BUCKET,
      Key: item.Key,
    }).promise();
  }
  const traced = new AWS.S3();
  await traced.getObject({ Bucket: 'fixed-bucket', Key: 'a.txt', VersionId: event.v }).promise(); // iam: s3:GetObject arn:aws:s3:::fixed-bucket/a.txt ; iam: s3:GetObjectVersion arn:aws:s3:::fixed-bucket/a.txt
};
