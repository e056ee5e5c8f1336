import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';

const bedrock = new BedrockRuntimeClient({});

export const handler = async (event) => {
  await bedrock.send(new InvokeModelCommand({ modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', body: '{}' })); // iam: bedrock:InvokeModel inference-profile/us.anthropic.claude-3-5-haiku; iam: bedrock:InvokeModel bedrock:*::foundation-model/anthropic.claude-3-5-haiku
  await bedrock.send(new ConverseCommand({ modelId: 'global.anthropic.claude-sonnet-4-20250514-v1:0', messages: [] })); // iam: bedrock:InvokeModel inference-profile/global.anthropic; iam: bedrock:InvokeModel bedrock:*::foundation-model/anthropic.claude-sonnet-4
  await bedrock.send(new ConverseStreamCommand({ modelId: 'apac.amazon.nova-lite-v1:0', messages: [] })); // iam: bedrock:InvokeModelWithResponseStream inference-profile/apac.amazon.nova-lite; iam: bedrock:InvokeModelWithResponseStream bedrock:*::foundation-model/amazon.nova-lite
  await bedrock.send(new InvokeModelWithResponseStreamCommand({ modelId: process.env.PROFILE_ARN, body: '{}' })); // iam: bedrock:InvokeModelWithResponseStream inference-profile/eu.meta; iam: bedrock:InvokeModelWithResponseStream bedrock:*::foundation-model/meta.llama3-2-3b
  const model = event.fast ? 'eu.mistral.pixtral-large-2502-v1:0' : 'amazon.titan-text-express-v1';
  await bedrock.send(new InvokeModelCommand({ modelId: model, body: '{}' })); // iam: bedrock:InvokeModel inference-profile/eu.mistral; iam: bedrock:InvokeModel bedrock:*::foundation-model/mistral.pixtral; iam: bedrock:InvokeModel foundation-model/amazon.titan-text
};
