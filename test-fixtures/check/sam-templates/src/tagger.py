import json
import os

import boto3

comprehend = boto3.client("comprehend")
rekognition = boto3.client("rekognition")
cloudwatch = boto3.client("cloudwatch")
ssm = boto3.client("ssm")
events = boto3.client("events")


def handler(event, context):
    threshold = ssm.get_parameter(Name="/media/tagger/threshold")["Parameter"]["Value"]
    text = comprehend.detect_sentiment(Text=event["caption"], LanguageCode="en")
    language = comprehend.detect_dominant_language(Text=event["caption"])
    labels = rekognition.detect_labels(
        Image={"Bytes": event["image"].encode()}, MinConfidence=float(threshold)
    )
    faces = rekognition.detect_faces(Image={"Bytes": event["image"].encode()})
    cloudwatch.put_metric_data(
        Namespace="media", MetricData=[{"MetricName": "tagged", "Value": 1.0}]
    )
    events.put_events(
        Entries=[
            {
                "EventBusName": os.environ["BUS"],
                "Source": "media.tagger",
                "DetailType": "tagged",
                "Detail": json.dumps({"labels": labels["Labels"], "faces": faces["FaceDetails"]}),
            }
        ]
    )
    return {"sentiment": text["Sentiment"], "languages": language["Languages"]}
