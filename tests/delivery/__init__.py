"""Tests of how the service is delivered: image, compose stack and CI workflows."""
