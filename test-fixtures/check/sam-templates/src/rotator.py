import boto3

secrets = boto3.client("secretsmanager")


def handler(event, context):
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    if event["Step"] == "createSecret":
        secrets.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")  # iam(Rotator): secretsmanager:GetSecretValue secret:*-??????; diag: unresolved-resource
        password = secrets.get_random_password(ExcludePunctuation=True)["RandomPassword"]  # iam(Rotator): secretsmanager:GetRandomPassword *
        secrets.put_secret_value(  # iam(Rotator): secretsmanager:PutSecretValue secret:*-??????; diag: unresolved-resource
            SecretId=arn, ClientRequestToken=token, SecretString=password, VersionStages=["AWSPENDING"]
        )
