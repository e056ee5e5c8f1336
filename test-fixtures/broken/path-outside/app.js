exports.handler = async () => process.env.TOKEN;
