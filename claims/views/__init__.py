"""HTML pages, one module per area of the desk, each with its own `urlpatterns`.

Views are thin: read through a selector, write through a service, redirect.
"""
