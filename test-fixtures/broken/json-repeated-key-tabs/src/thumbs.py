import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    s3.put_object(Bucket=os.environ["BUCKET"], Key="thumbs/a.png", Body=b"")  # iam(Thumbs): s3:PutObject ${Uploads}/thumbs/a.png
