import os

import boto3

sqs = boto3.client("sqs")


def run(event, context):
    sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="done")  # iam(JobsFunction): sqs:SendMessage Queue
