module.exports.orders = async () => ({ statusCode: 200, body: '[]' });
