"""Triage that learns from the desk (issue 15): a text classifier beside the routing rules and the
question detector. ``features`` reads an analyzed item, ``model`` classifies and explains (numpy
only), ``training`` fits a model (scikit-learn, in the worker and the benches)."""
