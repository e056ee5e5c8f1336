const AWS = require('aws-sdk');

exports.handler = async (event) => {
  const api = new AWS.ApiGatewayManagementApi({ endpoint: `${event.requestContext.domainName}/${event.requestContext.stage}` });
  await api.postToConnection({ ConnectionId: event.requestContext.connectionId, Data: 'hi' }).promise(); // iam: execute-api:ManageConnections POST/@connections/*
};
