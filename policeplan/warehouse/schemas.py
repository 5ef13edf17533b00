"""The files the warehouse reads, by their exact published columns."""

from __future__ import annotations

STREET = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
OUTCOMES = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
)
STOP_SEARCH = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
POLICE_UK = {"street": STREET, "outcomes": OUTCOMES, "stop_search": STOP_SEARCH}

PAS = ("Date", "Survey", "Borough", "Measure", "Proportion", "MPS")
PAS_TOTAL = ("Date", "Survey", "Borough", "Measure", "Proportion")

# MPS recorded crime: identifying columns by level and category scheme, then one column per month.
MPS_ID_COLUMNS = {
    ("borough", "current"): ("MajorText", "MinorText", "BoroughName"),
    ("borough", "old"): ("MajorText", "MinorText", "LookUp_BoroughName"),
    ("ward", "current"): ("MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"),
    ("lsoa", "current"): ("lsoa_code", "lsoa_name", "borough", "major_category", "minor_category"),
}

ONS_LSOA11_LSOA21_LAD = (
    "LSOA11CD",
    "LSOA11NM",
    "LSOA21CD",
    "LSOA21NM",
    "CHGIND",
    "LAD22CD",
    "LAD22NM",
)
ONS_LSOA21_WARD_LAD = ("LSOA21CD", "LSOA21NM", "WD24CD", "WD24NM", "LAD24CD", "LAD24NM")
POPULATION_LSOA = ("LSOA11CD", "LAD11CD", "Persons_All-Ages")
POPULATION_BOROUGH = ("borough", "year", "population")
