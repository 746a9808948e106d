"""Training pipeline for the MBTI predictor: data, text transform, models, artifact."""
