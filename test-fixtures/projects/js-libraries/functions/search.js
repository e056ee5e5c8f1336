const middy = require('@middy/core');
const ssm = require('@middy/ssm');
const schema = require('../schema.json');

const { serviceName } = process.env;

module.exports.handler = middy(async (event, context) => {
  return { count: context.config.limit, schema };
}).use(ssm({ // iam: ssm:GetParameters parameter/libs/${sls:stage}/search/config ; iam: ssm:GetParameters parameter/libs/${sls:stage}/search/secret
  cache: true,
  fetchData: {
    config: `/${serviceName}/${process.env.STAGE || '${sls:stage}'}/search/config`,
    secret: `/${serviceName}/\${sls:stage}/search/secret`,
  },
  setToContext: true,
}));
