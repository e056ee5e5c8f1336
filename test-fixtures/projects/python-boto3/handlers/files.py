import os
import boto3

session = boto3.session.Session()
s3 = session.client("s3")
BUCKET = os.environ.get("BUCKET", "fallback-bucket")


def main(event, context):
    key = "uploads/{}.csv".format(event["id"])
    s3.upload_file("/tmp/out.csv", BUCKET, key)  # iam: s3:PutObject pyshop-files-${sls:stage}/uploads/*.csv ; iam: s3:AbortMultipartUpload pyshop-files-${sls:stage}/uploads/*.csv
    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key})  # iam: s3:GetObject pyshop-files-${sls:stage}/uploads/*.csv
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="uploads/")  # iam: s3:ListBucket arn:aws:s3:::pyshop-files-${sls:stage}
    s3.get_waiter("object_exists").wait(Bucket=BUCKET, Key=key)  # iam: s3:GetObject pyshop-files-${sls:stage}/uploads/*.csv
    bucket = boto3.resource("s3").Bucket(BUCKET)
    for obj in bucket.objects.filter(Prefix="raw/"):  # iam: s3:ListBucket arn:aws:s3:::pyshop-files-${sls:stage}
        print(obj.key)
    bucket.Object("report.json").put(Body=b"{}")  # iam: s3:PutObject pyshop-files-${sls:stage}/report.json
    queue = boto3.resource("sqs").get_queue_by_name(QueueName=os.environ["QUEUE_NAME"])  # iam: sqs:GetQueueUrl :pyshop-jobs
    queue.send_message(MessageBody=url)  # iam: sqs:SendMessage :pyshop-jobs
    try:
        s3.head_bucket(Bucket=BUCKET)  # iam: s3:ListBucket arn:aws:s3:::pyshop-files-${sls:stage}
    except s3.exceptions.NoSuchBucket:
        pass
    return list(pages)
