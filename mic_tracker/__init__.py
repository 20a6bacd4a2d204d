"""洛阳市制造业创新中心建设监测平台 — the register, the plan's rules and the reports behind the dashboard."""

__version__ = "0.1.0"
