// The common v3 wrapper: a document client made once and shared by every handler.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as AWSXRay from 'aws-xray-sdk-core';

const ddbClient = AWSXRay.captureAWSv3Client(new DynamoDBClient({}));
export const ddbDocClient = DynamoDBDocumentClient.from(ddbClient, { marshallOptions: { removeUndefinedValues: true } });
