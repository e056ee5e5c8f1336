import boto3
from fastapi import FastAPI
from mangum import Mangum

app = FastAPI()
sqs = boto3.client("sqs")


@app.post("/jobs")
def enqueue():
    sqs.send_message(QueueUrl="https://sqs.us-east-1.amazonaws.com/123456789012/pyframe-jobs", MessageBody="{}")  # iam: sqs:SendMessage :pyframe-jobs
    return {}


handler = Mangum(app)
