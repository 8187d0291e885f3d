"""Province-size data for benchmarks (`manage.py generate_scale`): the tree, people and domain rows, written in bulk."""
