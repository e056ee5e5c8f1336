// Accepts every websocket connection; never calls AWS.
exports.handler = async () => ({ statusCode: 200 });
