"""Explorations ("vis ma vie"): an agent spends a day in another service, of their mairie or
another, with precise goals and a logbook, and brings back what they learned. Part of the
Bricolages' agents-only space; its models belong to the bricolages app (bricolages/models.py
imports them)."""
