// Arithmetic and number formatting in JavaScript.
const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});
const VERSION = 5;
const PARTS = ['logs', VERSION];

exports.handler = async (event) => {
  const d = new Date(event.time);
  const n = event.count;
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${d.getMonth() + 1}/x` })); // iam: s3:GetObject arn:aws:s3:::b/*/x
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${1 + 1}/a` })); // iam: s3:GetObject arn:aws:s3:::b/2/a
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `v${VERSION + 1}/b` })); // iam: s3:GetObject arn:aws:s3:::b/v6/b
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${n + 1}/c` })); // iam: s3:GetObject arn:aws:s3:::b/*/c
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'v' + 1 + 1 + '/d' })); // iam: s3:GetObject arn:aws:s3:::b/v11/d
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 1 + 1 + '/e' })); // iam: s3:GetObject arn:aws:s3:::b/2/e
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${(VERSION - 1) * 3 / 2 % 5}-${2 ** 3}/f` })); // iam: s3:GetObject arn:aws:s3:::b/1-8/f
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${n * 2}/g` })); // iam: s3:GetObject arn:aws:s3:::b/*/g
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: String(VERSION) + '/h' })); // iam: s3:GetObject arn:aws:s3:::b/5/h
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: VERSION.toString() + '/i' })); // iam: s3:GetObject arn:aws:s3:::b/5/i
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${String(VERSION).padStart(3, '0')}/j` })); // iam: s3:GetObject arn:aws:s3:::b/005/j
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${String(d.getDate()).padStart(2, '0')}/k` })); // iam: s3:GetObject arn:aws:s3:::b/*/k
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${'ab'.padEnd(4, '-')}/l` })); // iam: s3:GetObject arn:aws:s3:::b/ab--/l
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${PARTS.join('/')}/m` })); // iam: s3:GetObject arn:aws:s3:::b/logs/5/m
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `${-VERSION}/o` })); // iam: s3:GetObject arn:aws:s3:::b/-5/o
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: `flags/${true}/${null}/${undefined}/p` })); // iam: s3:GetObject arn:aws:s3:::b/flags/true/null/undefined/p
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'flags/' + false + '/' + (true + 1) + '/q' })); // iam: s3:GetObject arn:aws:s3:::b/flags/false/2/q
  // Never emitted as is: a format placeholder left in a name, an ARN where a name belongs.
  await s3.send(new GetObjectCommand({ Bucket: 'b', Key: process.env.KEY_PATTERN })); // iam: s3:GetObject arn:aws:s3:::b/exports/*.csv ; diag: malformed-resource
  await s3.send(new GetObjectCommand({ Bucket: process.env.ARCHIVE_BUCKET, Key: 'k' })); // iam: s3:GetObject arn:aws:s3:::* ; diag: malformed-resource
  await s3.send(new GetObjectCommand({ Bucket: 'arn:aws:s3:us-east-1:123456789012:accesspoint/reports', Key: 'k' })); // iam: s3:GetObject arn:aws:s3:us-east-1:123456789012:* ; diag: malformed-resource
};
