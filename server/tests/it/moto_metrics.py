"""Seeds a running moto server's CloudWatch with one WorkSpace's metric history.

Usage: .tools/moto/bin/python server/tests/it/moto_metrics.py ENDPOINT ACCOUNT_ID \
           WORKSPACE_ID METRIC=VALUE...
e.g.   ... moto_metrics.py http://127.0.0.1:5055 111111111111 ws-abc InSessionLatency=350

Writes, in the account (through an assumed role, as moto_seed.py does), one data point
per 5 minutes over the last 3 hours for each METRIC (namespace AWS/WorkSpaces, dimension
WorkspaceId), on the 5-minute marks the console's queries align to. Units as the
WorkSpaces admin guide gives them (Milliseconds, Count, Seconds, Percent).
"""

import datetime
import sys

from moto_session import session_in

UNITS = {
    "InSessionLatency": "Milliseconds",
    "SessionLaunchTime": "Seconds",
    "ConnectionAttempt": "Count",
    "ConnectionFailure": "Count",
    "UserConnected": "Count",
}


def main():
    endpoint, account, workspace_id = sys.argv[1:4]
    session = session_in(endpoint, account, "fleetdesk-metrics")
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint)
    now = datetime.datetime.now(datetime.timezone.utc)
    mark = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    for pair in sys.argv[4:]:
        name, value = pair.split("=")
        data = [
            {
                "MetricName": name,
                "Dimensions": [{"Name": "WorkspaceId", "Value": workspace_id}],
                "Timestamp": mark - datetime.timedelta(minutes=5 * n),
                "Value": float(value),
                "Unit": UNITS.get(name, "Percent"),
            }
            for n in range(36)
        ]
        for start in range(0, len(data), 20):
            cloudwatch.put_metric_data(Namespace="AWS/WorkSpaces", MetricData=data[start : start + 20])


if __name__ == "__main__":
    main()
