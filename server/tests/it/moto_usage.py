"""Seeds a running moto server's CloudWatch with one WorkSpace's usage history.

Usage: .tools/moto/bin/python server/tests/it/moto_usage.py ENDPOINT ACCOUNT_ID \
           WORKSPACE_ID DAYS HOURS_A_DAY

Writes, in the account (through an assumed role, as moto_seed.py does), UserConnected = 1
(namespace AWS/WorkSpaces, dimension WorkspaceId) every 5 minutes from 09:00 UTC for
HOURS_A_DAY hours on each of the DAYS days before today; nothing is written for the time
nobody is connected, as CloudWatch has nothing for a stopped WorkSpace.
"""

import datetime
import sys

from moto_session import session_in


def main():
    endpoint, account, workspace_id, days, hours = sys.argv[1:6]
    session = session_in(endpoint, account, "fleetdesk-usage")
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint)
    today = datetime.datetime.now(datetime.timezone.utc).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    data = [
        {
            "MetricName": "UserConnected",
            "Dimensions": [{"Name": "WorkspaceId", "Value": workspace_id}],
            "Timestamp": today
            - datetime.timedelta(days=day)
            + datetime.timedelta(hours=9, minutes=5 * n),
            "Value": 1.0,
            "Unit": "Count",
        }
        for day in range(1, int(days) + 1)
        for n in range(int(hours) * 12)
    ]
    for start in range(0, len(data), 20):
        cloudwatch.put_metric_data(Namespace="AWS/WorkSpaces", MetricData=data[start : start + 20])


if __name__ == "__main__":
    main()
