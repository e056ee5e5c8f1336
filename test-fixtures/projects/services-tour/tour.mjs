import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SESv2Client, SendEmailCommand as SendEmailV2Command } from '@aws-sdk/client-sesv2';
import { KMSClient, DecryptCommand } from '@aws-sdk/client-kms';
import { CognitoIdentityProviderClient, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { TextractClient, AnalyzeDocumentCommand } from '@aws-sdk/client-textract';
import { ComprehendClient, DetectSentimentCommand } from '@aws-sdk/client-comprehend';
import { TranslateClient, TranslateTextCommand } from '@aws-sdk/client-translate';
import { PollyClient, StartSpeechSynthesisTaskCommand } from '@aws-sdk/client-polly';
import { TranscribeClient, StartTranscriptionJobCommand } from '@aws-sdk/client-transcribe';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { XRayClient, PutTraceSegmentsCommand } from '@aws-sdk/client-xray';
import { AppSyncClient, GetGraphqlApiCommand } from '@aws-sdk/client-appsync';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { GlueClient, GetTableCommand } from '@aws-sdk/client-glue';
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { DynamoDBStreamsClient, GetRecordsCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { SNSClient, PublishBatchCommand } from '@aws-sdk/client-sns';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient, BatchWriteItemCommand, ExecuteStatementCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { KendraClient, QueryCommand } from '@aws-sdk/client-kendra';
import { Schemas } from '@aws-sdk/client-schemas';

const ROLE = 'arn:aws:iam::123456789012:role/reporting';
const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000';

export const handler = async () => {
  await new KinesisClient().send(new PutRecordCommand({ StreamName: 'clicks', PartitionKey: 'a', Data: 'x' })); // iam: kinesis:PutRecord stream/clicks
  await new FirehoseClient().send(new PutRecordBatchCommand({ DeliveryStreamName: 'logs', Records: [] })); // iam: firehose:PutRecordBatch deliverystream/logs
  await new SESClient().send(new SendEmailCommand({ Source: 'noreply@example.com', Destination: {}, Message: {} })); // iam: ses:SendEmail identity/noreply@example.com
  await new SESv2Client().send(new SendEmailV2Command({ FromEmailAddress: 'team@example.com', Content: {} })); // iam: ses:SendEmail identity/team@example.com
  await new KMSClient().send(new DecryptCommand({ CiphertextBlob: 'x', KeyId: 'alias/app' })); // iam: kms:Decrypt key/* ; diag: unresolved-resource
  await new CognitoIdentityProviderClient().send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_abc', Username: 'u' })); // iam: cognito-idp:AdminGetUser userpool/us-east-1_abc
  await new CognitoIdentityClient().send(new GetIdCommand({ IdentityPoolId: 'us-east-1:pool' })); // iam: cognito-identity:GetId *
  await new STSClient().send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 's' })); // iam: sts:AssumeRole role/reporting
  await new STSClient().send(new GetCallerIdentityCommand({}));
  await new TextractClient().send(new AnalyzeDocumentCommand({ Document: { S3Object: { Bucket: 'scans', Name: 'a.pdf' } }, FeatureTypes: [] })); // iam: textract:AnalyzeDocument * ; iam: s3:GetObject arn:aws:s3:::scans/a.pdf
  await new ComprehendClient().send(new DetectSentimentCommand({ Text: 'hi', LanguageCode: 'en' })); // iam: comprehend:DetectSentiment *
  await new TranslateClient().send(new TranslateTextCommand({ Text: 'hi', SourceLanguageCode: 'en', TargetLanguageCode: 'fr' })); // iam: translate:TranslateText *
  await new PollyClient().send(new StartSpeechSynthesisTaskCommand({ Text: 'hi', OutputFormat: 'mp3', VoiceId: 'Joanna', OutputS3BucketName: 'speech' })); // iam: polly:StartSpeechSynthesisTask * ; iam: s3:PutObject arn:aws:s3:::speech/*
  await new TranscribeClient().send(new StartTranscriptionJobCommand({ TranscriptionJobName: 'j', Media: {} })); // iam: transcribe:StartTranscriptionJob *
  await new BedrockRuntimeClient().send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [] })); // iam: bedrock:InvokeModel foundation-model/anthropic.claude-3-haiku
  await new CloudWatchClient().send(new PutMetricDataCommand({ Namespace: 'app', MetricData: [] })); // iam: cloudwatch:PutMetricData *
  await new CloudWatchLogsClient().send(new PutLogEventsCommand({ logGroupName: '/app/audit', logStreamName: 's1', logEvents: [] })); // iam: logs:PutLogEvents log-group:/app/audit:log-stream:s1
  await new XRayClient().send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [] })); // iam: xray:PutTraceSegments *
  await new AppSyncClient().send(new GetGraphqlApiCommand({ apiId: 'abc123' })); // iam: appsync:GetGraphqlApi apis/abc123
  await new AthenaClient().send(new StartQueryExecutionCommand({ QueryString: 'select 1' })); // iam: athena:StartQueryExecution workgroup/primary
  await new GlueClient().send(new GetTableCommand({ DatabaseName: 'lake', Name: 'events' })); // iam: glue:GetTable table/lake/events; iam: glue:GetTable :catalog; iam: glue:GetTable database/lake
  await new ECSClient().send(new RunTaskCommand({ taskDefinition: 'report', cluster: 'jobs' })); // iam: ecs:RunTask task-definition/report ; iam: iam:PassRole role/* ; diag: unresolved-resource ; diag: passrole-any-role
  await new DynamoDBStreamsClient().send(new GetRecordsCommand({ ShardIterator: 'x' })); // iam: dynamodb:GetRecords *; diag: unresolved-resource
  await new DynamoDBStreamsClient().send(new DescribeStreamCommand({ StreamArn: STREAM })); // iam: dynamodb:DescribeStream table/orders/stream/2024
  await new LambdaClient().send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:billing' })); // iam: lambda:InvokeFunction function:billing
  await new SNSClient().send(new PublishBatchCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', PublishBatchRequestEntries: [] })); // iam: sns:Publish :alerts
  await new SFNClient().send(new StartSyncExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:flow' })); // iam: states:StartSyncExecution stateMachine:flow
  await new DynamoDBClient().send(new BatchWriteItemCommand({ RequestItems: { orders: [], audit: [] } })); // iam: dynamodb:BatchWriteItem table/orders ; iam: dynamodb:BatchWriteItem table/audit
  await new DynamoDBClient().send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "orders" WHERE id = ?' })); // iam: dynamodb:PartiQLSelect table/orders
  await new S3Client().send(new DeleteObjectsCommand({ Bucket: 'tmp', Delete: { Objects: [{ Key: 'a' }] } })); // iam: s3:DeleteObject arn:aws:s3:::tmp/a
  await new KendraClient().send(new QueryCommand({ IndexId: 'docs-index', QueryText: 'q' })); // iam: kendra:Query index/docs-index
  await new Schemas().describeRegistry({ RegistryName: 'events' }); // iam: schemas:DescribeRegistry registry/events
};
