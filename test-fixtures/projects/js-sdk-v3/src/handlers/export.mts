// Aggregated clients, paginators, managed uploads, presigned URLs, namespace imports.
import { S3, S3Client, paginateListObjectsV2, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import * as sqs from '@aws-sdk/client-sqs';

const s3 = new S3({});
const client = new S3Client({});
const queue = new sqs.SQSClient({});

export async function handler() {
  for await (const page of paginateListObjectsV2({ client }, { Bucket: process.env.ASSETS_BUCKET })) { // iam: s3:ListBucket ${AssetsBucket}
    console.log(page.KeyCount);
  }
  await s3.putObject({ Bucket: process.env.ASSETS_BUCKET, Key: 'export/summary.json', Body: '{}' }); // iam: s3:PutObject ${AssetsBucket}/export/summary.json
  const upload = new Upload({ client, params: { Bucket: process.env.ASSETS_BUCKET, Key: 'export/all.csv', Body: 'x' } }); // iam: s3:PutObject ${AssetsBucket}/export/all.csv ; iam: s3:AbortMultipartUpload ${AssetsBucket}/export/all.csv
  await upload.done();
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: process.env.ASSETS_BUCKET, Key: 'export/all.csv' })); // iam: s3:GetObject ${AssetsBucket}/export/all.csv
  await queue.send(new sqs.SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: url })); // iam: sqs:SendMessage :orders-jobs
}
