import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { KendraServiceClient, QueryCommand } from '@aws-sdk/client-kendra';
import { FutureServiceClient, DoThingCommand } from '@aws-sdk/client-future-service';
import { sharedS3 } from 'company-aws-clients';

const s3 = new S3Client();

// Called with a resolved client: the permission comes from the call below, with no diagnostic.
async function putReport(client, key) {
  return client.send(new PutObjectCommand({ Bucket: 'reports', Key: key })); // iam: s3:PutObject arn:aws:s3:::reports/daily.csv
}

export const handler = async (event) => {
  await s3.send(new GetObjectCommand({ Bucket: 'inbox', Key: 'a.json' })); // iam: s3:GetObject arn:aws:s3:::inbox/a.json
  await putReport(s3, 'daily.csv');
  // A class of a known package that the catalog does not list as its client.
  await new KendraServiceClient().send(new QueryCommand({ IndexId: 'docs', QueryText: 'q' })); // diag: unknown-client
  // A package the catalog does not know at all.
  await new FutureServiceClient({}).send(new DoThingCommand({ Name: 'x' })); // diag: unknown-client
  // Known commands sent through values that are not resolved to a client.
  await sharedS3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'b.json' })); // diag: dynamic-client
  await event.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'c.json' })); // diag: dynamic-client
};
