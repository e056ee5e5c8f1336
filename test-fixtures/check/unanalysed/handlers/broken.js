const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" }) ;  // diag: syntax-error; finding(broken): not-analysed - - severity=error message="syntax-error at handlers/broken.js:4"
};
