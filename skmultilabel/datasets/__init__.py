"""Real multi-label benchmarks shipped with the package (emotions, yeast, scene)."""

from ._loaders import load_emotions, load_scene, load_yeast

__all__ = ["load_emotions", "load_scene", "load_yeast"]
