import json
import os

import boto3

comprehend = boto3.client("comprehend")
rekognition = boto3.client("rekognition")
cloudwatch = boto3.client("cloudwatch")
ssm = boto3.client("ssm")
events = boto3.client("events")


def handler(event, context):
    threshold = ssm.get_parameter(Name="/media/tagger/threshold")["Parameter"]["Value"]  # iam(Tagger): ssm:GetParameter parameter/media/tagger/threshold
    text = comprehend.detect_sentiment(Text=event["caption"], LanguageCode="en")  # iam(Tagger): comprehend:DetectSentiment *
    language = comprehend.detect_dominant_language(Text=event["caption"])  # iam(Tagger): comprehend:DetectDominantLanguage *
    labels = rekognition.detect_labels(  # iam(Tagger): rekognition:DetectLabels *
        Image={"Bytes": event["image"].encode()}, MinConfidence=float(threshold)
    )
    faces = rekognition.detect_faces(Image={"Bytes": event["image"].encode()})  # iam(Tagger): rekognition:DetectFaces *
    cloudwatch.put_metric_data(  # iam(Tagger): cloudwatch:PutMetricData *
        Namespace="media", MetricData=[{"MetricName": "tagged", "Value": 1.0}]
    )
    events.put_events(  # iam(Tagger): events:PutEvents event-bus/${Bus}
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
