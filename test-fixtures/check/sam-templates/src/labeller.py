import boto3

rekognition = boto3.client("rekognition")


def handler(event, context):
    labels = rekognition.detect_labels(Image={"Bytes": event["image"].encode()})
    # Indexing faces into a collection is not detection: RekognitionDetectOnlyPolicy does not grant it.
    rekognition.index_faces(CollectionId="media-faces", Image={"Bytes": event["image"].encode()})
    return labels["Labels"]
