const policy = (effect, resource) => ({
  principalId: 'user',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
});

module.exports.broad = async (event) => { // diag: authorizer-policy-too-broad
  const ok = event.authorizationToken === process.env.TOKEN;
  return ok ? policy('Allow', '*') : policy('Deny', '*');
};

module.exports.narrow = async (event) => { // diag: authorizer-policy-too-narrow ; diag: authorizer-always-allows
  return policy('Allow', event.methodArn);
};

module.exports.echo = async (event) => { // diag: authorizer-effect-from-input
  return policy(event.headers.effect, event.methodArn);
};
