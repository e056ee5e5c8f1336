from store import load_order


def handler(event, context):
    return load_order(event["pathParameters"]["id"])
