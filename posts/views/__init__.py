"""Views of 亮岗履职, split by noun."""
