#!/usr/bin/env python3
"""Prints a routine six times as long as the given one: its points and stretches repeated six
times (every announcement different: "point 40 of 72"), for the memory-flatness benchmark."""
import sys
import yaml

routine = yaml.safe_load(open(sys.argv[1]))
points = routine["points"]
routine["points"] = [dict(p, number=round * len(points) + i + 1) for round in range(6) for i, p in enumerate(points)]
routine["stretches"] = routine.get("stretches", []) * 6
routine["name"] += " (six rounds)"
yaml.safe_dump(routine, sys.stdout, sort_keys=False, allow_unicode=True)
