from policeplan.performance.tests.conftest import london, shared_data, warehouse_root  # noqa: F401
