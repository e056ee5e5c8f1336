import os
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent

persistence_layer = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])  # iam: dynamodb:GetItem ${IdempotencyTable} ; iam: dynamodb:PutItem ${IdempotencyTable} ; iam: dynamodb:UpdateItem ${IdempotencyTable} ; iam: dynamodb:DeleteItem ${IdempotencyTable}


@idempotent(persistence_store=persistence_layer)
def handler(event, context):
    endpoint = parameters.get_parameter("/pyframe/endpoint")  # iam: ssm:GetParameter parameter/pyframe/endpoint
    key = parameters.get_secret("pyframe/api-key")  # iam: secretsmanager:GetSecretValue secret:pyframe/api-key-??????
    return {"endpoint": endpoint, "key": key}
