"""What both moto seed scripts share: a boto3 session in an account of moto's.

moto files whatever credentials create under the account of the role they assumed, so
each script assumes arn:aws:iam::ACCOUNT_ID:role/fleetdesk-read from moto's default
keys (moto needs no IAM role for that).
"""

import boto3

REGION = "us-east-1"


def session_in(endpoint, account, name):
    """A boto3 session acting in `account`, through an assumed role named `name`."""
    sts = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/fleetdesk-read",
        RoleSessionName=name,
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=REGION,
    )
