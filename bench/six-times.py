#!/usr/bin/env python3
"""Prints a routine six times (or N times: six-times.py FILE N) as long as the given one: its
points and stretches repeated (every announcement different: "point 40 of 72"), for the
memory-flatness benchmarks."""
import sys
import yaml

routine = yaml.safe_load(open(sys.argv[1]))
times = int(sys.argv[2]) if len(sys.argv) > 2 else 6
points = routine["points"]
routine["points"] = [dict(p, number=round * len(points) + i + 1) for round in range(times) for i, p in enumerate(points)]
routine["stretches"] = routine.get("stretches", []) * times
routine["name"] += f" ({times} rounds)"
yaml.safe_dump(routine, sys.stdout, sort_keys=False, allow_unicode=True)
