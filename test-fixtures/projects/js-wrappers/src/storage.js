import * as AWS from 'aws-sdk';

const S3 = new AWS.S3();

class Storage {
  read({ Bucket, Key }) {
    return S3.getObject({ Bucket, Key }).createReadStream(); // iam: s3:GetObject arn:aws:s3:::wrappers-images-${sls:stage}/*
  }

  labels(bucket, name) {
    const rek = new AWS.Rekognition();
    return rek.detectLabels({ Image: { S3Object: { Bucket: bucket, Name: name } } }).promise(); // iam: rekognition:DetectLabels * ; iam: s3:GetObject arn:aws:s3:::wrappers-images-${sls:stage}/*
  }
}

export const storage = new Storage();
