"""The request's edge: middleware, route audiences, role checks, rate limits, htmx, context
processors.
"""
