"""Training of the learned components from the development gold (tools/train_events.py)."""
