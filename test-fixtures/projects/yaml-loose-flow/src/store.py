import os

import boto3

sqs = boto3.client("sqs")
s3 = boto3.client("s3")


def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="stored")  # iam: sqs:SendMessage ${Events
    s3.put_object(Bucket=os.environ["BUCKET"], Key="events/last.json", Body=b"{}")  # iam: s3:PutObject archive-bucket/events/last.json
