import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

export const read = (key) => s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: `in/${key}` })); // iam: s3:GetObject odd-bucket/in/*
