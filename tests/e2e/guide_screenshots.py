"""Screenshots for the staff guide (docs/guide-equipes.md), taken by the admin's browser tests when
STAFF_GUIDE_SCREENSHOTS names a folder (`make guide-screenshots` writes them to
docs/images/guide-equipes/); without it, no screenshot is taken."""

import os
from pathlib import Path

ENV = "STAFF_GUIDE_SCREENSHOTS"
VIEWPORT = {"width": 1280, "height": 800}


def guide_screenshot(page, name: str) -> Path | None:
    """The browser window's visible part (1280×800) as `<folder>/<name>.png`, reduced to a 256-colour
    palette (a screenshot of the admin loses nothing visible, and weighs a third)."""
    folder = os.environ.get(ENV)
    if not folder:
        return None
    from PIL import Image

    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if page.viewport_size != VIEWPORT:
        page.set_viewport_size(VIEWPORT)
    page.wait_for_load_state("networkidle")
    page.mouse.move(0, 0)  # no tooltip or hover state left by the last click
    page.screenshot(path=path, animations="disabled", caret="hide")
    with Image.open(path) as shot:
        reduced = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)
    return path
