"""nalcoop: the Domestic Cooperation ledger of the National Assembly Library of Korea."""

__version__ = "0.1.0"
