#!/usr/bin/python3
# Regenerates KontorSans-Regular.ttf and KontorSans-Bold.ttf from Liberation Sans 2.1.5
# (Debian package fonts-liberation2). See README.md in this folder for why and how.
#
#   apt-get install -y fonts-liberation2 fonttools
#   /usr/bin/python3 assets/fonts/build-fonts.py
#
# The output is committed; nothing runs this at build or run time.
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE_DIR = '/usr/share/fonts/truetype/liberation2'
HERE = os.path.dirname(os.path.abspath(__file__))

# Basic Latin, Latin-1, Latin Extended-A and B, spacing modifiers (ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝),
# capital sharp s, General Punctuation (includes U+202F), currency symbols (€ ₣),
# ™, − (minus sign) and the replacement character.
UNICODES = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0100, 0x017F),
    (0x0180, 0x024F),
    (0x02C6, 0x02DD),
    (0x1E9E, 0x1E9E),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2122, 0x2122),
    (0x2212, 0x2212),
    (0xFFFD, 0xFFFD),
]

# The SIL OFL reserves the name "Liberation" (and "Arimo"): a modified version, which a
# subset is, must be published under another name.
FAMILY = 'Kontor Sans'
PS_FAMILY = 'KontorSans'


def build(style):
    src = os.path.join(SOURCE_DIR, f'LiberationSans-{style}.ttf')
    dst = os.path.join(HERE, f'KontorSans-{style}.ttf')
    options = subset.Options()
    # Kerning stays, as the legacy 'kern' table (same pairs as GPOS for Latin text). No
    # OpenType layout tables: fontkit then skips its OpenType shaping engine, which makes laying
    # out a word about 3 times faster; no ligatures either (text extraction stays simple).
    options.layout_features = []
    options.legacy_kern = True
    options.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'FFTM']
    options.hinting = False
    # Copyright, names, version, license: enough for the OFL; fewer records also make pdfkit's
    # font identity check (it serialises the name table) cheaper.
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14]
    options.name_languages = [0x0409]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(src)
    unicodes = [cp for lo, hi in UNICODES for cp in range(lo, hi + 1)]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    full = f'{FAMILY} {style}' if style != 'Regular' else FAMILY
    ps = f'{PS_FAMILY}-{style}'
    name = font['name']
    for record in list(name.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f'Kontor: {ps} (Latin subset of Liberation Sans 2.1.5)'
        elif record.nameID == 4:
            record.string = full
        elif record.nameID == 6:
            record.string = ps
        elif record.nameID == 5:
            record.string = 'Version 2.1.5; Latin subset for Kontor'
    font.save(dst)
    return dst


if __name__ == '__main__':
    for style in ('Regular', 'Bold'):
        out = build(style)
        print(out, os.path.getsize(out), file=sys.stderr)
