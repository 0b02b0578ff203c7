"""Natural language generation of the CAR T assistant (referenced from endpoints.yml)."""
