const { ComprehendClient, DetectSentimentCommand } = require('@aws-sdk/client-comprehend');
const { RekognitionClient, DetectLabelsCommand, DetectTextCommand } = require('@aws-sdk/client-rekognition');
const { PollyClient, SynthesizeSpeechCommand } = require('@aws-sdk/client-polly');
const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');
const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');

const comprehend = new ComprehendClient({});
const rekognition = new RekognitionClient({});
const polly = new PollyClient({});
const cloudwatch = new CloudWatchClient({});
const sfn = new SFNClient({});

exports.handler = async (event) => {
  const image = { Bytes: Buffer.from(event.image, 'base64') };
  const labels = await rekognition.send(new DetectLabelsCommand({ Image: image }));  // iam(Voice): rekognition:DetectLabels *
  const text = await rekognition.send(new DetectTextCommand({ Image: image }));  // iam(Voice): rekognition:DetectText *
  const mood = await comprehend.send(new DetectSentimentCommand({ Text: event.caption, LanguageCode: 'en' }));  // iam(Voice): comprehend:DetectSentiment *
  const speech = await polly.send(new SynthesizeSpeechCommand({  // iam(Voice): polly:SynthesizeSpeech *
    Text: event.caption, OutputFormat: 'mp3', VoiceId: 'Joanna', LexiconNames: ['names'],
  }));
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'voice', MetricData: [{ MetricName: 'spoken', Value: 1 }] }));  // iam(Voice): cloudwatch:PutMetricData *
  await sfn.send(new StartExecutionCommand({  // iam(Voice): states:StartExecution stateMachine:publish
    stateMachineArn: `arn:aws:states:${process.env.AWS_REGION}:123456789012:stateMachine:publish`,
    input: JSON.stringify({ labels: labels.Labels, text: text.TextDetections, mood: mood.Sentiment }),
  }));
  return speech.ContentType;
};
