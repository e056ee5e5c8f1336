import boto3

rekognition = boto3.client("rekognition")


def handler(event, context):
    labels = rekognition.detect_labels(Image={"Bytes": event["image"].encode()})  # iam(Labeller): rekognition:DetectLabels *
    # Indexing faces into a collection is not detection: RekognitionDetectOnlyPolicy does not grant it.
    rekognition.index_faces(CollectionId="media-faces", Image={"Bytes": event["image"].encode()})  # iam(Labeller): rekognition:IndexFaces collection/media-faces; finding(Labeller): missing-permission rekognition:IndexFaces arn:aws:rekognition:${AWS::Region}:${AWS::AccountId}:collection/media-faces severity=error
    return labels["Labels"]
