"""Airflow DAG: piiscan nightly at 02:30 JST, then a branch on its documented exit code.

Exit 0 = nothing new; 1 = new violations: the scan task still succeeds (the run worked) and
the `new_violations` task fails, so Airflow alerts on it; 2 = the run failed: the scan task fails.
Copy into the DAGs folder; piiscan must be installed on the workers.
"""

from __future__ import annotations

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.operators.empty import EmptyOperator

NIGHTLY = (
    "piiscan nightly --inventory /etc/piiscan/inventory.yaml --reports /var/lib/piiscan/reports "
    "--keep 30 --fail-on high; code=$?; "
    # 1 (new violations) is a result, not a failure: hand it to the next task through XCom.
    'if [ "$code" -eq 2 ]; then exit 2; fi; echo $code'
)

with DAG(
    dag_id="piiscan_nightly",
    schedule="30 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Tokyo"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0},
    tags=["privacy", "piiscan"],
) as dag:
    scan = BashOperator(
        task_id="scan",
        bash_command=NIGHTLY,
        env={"PIISCAN_STATE": "{{ var.value.piiscan_state_url }}"},
        append_env=True,
        do_xcom_push=True,
    )
    new_violations = BashOperator(
        task_id="new_violations",
        bash_command='if [ "{{ ti.xcom_pull(task_ids=\'scan\') }}" = "1" ]; then '
                     'echo "new violations: see the newest folder in /var/lib/piiscan/reports"; exit 1; fi',
    )
    done = EmptyOperator(task_id="done")
    scan >> new_violations >> done
