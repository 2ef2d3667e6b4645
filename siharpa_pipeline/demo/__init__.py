"""Demo data for `make run`: simulated prices of PPU's markets with the entry errors enumerators make,
comparison series for Kalimantan Timur and the nation, and the other quick wins' files. Deterministic."""

from .prices import load_demo, simulate, write_demo_files

__all__ = ["load_demo", "simulate", "write_demo_files"]
