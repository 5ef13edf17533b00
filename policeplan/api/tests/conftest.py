from policeplan.performance.tests.conftest import london, warehouse_root  # noqa: F401
