"""The scan: targets -> datasets -> detection -> findings, split by responsibility.

- `options`: what the user asked for (ScanOptions) and the detector it builds;
- `batches`: record batches read ahead and merged to the size detection wants;
- `dataset`: one dataset scanned into masked findings, a failure into an error;
- `scanner`: a whole run: the order results are applied in, stats, and the
  status of every source met (`ScanResult.sources`);
- `inventory`: the inventory's datastores scanned, then judged by the policy.

Where a dataset is scanned (in this process, in worker processes, in Spark) is
an engine's business (`scanner.engines`): the scanner hands each dataset to
one and applies what comes back in order.
"""
