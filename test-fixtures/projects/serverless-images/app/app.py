import os
import boto3

s3 = boto3.client("s3")


def handler(event, context):
    return s3.get_object(Bucket=os.environ["BUCKET"], Key="index.html")  # iam(api): s3:GetObject imgs-${sls:stage}/index.html
