from os.path import *
from store import *


def main(event, context):
    save(event)
    # A builtin keeps its meaning beside star imports (os.path has no `str`, nor does store).
    return archive(str(7))
