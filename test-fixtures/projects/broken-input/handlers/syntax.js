const AWS = require('aws-sdk');
exports.handler = async () => {
  await new AWS.S3().getObject({ Bucket: 'b', Key: 'k' }).promise(
}; // diag: syntax-error
