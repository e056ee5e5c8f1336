export const config = { type: 'auth', environment: {} };

export const handler = async (event: { authorizationToken: string; methodArn: string }) => {
  const effect = event.authorizationToken === 'letmein' ? 'Allow' : 'Deny';
  return { principalId: 'u', policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn }] } };
};
