import { storage } from './storage';

export const handler = async (event) => {
  const { BUCKET: bucket } = process.env;
  storage.read({ Bucket: bucket, Key: event.key });
  return storage.labels(bucket, event.key);
};
