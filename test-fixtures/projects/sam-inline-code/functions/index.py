import boto3


def handler(event, context):
    # Only a function reading its code from the Globals' CodeUri would run this.
    boto3.client("s3").delete_bucket(Bucket="never")


def notify(event, context):
    boto3.client("s3").delete_bucket(Bucket="never")
