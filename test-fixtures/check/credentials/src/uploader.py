import boto3

s3 = boto3.client("s3")


def handler(event, context):
    s3.upload_file("/tmp/report.csv", "gate-reports", "daily/report.csv")  # iam(Uploader): s3:AbortMultipartUpload gate-reports/daily/report.csv; iam(Uploader): s3:PutObject gate-reports/daily/report.csv; finding(Uploader): missing-permission s3:AbortMultipartUpload arn:aws:s3:::gate-reports/daily/report.csv severity=warning
