from pynamodb.models import Model
from pynamodb.attributes import UnicodeAttribute
import os
import boto3


class Report(Model):
    class Meta:
        table_name = os.environ["ORDERS_TABLE"]

    id = UnicodeAttribute(hash_key=True)

    def close(self):
        self.save()  # iam: dynamodb:PutItem table/pyshop-orders-${sls:stage} ; iam: dynamodb:DescribeTable table/pyshop-orders-${sls:stage}


def lambda_handler(event, context):
    report = Report.get(event["id"])  # iam: dynamodb:GetItem table/pyshop-orders-${sls:stage} ; iam: dynamodb:DescribeTable table/pyshop-orders-${sls:stage}
    report.close()
    for row in Report.scan():  # iam: dynamodb:Scan table/pyshop-orders-${sls:stage} ; iam: dynamodb:DescribeTable table/pyshop-orders-${sls:stage}
        print(row)
    client = boto3.client(event["service"])  # diag: dynamic-client
    return client
