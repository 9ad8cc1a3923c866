"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2/) over the city's reports.

Services are the active categories; requests are the published reports (the same anonymised view as
/api/v1/public/); POST creates a report through the app's intake service. Mounted at /open311/v2/.
"""
