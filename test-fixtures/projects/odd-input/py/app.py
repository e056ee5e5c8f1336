from store import *


def main(event, context):
    save(event)
    return archive(event)
