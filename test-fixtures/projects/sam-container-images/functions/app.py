import boto3


def handler(event, context):
    # Only a zip function with the Globals' CodeUri and Handler would run this.
    boto3.client("s3").delete_bucket(Bucket="never")
