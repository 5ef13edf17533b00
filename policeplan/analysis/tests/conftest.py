from policeplan.consultations.tests.conftest import consultation  # noqa: F401
