import boto3

secrets = boto3.client("secretsmanager")


def handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    if event["Step"] == "createSecret":
        secrets.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        password = secrets.get_random_password(ExcludePunctuation=True)["RandomPassword"]
        secrets.put_secret_value(
            SecretId=arn, ClientRequestToken=token, SecretString=password, VersionStages=["AWSPENDING"]
        )
