"""A small two-episode series shared by the unit tests of LSP features and the e2e tests."""

from __future__ import annotations

EP01 = """\
Title: Rooftop Hearts
Episode: 1

# Act One

INT. OFFICE - DAY

MR. LI, 50s, stern, reads a report. SU QING, 20s, waits by the door.

MR. LI
You're late again.

SU QING
The elevator broke.

/* An older beat,
cut for time. */

MR. LI
Then take the stairs.

EXT. ROOFTOP - NIGHT

Su Qing climbs out onto the roof.

SU QING
Nobody saw me.
"""

# ``MR LEE`` is a misspelling of ``MR. LI``: the name-variant rule fires on line 7.
EP02 = """\
Title: Rooftop Hearts
Episode: 2

INT. OFFICE - MORNING

Su Qing slides a coffee across the desk.

MR LEE
Coffee will not save you.

SU QING
It saved me yesterday.

MR. LI
Back to work.
"""
