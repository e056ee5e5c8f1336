import os
import boto3

s3 = boto3.client("s3")


def archive(item):
    return s3.put_object(Bucket=os.environ["BUCKET"], Key="archive/" + item, Body=b"")  # iam: s3:PutObject odd-bucket/archive/7
