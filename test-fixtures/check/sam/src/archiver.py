import boto3

s3 = boto3.client("s3")


def handler(event, context):
    body = s3.get_object(Bucket="gate-inbox", Key=event["key"])["Body"].read()
    s3.put_object(Bucket="gate-archive", Key=event["key"], Body=body)
