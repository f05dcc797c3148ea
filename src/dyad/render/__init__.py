"""Pictures and pages of a pair of countries.

The modules load on their own, so that one that needs numpy, shapely and pyproj (:mod:`.maps`, the
locator maps) costs nothing to the others.
"""
