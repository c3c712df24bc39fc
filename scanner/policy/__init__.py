"""The policy engine: configs/policy.yaml + configs/inventory.yaml -> violations and impact.

`config` loads and checks both files, `evaluate` turns findings into
violations, `retention` counts expired records where they live, `commands` is
`piiscan policy check`.
"""

from scanner.policy.config import Inventory, Policy, ScanTarget, load_inventory, load_policy
from scanner.policy.evaluate import Evaluation, evaluate, evaluate_full

__all__ = ["Evaluation", "Inventory", "Policy", "ScanTarget", "evaluate", "evaluate_full", "load_inventory", "load_policy"]
