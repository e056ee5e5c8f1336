import os
import boto3
from flask import Flask, jsonify

app = Flask(__name__)
client = boto3.client("dynamodb")
USERS_TABLE = os.environ["USERS_TABLE"]


@app.route("/users/<user_id>")
def get_user(user_id):
    item = client.get_item(TableName=USERS_TABLE, Key={"userId": {"S": user_id}})  # iam: dynamodb:GetItem table/users-${sls:stage}
    return jsonify(item)


@app.route("/users", methods=["POST"])
def create_user():
    client.put_item(TableName=USERS_TABLE, Item={})  # iam: dynamodb:PutItem table/users-${sls:stage}
    return jsonify({})
