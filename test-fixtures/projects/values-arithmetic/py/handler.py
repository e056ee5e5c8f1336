# Arithmetic and number formatting in Python: %, str.format, f-strings, join, str(); booleans and
# None spelled as Python spells them.
import boto3

s3 = boto3.client("s3")
VERSION = 5
RATIO = 0.25
PREFIX = "logs"
FMT = "%s-%s/c.json"
DEBUG = False


def handler(event, context):
    n = event["count"]
    x = event["items"]
    s3.get_object(Bucket="b", Key=f"{VERSION}/a.json")  # iam: s3:GetObject arn:aws:s3:::b/5/a.json
    s3.get_object(Bucket="b", Key=f"{VERSION + 1}/b.json")  # iam: s3:GetObject arn:aws:s3:::b/6/b.json
    s3.get_object(Bucket="b", Key=FMT % (PREFIX, VERSION))  # iam: s3:GetObject arn:aws:s3:::b/logs-5/c.json
    s3.get_object(Bucket="b", Key="%d/d.json" % VERSION)  # iam: s3:GetObject arn:aws:s3:::b/5/d.json
    s3.get_object(Bucket="b", Key="%d/e.json" % n)  # iam: s3:GetObject arn:aws:s3:::b/*/e.json
    s3.get_object(Bucket="b", Key="%(name)s/%(v)03d/f.json" % {"name": PREFIX, "v": VERSION})  # iam: s3:GetObject arn:aws:s3:::b/logs/005/f.json
    s3.get_object(Bucket="b", Key="{}/{:02d}/g.json".format(PREFIX, VERSION))  # iam: s3:GetObject arn:aws:s3:::b/logs/05/g.json
    s3.get_object(Bucket="b", Key="{1}-{0}/h.json".format(PREFIX, VERSION))  # iam: s3:GetObject arn:aws:s3:::b/5-logs/h.json
    s3.get_object(Bucket="b", Key="{name}/{n}/i.json".format(name=PREFIX, n=n))  # iam: s3:GetObject arn:aws:s3:::b/logs/*/i.json
    s3.get_object(Bucket="b", Key="-".join([PREFIX, str(VERSION), "j.json"]))  # iam: s3:GetObject arn:aws:s3:::b/logs-5-j.json
    s3.get_object(Bucket="b", Key=f"{len(x) + 7}/k.json")  # iam: s3:GetObject arn:aws:s3:::b/*/k.json
    s3.get_object(Bucket="b", Key=f"{n + 1}/l.json")  # iam: s3:GetObject arn:aws:s3:::b/*/l.json
    s3.get_object(Bucket="b", Key=f"{VERSION * 2 - 7//5 % 3 ** 2}/m.json")  # iam: s3:GetObject arn:aws:s3:::b/9/m.json
    s3.get_object(Bucket="b", Key=f"{VERSION:>3}|{PREFIX!r}|{RATIO}/n.json")  # iam: s3:GetObject "arn:aws:s3:::b/  5|'logs'|0.25/n.json"
    s3.get_object(Bucket="b", Key=f"{VERSION / 2}/o.json")  # iam: s3:GetObject arn:aws:s3:::b/2.5/o.json
    s3.get_object(Bucket="b", Key=PREFIX + "/" + str(VERSION + 1) + "/p.json")  # iam: s3:GetObject arn:aws:s3:::b/logs/6/p.json
    s3.get_object(Bucket="b", Key=f"flags/{True}/x")  # iam: s3:GetObject arn:aws:s3:::b/flags/True/x
    s3.get_object(Bucket="b", Key="flags/%s/%s/y" % (DEBUG, None))  # iam: s3:GetObject arn:aws:s3:::b/flags/False/None/y
    s3.get_object(Bucket="b", Key="flags/{}/{!r}/z".format(None, True))  # iam: s3:GetObject arn:aws:s3:::b/flags/None/True/z
    s3.get_object(Bucket="b", Key="flags/" + str(DEBUG) + "/w")  # iam: s3:GetObject arn:aws:s3:::b/flags/False/w
    s3.get_object(Bucket="b", Key="flags/%d/%d/v" % (True, True + 1))  # iam: s3:GetObject arn:aws:s3:::b/flags/1/2/v
    s3.get_object(Bucket="b", Key=f"flags/{DEBUG:>5}/u")  # iam: s3:GetObject arn:aws:s3:::b/flags/*/u
