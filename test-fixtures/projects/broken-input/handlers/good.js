const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');

const secrets = new SecretsManagerClient({});
const ssm = new SSMClient({});

exports.handler = async () => {
  await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' })); // iam: secretsmanager:GetSecretValue secret:prod/db-??????
  await ssm.send(new GetParameterCommand({ Name: '/app/config', WithDecryption: true })); // iam: ssm:GetParameter parameter/app/config
};
