"""Alt text for the figures of a notebook: what a screen reader says in place of a figure on the website and in the
slide decks (scripts/build_site.py, scripts/build_decks.py). Without it, Sphinx writes the image's file name and
nbconvert "No description has been provided for this image".

A notebook author sets it in the metadata of the cell that draws the figure (CONTRIBUTING.md, "Figures: alt text"):
    "alt": "Training and validation loss of the LSTM per epoch: both fall, validation flattens after epoch 8"
    "alt": ["first figure of the cell ...", "second ..."]      (one per image the cell outputs, in order)
MyST-NB's own cell metadata, "mystnb": {"image": {"alt": "..."}}, is read too. Without either, a fallback that still
says where the figure is and what it is about: the section heading it sits under, then the cell's first comment,
or else the first literal title of a plot in the cell (set_title, suptitle, title), or else the first sentence of
the text just above the cell.
"""

from __future__ import annotations

import re

IMAGE_TYPES = ("image/png", "image/jpeg")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
TITLE = re.compile(r"""(?:set_title|suptitle|title)\(\s*(["'])([^"'{}]+)\1""")
IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.IGNORECASE)


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _plain(text: str) -> str:
    """Markdown and TeX markers out, spaces squeezed: text a screen reader can say."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
    text = re.sub(r"[*_`$\\]|<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _first_sentence(markdown: str, limit: int = 200) -> str:
    prose = _plain(HEADING.sub("", markdown))
    sentence = re.split(r"(?<=[.:!?])\s", prose, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def image_count(cell: dict) -> int:
    return sum(1 for output in cell.get("outputs", []) if set(IMAGE_TYPES) & set(output.get("data", {})))


def fallback(heading: str | None, cell: dict, text_above: str | None) -> str:
    """Where the figure is (its section) and what it is about (comment, plot title or the text above)."""
    source = _source(cell)
    comment = next((line.strip().lstrip("#").strip() for line in source.splitlines()
                    if line.strip().startswith("#") and line.strip().lstrip("#").strip()), None)
    title = next((match.group(2).strip() for match in TITLE.finditer(source)), None)
    about = comment or (f"plot titled “{title}”" if title else None) or (text_above and _first_sentence(text_above))
    where = f"Figure in the section “{_plain(heading)}”" if heading else "Figure"
    return f"{where}: {about}" if about else where


def alt_texts(notebook: dict) -> dict[int, list[str]]:
    """For each cell (by index) that outputs images: one alt text per image, in order."""
    texts: dict[int, list[str]] = {}
    heading, text_above = None, None
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            headings = HEADING.findall(_source(cell))
            heading = headings[-1] if headings else heading
            text_above = _source(cell)
            continue
        count = image_count(cell)
        if not count:
            continue
        given = cell.get("metadata", {}).get("alt") or cell.get("metadata", {}).get("mystnb", {}).get(
            "image", {}).get("alt")
        if isinstance(given, list) and len(given) == count and all(isinstance(t, str) and t.strip() for t in given):
            texts[index] = [t.strip() for t in given]
            continue
        if isinstance(given, str) and given.strip():
            base = given.strip()
        else:
            base = fallback(heading, cell, text_above)
        texts[index] = [base if count == 1 else f"{base} (figure {k} of {count})" for k in range(1, count + 1)]
    return texts


def html_images_alt(html: str, alt: str) -> str:
    """`html` with alt="..." added to each <img> that has none (e.g. an animation's frame in a text/html output)."""
    quoted = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return IMG_WITHOUT_ALT.sub(f'<img alt="{quoted}"', html)


def html_outputs_alt(notebook: dict) -> None:
    """Give every <img> inside the notebook's text/html outputs an alt text (in place): the fallback of its cell."""
    heading, text_above = None, None
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            headings = HEADING.findall(_source(cell))
            heading = headings[-1] if headings else heading
            text_above = _source(cell)
            continue
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is None:
                continue
            text = "".join(html) if isinstance(html, list) else html
            if IMG_WITHOUT_ALT.search(text):
                alt = cell.get("metadata", {}).get("alt")
                alt = alt if isinstance(alt, str) and alt.strip() else fallback(heading, cell, text_above)
                output["data"]["text/html"] = html_images_alt(text, alt)
