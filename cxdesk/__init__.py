"""cxdesk: plans of activities («дорожные карты») for the client-centricity standards."""

__version__ = "0.1.0"
