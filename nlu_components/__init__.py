"""Custom Rasa NLU components of the CAR T assistant (referenced from config.yml)."""
