import os
import boto3

table = boto3.resource("dynamodb").Table(os.environ["CART_TABLE"])


def lambda_handler(event, context):
    table.update_item(Key={"id": event["id"]}, UpdateExpression="SET n = n + :one")  # iam: dynamodb:UpdateItem table/${CartTable}
    return {"statusCode": 200}
