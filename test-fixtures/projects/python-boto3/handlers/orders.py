import os
import boto3
from boto3 import client as make_client

from lib.store.tables import OrdersStore

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["ORDERS_TABLE"])
sns = make_client("sns")
TOPIC = f"arn:aws:sns:us-east-1:123456789012:{os.getenv('TOPIC_NAME', 'orders-events')}"


def handler(event, context):
    table.put_item(Item={"id": event["id"]})  # iam: dynamodb:PutItem table/pyshop-orders-${sls:stage}
    table.query(IndexName="byCustomer", KeyConditionExpression="c = :c")  # iam: dynamodb:Query table/pyshop-orders-${sls:stage}/index/byCustomer ; iam: dynamodb:Query table/pyshop-orders-${sls:stage}
    with table.batch_writer() as batch:
        batch.put_item(Item={"id": "x"})  # iam: dynamodb:BatchWriteItem table/pyshop-orders-${sls:stage}
    sns.publish(TopicArn=TOPIC, Message="created")  # iam: sns:Publish :orders-events
    store = OrdersStore("audit-%s" % "log")
    return store.record(event["id"])


def unused(event):
    table.delete_item(Key={"id": 1})
