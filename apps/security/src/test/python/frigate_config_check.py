"""Checks Frigate configuration files with Frigate's own config model, as Frigate reads its file at start
(FrigateConfig.parse on the open file), then the bundle's detector rule, which Frigate itself does not enforce.

usage: python frigate_config_check.py ROOTFS FILE TYPES LABEL [FILE TYPES LABEL ...]
  ROOTFS  the image files the model opens by absolute path (/labelmap.txt, /labelmap/...): frigate-config.sh's
          src/rootfs; nothing else is redirected
  FILE    a configuration file; TYPES the detector types (comma-separated) its environment must use; LABEL names the
          file in messages (the bundle file and ConfigMap it comes from)
Prints one line per file, "LABEL: OK detectors=name:type,..." or "LABEL: <problem>", and exits 1 if any failed.
Run by FrigateConfigModel (Java) with the venv's Python and PYTHONPATH at Frigate's source.
"""
import builtins
import os
import sys

ROOTFS = sys.argv[1]
IMAGE_FILES = ("/labelmap.txt", "/audio-labelmap.txt", "/labelmap/")
_open = builtins.open


def _image_open(file, *args, **kwargs):
    """Frigate opens a few files the image ships at / (the default labelmaps): read them from ROOTFS instead."""
    if isinstance(file, str) and file.startswith(IMAGE_FILES):
        file = os.path.join(ROOTFS, file.lstrip("/"))
    return _open(file, *args, **kwargs)


builtins.open = _image_open

from ruamel.yaml import YAML  # noqa: E402  (after the open hook: Frigate's imports may read files)

from frigate.config import FrigateConfig  # noqa: E402
from frigate.config.config import DEFAULT_DETECTORS  # noqa: E402
from frigate.version import VERSION  # noqa: E402


def check(path, required):
    """(problem, None) when the file fails, else (None, a summary of what Frigate made of it)."""
    with _open(path) as raw:
        declared = YAML(typ="safe").load(raw) or {}
    try:
        with _open(path) as f:
            config = FrigateConfig.parse(f)
    except Exception as e:  # Frigate's own refusal (pydantic's ValidationError, or what its validators raise)
        return f"Frigate {VERSION} refuses it: {type(e).__name__}: {e}", None
    if "detectors" not in declared:
        return (f"no `detectors` declared. Frigate {VERSION} accepts that and falls back to its default "
                f"{DEFAULT_DETECTORS} (FrigateConfig.detectors); the bundle's rule: every config declares its "
                f"detectors, here of type {', '.join(required)}"), None
    types = {name: str(getattr(d.type, "value", d.type)) for name, d in config.detectors.items()}
    if not types:
        return (f"`detectors` is empty: Frigate {VERSION} accepts it and runs no object detection; the bundle's rule:"
                f" detectors of type {', '.join(required)}"), None
    wrong = {name: t for name, t in types.items() if t not in required}
    if wrong:
        return (f"detectors {wrong} are not of type {', '.join(required)}, which this environment requires "
                f"(the bundle's rule: the GPU's detector where there is a GPU, the CPU's where there is none)"), None
    detectors = ",".join(f"{name}:{t}" for name, t in types.items())
    return None, f"OK detectors={detectors} cameras={len(config.cameras)}"


def main(args):
    failed = False
    for path, types, label in zip(args[0::3], args[1::3], args[2::3]):
        problem, summary = check(path, types.split(","))
        failed = failed or problem is not None
        print(f"{label}: {problem or summary}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 5 or (len(sys.argv) - 2) % 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[2:]))
