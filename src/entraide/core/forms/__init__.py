"""What every form shares: once-only tokens, forms kept across an expired session, the renderer and
the choice widgets; and the forms of core's own management pages (``manage``).
"""
