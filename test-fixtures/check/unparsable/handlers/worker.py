import boto3

s3 = boto3.client("s3")


def handler(event, context):
    s3.delete_object(Bucket="unparsable-bucket", Key=event["key"]  # diag: syntax-error; finding(worker): not-analysed - - severity=error
    return {}
