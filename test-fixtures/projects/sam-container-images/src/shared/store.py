import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def load_order(order_id):
    return table.get_item(Key={"id": order_id})  # iam(ApiFunction): dynamodb:GetItem ${Table}
