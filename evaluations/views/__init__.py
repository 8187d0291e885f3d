"""Views of 考评, split by noun: periods, closing, polls, publication, awards, the year end."""
