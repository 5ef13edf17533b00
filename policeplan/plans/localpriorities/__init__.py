"""Local priorities: each borough chooses, each year, volume-crime priorities from a menu
(beside the mandatory high-harm ones), on an evidence pack made from the same figures as
the dashboards, frozen with the decision and reviewed against the year's figures."""
