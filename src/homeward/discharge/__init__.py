"""Hospital to Home: discharge casework for ward, A&E, mental-health and care-home discharge."""
