import { GetObjectCommand } from '@aws-sdk/client-s3';
export * from './m0';
export * from './m1';
export const read = (s3) => s3.send(new GetObjectCommand({ Bucket: 'cycle-bucket', Key: 'k' }));
