import boto3

sts = boto3.client("sts")


def handler(event, context):
    creds = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/tenant-access", RoleSessionName="t")["Credentials"]  # iam: sts:AssumeRole role/tenant-access
    ddb = boto3.client(
        "dynamodb",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    ddb.get_item(TableName="tenant-data", Key={})  # diag: assumed-credentials
    session = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
    session.client("s3").get_object(Bucket="tenant-files", Key="a")  # diag: assumed-credentials
    boto3.client("s3").upload_file("/tmp/r.csv", "reports", "r.csv")  # iam: s3:PutObject reports/r.csv; iam: s3:AbortMultipartUpload reports/r.csv
    tenant = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    tenant.resource("dynamodb").Table("tenant-data").get_item(Key={})  # diag: assumed-credentials
    table = tenant.resource("dynamodb").Table("tenant-data")
    with table.batch_writer() as batch:
        batch.put_item(Item={})  # diag: assumed-credentials
    s3 = boto3.resource("s3", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"])
    s3.Bucket("tenant-files").Object("c").get()  # diag: assumed-credentials
    s3.Bucket("tenant-files").objects.all()  # diag: assumed-credentials
    tenant.resource("sqs").get_queue_by_name(QueueName="tenant-jobs").send_message(MessageBody="x")  # diag: assumed-credentials
    tenant.client("s3").get_paginator("list_objects_v2").paginate(Bucket="tenant-files")  # diag: assumed-credentials
    boto3.resource("dynamodb").Table("audit").put_item(Item={})  # iam: dynamodb:PutItem table/audit
