import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    table.put_item(Item={"id": event["id"]})  # iam(Orders/CreateOrder): dynamodb:PutItem table/${OrdersTable}
