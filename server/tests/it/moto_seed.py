"""Seeds a running moto server with WorkSpaces in several AWS accounts.

Usage: .tools/moto/bin/python server/tests/it/moto_seed.py ENDPOINT ACCOUNT_ID:COUNT...
e.g.   ... moto_seed.py http://127.0.0.1:5055 111111111111:3 222222222222:2

For each account it assumes arn:aws:iam::ACCOUNT_ID:role/fleetdesk-read through STS
(moto needs no IAM role for that, and files whatever the assumed credentials create under
the role's account), then builds what moto's WorkSpaces needs: a VPC with two subnets in
different zones, a Simple AD directory registered with WorkSpaces, and COUNT WorkSpaces
for users user-ACCOUNT-1..COUNT. Prints {account: {"directory_id", "workspace_ids"}} as
JSON on stdout.
"""

import json
import sys

from moto_session import REGION, session_in

# moto implements no DescribeWorkspaceBundles and accepts any bundle id; this is the
# id moto's own tests use.
BUNDLE_ID = "wsb-bh8rsxt14"


def seed_account(endpoint, account, count):
    session = session_in(endpoint, account, "fleetdesk-seed")
    ec2, ds, ws = (
        session.client(name, endpoint_url=endpoint) for name in ("ec2", "ds", "workspaces")
    )

    # Directory Service wants exactly two subnets, in different availability zones.
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(
            VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{zone}"
        )["Subnet"]["SubnetId"]
        for i, zone in enumerate("ab")
    ]
    directory_id = ds.create_directory(
        Name=f"corp{account}.example.com",
        Password="Seed-Passw0rd",
        Size="Small",
        VpcSettings={"VpcId": vpc_id, "SubnetIds": subnet_ids},
    )["DirectoryId"]
    ws.register_workspace_directory(DirectoryId=directory_id)

    created = ws.create_workspaces(
        Workspaces=[
            {
                "DirectoryId": directory_id,
                "UserName": f"user-{account}-{n}",
                "BundleId": BUNDLE_ID,
            }
            for n in range(1, count + 1)
        ]
    )
    if created["FailedRequests"]:
        sys.exit(f"moto_seed: CreateWorkspaces failed in {account}: {created['FailedRequests']}")
    return {
        "directory_id": directory_id,
        "workspace_ids": [w["WorkspaceId"] for w in created["PendingRequests"]],
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    endpoint = sys.argv[1]
    summary = {}
    for pair in sys.argv[2:]:
        account, count = pair.split(":")
        summary[account] = seed_account(endpoint, account, int(count))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
