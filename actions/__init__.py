"""Custom actions of the CAR T assistant (run by the Rasa action server)."""
