"""Reference data shipped with nalcoop: the council registry, column maps, the countries table."""
