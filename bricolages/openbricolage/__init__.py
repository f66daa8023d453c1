"""Open Bricolage: the yearly day when agents of every mairie come to try the bricolages, in
workshops each led by the agent who made one. Its programme is public; registrations, counts and
feedback are the agents'. Its models belong to the bricolages app (bricolages/models.py imports
them)."""
