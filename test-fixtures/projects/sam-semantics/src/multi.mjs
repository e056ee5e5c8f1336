import { FSxClient, CreateSnapshotCommand } from '@aws-sdk/client-fsx';
import AWS from 'aws-sdk';

const fsx = new FSxClient({});
const kendra = new AWS.Kendra();

export const handler = async () => {
  await fsx.send(new CreateSnapshotCommand({ VolumeId: 'fsvol-0123', Name: 'nightly' })); // iam: fsx:CreateSnapshot snapshot/fsvol-0123/*; iam: fsx:CreateSnapshot volume/*/fsvol-0123; diag: unresolved-resource
  await kendra.startDataSourceSyncJob({ IndexId: 'idx-1', Id: 'ds-1' }).promise(); // iam: kendra:StartDataSourceSyncJob index/idx-1"; iam: kendra:StartDataSourceSyncJob index/idx-1/data-source/*; diag: unresolved-resource
};
