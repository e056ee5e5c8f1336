// A Serverless Framework config written as a program: found, and refused with a clear reason.
const config = {
  service: 'orders',
  provider: { name: 'aws', runtime: 'nodejs20.x' },
  functions: { create: { handler: 'src/create.handler' } },
};

module.exports = config;
