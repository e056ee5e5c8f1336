import boto3

def handler(event, context):
    return boto3.client('s3'.list_buckets(
