// CommonJS, the whole SDK, a module-level client, callbacks and .promise().
const AWS = require('aws-sdk');
const s3 = new AWS.S3();

module.exports.handler = async (event) => {
  const key = `uploads/${event.id}.jpg`;
  const url = s3.getSignedUrl('putObject', { Bucket: process.env.BUCKET, Key: key }); // iam: s3:PutObject arn:aws:s3:::photos-${sls:stage}/uploads/*.jpg
  await s3.upload({ Bucket: process.env.BUCKET, Key: key, Body: event.body }).promise(); // iam: s3:PutObject photos-${sls:stage}/uploads/*.jpg ; iam: s3:AbortMultipartUpload photos-${sls:stage}/uploads/*.jpg
  s3.headObject({ Bucket: process.env.BUCKET, Key: key }, (err) => { // iam: s3:GetObject photos-${sls:stage}/uploads/*.jpg
    if (err) console.log(err);
  });
  return { url };
};
