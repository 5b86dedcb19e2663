"""What-if simulation: a period of weekly placement rounds under each policy, side by side."""

from waitlist.simulation.calibration import Calibration, load_calibration
from waitlist.simulation.policies import PolicySpec, builtin_policies, load_policy
from waitlist.simulation.report import latest_report, write_report
from waitlist.simulation.run import SimulationRun, simulate

__all__ = [
    "Calibration",
    "PolicySpec",
    "SimulationRun",
    "builtin_policies",
    "latest_report",
    "load_calibration",
    "load_policy",
    "simulate",
    "write_report",
]
