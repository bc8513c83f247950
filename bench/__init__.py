"""The benchmark harness behind `make bench`: load, page weight and memory of a real `entraide serve`.

Run it with `python -m bench` (about 11 minutes) or `python -m bench --quick` (a smoke run).
"""
