import boto3

def handler(event, context):
    bucket = = "b"  # diag: syntax-error
    return boto3.client("s3").get_object(Bucket=bucket, Key="k")
