import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';

const sfn = new SFNClient({});
const secrets = new SecretsManagerClient({});
const ecs = new ECSClient({});
const sns = new SNSClient({});
const sqs = new SQSClient({});
const ddb = new DynamoDBClient({});
const s3 = new S3Client({});
const lambda = new LambdaClient({});

export const handler = async () => {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.FLOW })); // iam: states:StartExecution "${Flow}"
  await sfn.send(new StartExecutionCommand({ stateMachineArn: process.env.MACHINE })); // iam: states:StartExecution "${Machine}"
  await secrets.send(new GetSecretValueCommand({ SecretId: process.env.API_KEY })); // iam: secretsmanager:GetSecretValue "${ApiKey}"
  await ecs.send(new RunTaskCommand({ taskDefinition: process.env.WORKER, cluster: 'default' })); // iam: ecs:RunTask "${Worker}"; iam: iam:PassRole role/*; diag: unresolved-resource; diag: passrole-any-role
  await sns.send(new PublishCommand({ TopicArn: process.env.ALERTS, Message: 'x' })); // iam: sns:Publish "${Alerts}"
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS, MessageBody: 'x' })); // iam: sqs:SendMessage :${Jobs.QueueName}"
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_ARN, MessageBody: 'x' })); // iam: sqs:SendMessage "${Jobs.Arn}"
  await ddb.send(new PutItemCommand({ TableName: process.env.ORDERS, Item: {} })); // iam: dynamodb:PutItem table/${Orders}"
  await s3.send(new PutObjectCommand({ Bucket: process.env.UPLOADS, Key: 'a.txt', Body: 'x' })); // iam: s3:PutObject :::${Uploads}/a.txt"
  await lambda.send(new InvokeCommand({ FunctionName: process.env.RESIZER })); // iam: lambda:InvokeFunction function:${Resizer}"; edge(RefsFunction): Resizer lambda-invoke
};

export const qualified = async () => {
  await lambda.send(new InvokeCommand({ FunctionName: process.env.RESIZER, Qualifier: 'live' })); // iam: lambda:InvokeFunction function:${Resizer}:live"; edge(QualifiedFunction): Resizer lambda-invoke
  await lambda.send(new InvokeCommand({ FunctionName: process.env.RESIZER, Qualifier: process.env.RESIZER_ALIAS })); // iam: lambda:InvokeFunction function:${Resizer}:*"; iam: lambda:InvokeFunction function:${Resizer}"
  await lambda.send(new InvokeCommand({ FunctionName: 'thumbnails:3' })); // iam: lambda:InvokeFunction function:thumbnails:3"
  await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbnails:prod' })); // iam: lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:thumbnails:prod
};
