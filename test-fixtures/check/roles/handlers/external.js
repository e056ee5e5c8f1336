// Runs with a role managed outside this project: what it grants is not known here.
const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");

const s3 = new S3Client({});

exports.handler = async (event) =>
  s3.send(new GetObjectCommand({ Bucket: "reports", Key: event.key }));  // iam(external): s3:GetObject reports/*
