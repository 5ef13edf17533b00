# The real-data fixtures (London's geography, a fresh warehouse) are shared with performance.
from policeplan.performance.tests.conftest import london, warehouse_root  # noqa: F401
