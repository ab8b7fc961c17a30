"""The lexicon layer: every word list detection shares, each in one module that names its source and licence.

Recognizers, vetoes and post-passes read these lists; they never keep a copy of one
nor read another's. A site's own lists (ward names, rosters, allowed terms) are read
by `site_lists`.
"""
