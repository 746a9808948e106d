"""HTTP service for the MBTI predictor: Flask app, configuration, gunicorn."""
