import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    return table.get_item(Key={"id": event["id"]}).get("Item")  # iam(Reader): dynamodb:GetItem table/${Items}
