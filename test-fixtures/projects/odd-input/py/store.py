import os
import boto3
from archive import *

table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def save(item):
    table.put_item(Item=item)  # iam: dynamodb:PutItem table/odd-table
