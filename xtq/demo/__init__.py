"""Everything the trainer's demo needs, and nothing else depends on it: the demo hall (hall), its
content, a year of history, questions in every state, the live demo, the demo clock and `flask demo`."""
