"""Benchmarks: solver speed, and a class of students at the websocket protocol level."""
