import boto3


class OrdersStore:
    def __init__(self, table_name):
        self.client = boto3.client("dynamodb")
        self.table_name = table_name

    def record(self, order_id):
        return self.client.update_item(TableName="audit-log", Key={"id": {"S": order_id}})  # iam: dynamodb:UpdateItem table/audit-log

    def never_called(self):
        return self.client.delete_table(TableName="audit-log")
