import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';

const s3 = new S3Client({});

export const archive = (id: string) =>
  s3.send(new PutObjectCommand({ Bucket: 'acme-archive', Key: `orders/${id}.json`, Body: '{}' })); // iam: s3:PutObject acme-archive/orders/*.json
