#!/usr/bin/env python3
"""Makes the card font, fonts/NotoSansSC-Bold-subset.otf, from Debian's fonts-noto-cjk.

The social cards (src/card) are drawn with this one file only, never with the fonts of the
machine that builds, so every machine draws the same pixels. It keeps Noto Sans CJK SC Bold
(one weight: a second would double the 2.8 MB) for printable ASCII, Latin-1, general
punctuation, currency signs, letterlike symbols, number forms, arrows, CJK symbols and
punctuation, full-width forms, and the 6 763 hanzi of GB 2312. A card whose text needs any
other character is refused at build time (see README, "Social cards").

Run from the repository root with fonttools pinned (the version the files were made with):

    python3 -m venv /tmp/fonttools && /tmp/fonttools/bin/pip install fonttools==4.61.1
    /tmp/fonttools/bin/python fonts/subset.py

Sources: /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc from the Debian package
fonts-noto-cjk 1:20220127+repack1-1 (Noto CJK 2.004), licence SIL OFL 1.1 (fonts/OFL.txt).
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FAMILY = "Noto Sans CJK SC"
RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, ellipsis
    (0x20A0, 0x20BF),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols
    (0x2150, 0x218F),  # number forms
    (0x2190, 0x21FF),  # arrows
    (0x2212, 0x2212),  # minus sign
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312_hanzi():
    """Every hanzi of GB 2312 (rows 16 to 87)."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def main():
    out = Path(__file__).resolve().parent
    codepoints = {c for lo, hi in RANGES for c in range(lo, hi + 1)}
    codepoints |= {ord(c) for c in gb2312_hanzi()}
    collection = TTCollection(SOURCE)
    font = next(f for f in collection if f["name"].getDebugName(1) == FAMILY)
    options = subset.Options()
    options.layout_features = ["kern", "palt", "locl"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    # No time stamps: the same sources make the same bytes.
    font.recalcTimestamp = False
    font["head"].modified = font["head"].created
    target = out / "NotoSansSC-Bold-subset.otf"
    font.save(target, reorderTables=True)
    print(f"{target.name}: {target.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
