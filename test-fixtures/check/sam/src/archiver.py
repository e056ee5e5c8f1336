import boto3

s3 = boto3.client("s3")


def handler(event, context):
    body = s3.get_object(Bucket="gate-inbox", Key=event["key"])["Body"].read()  # iam(Archiver): s3:GetObject gate-inbox/*
    s3.put_object(Bucket="gate-archive", Key=event["key"], Body=body)  # iam(Archiver): s3:PutObject gate-archive/*
