"""Date formats the desk adds to Django's own, per interface language.

Templates name a format (`|date:"SHORT_DATETIME_FORMAT"`) instead of spelling one, so a
date reads the way the reader's language writes it. Django's locale data leaves a few
slots empty or 12-hour; these fill them with the desk's 24-hour clock. Anything a
machine reads (`<time datetime>`, CSV, the API, feeds) keeps its fixed ISO format.
"""
